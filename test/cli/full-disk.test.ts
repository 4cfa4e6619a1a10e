import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors } from "../../src/io/safetensors.js";
import { loadCheckpoint } from "../../src/train/checkpoint-files.js";
import { mountSmallDisk } from "../helpers/small-disk.js";
import { filesUnder, useCli } from "./run-minima.js";

const cli = useCli();
const FLAGS = ["train", "--epochs", "2", "--hidden", "16", "--train-size", "1000", "--checkpoint-every", "2", "--seed", "5"];
let roomyRun: string | null = null;
/** The same run on the scratch disk, made once. */
function roomy(): string {
  if (roomyRun === null) {
    roomyRun = join(cli.tmp(), "roomy");
    assert.equal(cli.run(...FLAGS, "--out", roomyRun).code, 0);
  }
  return roomyRun;
}
const weightsOf = (run: string) => Object.entries(decodeSafetensors(readFileSync(join(run, "model.safetensors")))).map(([k, t]) => [k, [...t.data]]);

describe("minima train on a nearly full disk (a 2 MB tmpfs)", () => {
  // Free space that runs out at different points: before any checkpoint, while `last` is replaced,
  // while last.json is written, after `best` was saved too.
  for (const leaveKb of [40, 200, 320, 440]) {
    test(`${leaveKb} KB free: exit 1, 'minima: no space left on device writing <the run's file>'; every checkpoint left loads; no partial line, .next or .tmp file; --resume after freeing space ends with the weights of a run on a roomy disk`, (t) => {
      const disk = mountSmallDisk(t);
      if (!disk) return;
      const run = join(disk.dir, "run");
      disk.fill(leaveKb * 1024);
      const r = cli.run(...FLAGS, "--out", run);
      assert.equal(r.code, 1, r.out + r.err);
      const named = /^minima: no space left on device writing (\S+)\n$/.exec(r.err);
      assert.ok(named, r.err);
      assert.ok(named[1]!.startsWith(run + "/") && !/\.(next|tmp)$/.test(named[1]!), `names a file of the run, not a temporary one: ${named[1]}`);
      assert.deepEqual(filesUnder(run).filter((f) => /\.(next|tmp)$/.test(f)), []);
      const checkpoints = join(run, "checkpoints");
      for (const name of ["last", "best"]) if (existsSync(join(checkpoints, `${name}.json`))) loadCheckpoint(checkpoints, name);
      for (const line of readFileSync(join(run, "metrics.jsonl"), "utf8").split("\n").slice(0, -1)) JSON.parse(line);
      t.diagnostic(`failed on ${named[1]}; checkpoints left: ${readdirSync(checkpoints).join(", ") || "none"}`);

      disk.free();
      const resumed = cli.run("train", "--resume", run);
      assert.equal(resumed.code, 0, resumed.out + resumed.err);
      assert.deepEqual(weightsOf(run), weightsOf(roomy()));
    });
  }
});
