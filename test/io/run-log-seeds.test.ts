import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { encodeRecord, parseRunLog, runLogHeader, type RunRecord } from "../../src/io/run-log.js";

const text = (records: readonly object[]) => records.map((r) => encodeRecord(r as RunRecord) + "\n").join("");
const epoch = { kind: "epoch", epoch: 1, loss: 2, accuracy: 0.5, valLoss: null, valAccuracy: null, testLoss: null, testAccuracy: null, lr: 0.1, steps: 4, seconds: 1 };

describe("parseRunLog and minima compare --seeds", () => {
  test("one seed's run is read; a file of several seeds of one optimizer is refused, as several optimizers are (exact text)", () => {
    const one = parseRunLog(text([runLogHeader(), { ...epoch, optimizer: "adam", seed: 3 }, { ...epoch, epoch: 2, optimizer: "adam", seed: 3 }]), "m.jsonl");
    assert.deepEqual(one.history.epochs.map((e) => e.epoch), [1, 2]);
    // Without the check, seed 1's epoch 1 would silently replace seed 0's run, as a resumed run's does.
    assert.throws(() => parseRunLog(text([runLogHeader(), { ...epoch, optimizer: "adam", seed: 0 }, { ...epoch, optimizer: "adam", seed: 1 }]), "m.jsonl"),
      { message: "m.jsonl:3: the file holds runs of several seeds (0, 1), as minima compare --seeds writes; a report shows one training run" });
  });
});
