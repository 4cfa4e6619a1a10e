import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./helpers/repo-root.js";

// Every training script imports the Node entry; what it loads stays in the heap for the whole run, and a
// process just over V8's 8 MB old generation marks continuously (BENCHMARKS.md, issue 11). The libraries
// for files, bars and pictures load when first used.
const LOADED_ON_FIRST_USE = ["ajv", "cli-progress", "@resvg/resvg-js"];

test("importing the Node entry loads none of the libraries used only for checks, bars and PNGs", () => {
  const entry = pathToFileURL(join(repoRoot(), "dist/src/index.node.js")).href;
  const script = `import { createRequire } from "node:module";
await import(${JSON.stringify(entry)});
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes("node_modules"))
  .map((p) => p.split("node_modules/").at(-1).split("/")).map((s) => (s[0].startsWith("@") ? s[0] + "/" + s[1] : s[0]));
console.log(JSON.stringify([...new Set(loaded)]));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as string[];
  assert.deepEqual(LOADED_ON_FIRST_USE.filter((name) => loaded.includes(name)), []);
});
