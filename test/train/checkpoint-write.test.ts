import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import type { Checkpoint } from "../../src/train/checkpoint.js";
import { cleanCheckpointLeftovers, loadCheckpoint, saveCheckpoint } from "../../src/train/checkpoint-files.js";
import { mountSmallDisk } from "../helpers/small-disk.js";
import { digits, model, tmp } from "./fit-helpers.js";

/** Two checkpoints of a real run (MLP 784-32-10, Adam), after steps 2 and 4. */
function twoCheckpoints(): [Checkpoint, Checkpoint] {
  const m = model(3), saved: Checkpoint[] = [];
  mn.train.fit(m, {
    train: digits(200).train, optimizer: new mn.optim.Adam(m.parameters(), { lr: 0.001 }), epochs: 1, batchSize: 50,
    callbacks: [new mn.train.callbacks.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step % 2 === 0) saved.push(ctx.checkpoint()); } })],
  });
  return [saved[0]!, saved[1]!];
}

const stepOf = (dir: string, name: string) => loadCheckpoint(dir, name).state.step;

describe("saveCheckpoint never commits a short file", () => {
  test("on a full disk (2 MB tmpfs): a FileError naming the checkpoint's file, not its .next copy; the old checkpoint loads; no .next file stays", (t) => {
    const disk = mountSmallDisk(t);
    if (!disk) return;
    const [first, second] = twoCheckpoints();
    saveCheckpoint(disk.dir, "last", first);
    disk.fill(60 * 1024); // less than the weights' 100 KB
    assert.throws(() => saveCheckpoint(disk.dir, "last", second), (e: Error) => {
      assert.ok(e instanceof mn.FileError, e.message);
      assert.equal(e.message, `no space left on device writing ${join(disk.dir, "last.safetensors")}`);
      return true;
    });
    assert.deepEqual(readdirSync(disk.dir).sort(), [".filler", "last.json", "last.safetensors", "last.state.safetensors"]);
    assert.equal(stepOf(disk.dir, "last"), 2);
    disk.free();
    saveCheckpoint(disk.dir, "last", second);
    assert.equal(stepOf(disk.dir, "last"), 4);
  });
});

describe("cleanCheckpointLeftovers", () => {
  test("finishes a committed save's renames (its .next files match the JSON), removes an uncommitted save's .next files and dead writers' .tmp files", () => {
    const [first, second] = twoCheckpoints();
    const dir = tmp(), old = tmp();
    saveCheckpoint(old, "last", first);
    saveCheckpoint(dir, "last", second);
    // A kill after the commit (last.json is the second's) and before the renames: the first's files are still in place.
    for (const file of ["last.safetensors", "last.state.safetensors"]) {
      copyFileSync(join(dir, file), join(dir, `${file}.next`));
      copyFileSync(join(old, file), join(dir, file));
    }
    // A save of "best" that failed before its commit, and a config.json torn by a process that is gone (pid 2^22 + 1 is above Linux's pid_max).
    writeFileSync(join(dir, "best.safetensors.next"), "half");
    writeFileSync(join(dir, `.best.json.${2 ** 22 + 1}.tmp`), "{");
    assert.deepEqual(cleanCheckpointLeftovers(dir).sort(), [`.best.json.${2 ** 22 + 1}.tmp`, "best.safetensors.next"]);
    assert.deepEqual(readdirSync(dir).sort(), ["last.json", "last.safetensors", "last.state.safetensors"]);
    assert.equal(stepOf(dir, "last"), 4);
  });

  test("mn.train.callbacks.ModelCheckpoint cleans its folder when it is made", () => {
    const dir = tmp();
    writeFileSync(join(dir, "last.safetensors.next"), "half");
    new mn.train.callbacks.ModelCheckpoint({ dir });
    assert.deepEqual(readdirSync(dir), []);
  });
});
