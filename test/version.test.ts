import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { version } from "../src/version.js";
import { version as cliVersion } from "../src/cli/version.js";

test("src/version.ts says package.json's version (read here from the file), and the CLI's is the same constant", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  assert.equal(version, pkg.version);
  assert.equal(cliVersion, version);
});
