import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { digits, model } from "./fit-helpers.js";

const { fit, callbacks: cb } = mn.train;

describe("fit: the first error is the one reported", () => {
  test("training fails (a checkpoint on a full disk), then a callback's onTrainEnd fails too (the log's last line): fit throws the first; every onTrainEnd still runs", () => {
    const m = model(1), ended: string[] = [];
    const first = new mn.FileError({ path: "run/checkpoints/last.safetensors", code: "ENOSPC", sentence: "no space left on device writing run/checkpoints/last.safetensors" });
    const callbacks = [
      new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 2) throw first; } }),
      new cb.LambdaCallback({ onTrainEnd: () => { ended.push("logger"); throw new Error("no space left on device writing run/metrics.jsonl"); } }),
      new cb.LambdaCallback({ onTrainEnd: () => { ended.push("progress bar"); } }),
    ];
    assert.throws(() => fit(m, { train: digits(200).train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 1, batchSize: 50, callbacks }), (e) => e === first);
    assert.deepEqual(ended, ["logger", "progress bar"]);
  });

  test("training succeeds and an onTrainEnd fails: that error is thrown, as before", () => {
    const m = model(1);
    const callbacks = [new cb.LambdaCallback({ onTrainEnd: () => { throw new Error("end failed"); } })];
    assert.throws(() => fit(m, { train: digits(100).train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 1, batchSize: 50, callbacks }), { message: "end failed" });
  });
});
