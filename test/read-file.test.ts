import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../src/index.node.js";
import { testErrorCases } from "./helpers/error-cases.js";

// Every reader of a user-named file goes through readRegularFile (src/read-file.ts). Named pipes and
// /dev/zero, which would block or never end if a reader got that wrong, are tested through the CLI in a
// child process with a timeout (test/cli/user-files.test.ts).
const dir = mkdtempSync(join(tmpdir(), "minima-read-"));
const missing = join(dir, "nope.safetensors");

describe("file readers refuse anything but a regular file, naming the path", () => {
  testErrorCases([
    ["loadSafetensors: a missing file", () => mn.io.loadSafetensors(missing), `loadSafetensors: no such file: ${missing}`],
    ["loadSafetensors: a folder", () => mn.io.loadSafetensors(dir), `loadSafetensors: ${dir} is a folder; expected a regular file`],
    ["loadSafetensors: a device (/dev/null)", () => mn.io.loadSafetensors("/dev/null"), "loadSafetensors: /dev/null is a character device; expected a regular file"],
    ["loadModel: a missing file", () => mn.nn.loadModel(missing), `loadModel: no such file: ${missing}`],
    ["loadModel: a folder", () => mn.nn.loadModel(dir), `loadModel: ${dir} is a folder; expected a regular file`],
    ["readIdx: a device (/dev/null)", () => mn.data.readIdx("/dev/null"), "readIdx: /dev/null is a character device; expected a regular file"],
  ]);

  test("the error is a DataFormatError (exit status 1 in the CLI)", () => {
    assert.throws(() => mn.io.loadSafetensors(missing), mn.DataFormatError);
  });
});
