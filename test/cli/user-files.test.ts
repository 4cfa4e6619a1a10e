import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { MAIN, useCli } from "./run-minima.js";

const cli = useCli();
const TRAIN = ["train", "--epochs", "1", "--hidden", "16", "--train-size", "200"];

/** Runs minima with a time limit: a reader that blocks on a named pipe or reads /dev/zero forever fails the test instead of hanging it. */
function minima(...args: string[]): { code: number | null; err: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { ...cli.spawnOptions, encoding: "utf8", timeout: 30_000 });
  assert.notEqual(r.signal, "SIGTERM", `minima ${args.join(" ")} was still running after 30 s`);
  return { code: r.status, err: r.stderr };
}

describe("files the user names must be regular files: a clear error naming the path, exit 1, never a hang", () => {
  const dir = cli.tmp();
  const fifo = join(dir, "weights.fifo"), folder = join(dir, "weights"), missing = join(dir, "nope.safetensors");
  mkdirSync(folder);
  spawnSync("mkfifo", [fifo]);

  const cases: [string, string[], string][] = [
    ["--init-from a missing file", [...TRAIN, "--out", join(dir, "r1"), "--init-from", missing], `minima: --init-from: no such file: ${missing}\n`],
    ["--init-from a folder", [...TRAIN, "--out", join(dir, "r2"), "--init-from", folder], `minima: --init-from: ${folder} is a folder; expected a regular file\n`],
    ["--init-from a named pipe (it blocked forever)", [...TRAIN, "--out", join(dir, "r3"), "--init-from", fifo], `minima: --init-from: ${fifo} is a named pipe (FIFO); expected a regular file\n`],
    ["--init-from /dev/zero (it read until killed)", [...TRAIN, "--out", join(dir, "r4"), "--init-from", "/dev/zero"], "minima: --init-from: /dev/zero is a character device; expected a regular file\n"],
    ["predict a named pipe as the model", ["predict", fifo, "x.png"], `minima: predict: ${fifo} is a named pipe (FIFO); expected a regular file\n`],
    ["evaluate /dev/zero as the model", ["evaluate", "/dev/zero"], "minima: evaluate: /dev/zero is a character device; expected a regular file\n"],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const r = minima(...args);
      assert.deepEqual([r.code, r.err], [1, message]);
    });
  }
});
