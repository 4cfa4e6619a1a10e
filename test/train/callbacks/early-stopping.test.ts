import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { DataLoader } from "../../../src/data/data-loader.js";
import { evaluate } from "../../../src/train/evaluate.js";
import { digits, model } from "../fit-helpers.js";

const { fit, callbacks: cb } = mn.train;

describe("EarlyStopping", () => {
  // A wide MLP on 64 digits with a large lr overfits within a few epochs: validation loss turns up.
  const overfit = (callbacks: mn.train.Callback[], epochs = 12) => {
    const { train, val } = digits(64);
    const m = model(5);
    const h = fit(m, { train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.3, momentum: 0.9 }), epochs, batchSize: 16, callbacks });
    return { m, h, val };
  };

  test("restoreBestWeights: the restored model's validation loss equals the best recorded one", () => {
    const stop = new cb.EarlyStopping({ patience: 2, restoreBestWeights: true });
    const { m, h, val } = overfit([stop]);
    const vals = h.metric("valLoss") as number[];
    const best = Math.min(...vals);
    assert.ok(h.epochs.length < 12, `stopped early (ran ${h.epochs.length})`);
    assert.equal(stop.best.value, best);
    assert.equal(stop.best.epoch, vals.indexOf(best) + 1);
    assert.equal(h.epochs.length, stop.best.epoch + 2); // patience 2
    assert.match(h.stopReason!, /early stopping at epoch \d+: valLoss has not improved/);
    const restored = evaluate(m, new DataLoader(val, { batchSize: 1000 }), (o, y) => mn.nn.functional.crossEntropy(o, y));
    assert.equal(restored.loss, best);
  });

  test("restores the best weights however training ends: all epochs run, or another callback stops it", () => {
    const stop = new cb.EarlyStopping({ patience: 100, restoreBestWeights: true });
    const { m, h, val } = overfit([stop], 8);
    assert.equal(h.epochs.length, 8);
    const best = Math.min(...(h.metric("valLoss") as number[]));
    assert.ok(best < h.epochs[7]!.valLoss!, "the last epoch is not the best, so restoring changes the weights");
    assert.equal(evaluate(m, new DataLoader(val, { batchSize: 1000 }), (o, y) => mn.nn.functional.crossEntropy(o, y)).loss, best);
    const halt = new cb.LambdaCallback({ onEpochEnd: (ctx, log) => { if (log.epoch === 6) ctx.stop("halted by a test"); } });
    const stop2 = new cb.EarlyStopping({ patience: 100, restoreBestWeights: true });
    const r = overfit([stop2, halt], 12);
    assert.equal(r.h.epochs.length, 6);
    assert.equal(r.h.stopReason, "halted by a test");
    assert.equal(evaluate(r.m, new DataLoader(r.val, { batchSize: 1000 }), (o, y) => mn.nn.functional.crossEntropy(o, y)).loss, stop2.best.value);
  });

  test("monitor valAccuracy maximizes; a monitored metric the run lacks, and bad options, fail clearly", () => {
    const { train } = digits(32);
    const m = model(0);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.1 });
    assert.throws(() => fit(m, { train, optimizer: opt, epochs: 1, callbacks: [new cb.EarlyStopping()] }),
      { message: "EarlyStopping: monitors valLoss, which this run does not report (give fit() a val set); expected one of loss, accuracy, lr" });
    assert.throws(() => new cb.EarlyStopping({ patience: -1 }), { message: "EarlyStopping: invalid patience; expected a non-negative integer, got -1" });
    assert.throws(() => new cb.EarlyStopping({ monitor: "val_loss" as never }), { message: /EarlyStopping: invalid monitor; expected one of loss, accuracy, valLoss/ });
    assert.throws(() => new cb.EarlyStopping({ restore_best_weights: true } as never), { message: /unknown option "restore_best_weights" — did you mean "restoreBestWeights"/ });
    assert.throws(() => new cb.ModelCheckpoint({} as never), { message: "ModelCheckpoint: missing option dir; expected a folder path" });
    assert.throws(() => new cb.DivergenceGuard({ action: "panic" as never }), { message: 'DivergenceGuard: invalid action; expected one of "stop", "rollback", got "panic"' });
    assert.throws(() => new cb.LambdaCallback({ onEpochEnds: () => {} } as never), { message: /LambdaCallback: unknown hook "onEpochEnds" — did you mean "onEpochEnd"\?/ });
    const acc2 = new cb.EarlyStopping({ monitor: "valAccuracy", patience: 5 });
    const { val } = digits(32);
    const m2 = model(0);
    const accs = fit(m2, { train, val, optimizer: new mn.optim.SGD(m2.parameters(), { lr: 0.1 }), epochs: 3, callbacks: [acc2] }).metric("valAccuracy") as number[];
    assert.equal(acc2.best.value, Math.max(...accs));
    assert.equal(acc2.best.epoch, accs.indexOf(Math.max(...accs)) + 1);
  });

  test("monitors one of fit's metrics by the name History.metric takes (Keras's val_top_k_categorical_accuracy); one the run lacks fails before the first epoch", () => {
    const { train, val } = digits(64);
    const top3 = mn.metrics.topKAccuracy(3);
    const run = (callbacks: mn.train.Callback[], epochs = 6) => {
      const m = model(5);
      return fit(m, { train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.3, momentum: 0.9 }), epochs, batchSize: 16, metrics: [top3], callbacks });
    };
    const stop = new cb.EarlyStopping({ monitor: "valTop3Accuracy", patience: 100 });
    const accs = run([stop]).metric("valTop3Accuracy") as number[];
    assert.equal(accs.length, 6);
    assert.ok(accs.every((a) => typeof a === "number"));
    // "auto" maximizes an accuracy: the best is the largest recorded value, at its first epoch.
    assert.equal(stop.best.value, Math.max(...accs));
    assert.equal(stop.best.epoch, accs.indexOf(Math.max(...accs)) + 1);
    // A scheduler's monitor takes the same names: ReduceLROnPlateau-like step(metric) gets each epoch's value.
    const seen: number[] = [];
    const recorder = { step: (v?: number) => { seen.push(v!); }, stateDict: () => ({}), loadStateDict: () => {} };
    const h = run([], 3);
    const h2 = (() => {
      const m = model(5);
      return fit(m, { train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.3, momentum: 0.9 }), epochs: 3, batchSize: 16, metrics: [top3],
        scheduler: { scheduler: recorder, interval: "epoch", monitor: "top3Accuracy" } });
    })();
    assert.deepEqual(seen, h2.metric("top3Accuracy"));
    assert.deepEqual(seen, h.metric("top3Accuracy")); // the recorder changes no lr: the same run
    let epochsBegun = 0;
    const counter = new cb.LambdaCallback({ onEpochBegin: () => { epochsBegun++; } });
    const names = "loss, accuracy, valLoss, valAccuracy, testLoss, testAccuracy, lr, top3Accuracy, valTop3Accuracy, testTop3Accuracy";
    assert.throws(() => run([counter, new cb.EarlyStopping({ monitor: "valTop5Accuracy" })]), { message: `EarlyStopping: invalid monitor; expected one of ${names}, got "valTop5Accuracy"` });
    assert.equal(epochsBegun, 0);
    const dir = mkdtempSync(join(tmpdir(), "minima-monitor-"));
    try {
      assert.throws(() => run([new cb.ModelCheckpoint({ dir, monitor: "valTop5Accuracy" })]), { message: `ModelCheckpoint: invalid monitor; expected one of ${names}, got "valTop5Accuracy"` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.throws(() => fit(model(5), { train, optimizer: new mn.optim.SGD(model(5).parameters(), { lr: 0.1 }), epochs: 1, metrics: [top3],
      scheduler: { scheduler: recorder, interval: "epoch", monitor: "valTop5Accuracy" } }), { message: `fit: invalid scheduler.monitor; expected one of ${names}, got valTop5Accuracy` });
    // Keras's spelling of a built-in name is refused when the callback is made, naming minima's.
    assert.throws(() => new cb.EarlyStopping({ monitor: "val_accuracy" }), { message: `EarlyStopping: invalid monitor; expected one of loss, accuracy, valLoss, valAccuracy, testLoss, testAccuracy, lr, or one of fit's metrics by name (top5Accuracy, valTop5Accuracy), got "val_accuracy"` });
  });
});
