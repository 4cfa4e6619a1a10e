import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { parseRunLog } from "../../src/io/run-log.js";
import { runPlots } from "../../src/report/run-plots.js";
import { TensorDataset } from "../../src/data/dataset.js";
import { sameWeights, tmp } from "../train/fit-helpers.js";

/**
 * Linear regression on inputs whose columns are orthogonal and zero-mean: the mean squared error's Hessian over
 * (w₁, w₂, b) is (2/n)·[XᵀX, Xᵀ1; 1ᵀX, n] = (2/4)·diag(2, 8, 4) = diag(1, 4, 2), whatever the weights: λmax = 4.
 */
function regression() {
  const x = new mn.Tensor(Float64Array.from([1, 0, -1, 0, 0, 2, 0, -2]), [4, 2]);
  const y = new mn.Tensor(Float64Array.from([0.5, -1, 2, 0.25]), [4, 1]);
  mn.manualSeed(0);
  const model = new mn.nn.Linear(2, 1, { dtype: "float64" });
  return { model, x, y, train: new TensorDataset(x, y) };
}

test("SharpnessMonitor: λmax every 3 steps equals the closed form 4 of a linear regression's Hessian, beside the lr each step used", () => {
  const { model, x, y, train } = regression();
  const optimizer = new mn.optim.SGD(model.parameters(), { lr: 0.1 });
  const scheduler = new mn.optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
  const monitor = new mn.landscape.SharpnessMonitor({ every: 3, batches: [[x, y]], lossFn: mn.nn.functional.mseLoss });
  const history = mn.train.fit(model, { train, optimizer, scheduler, loss: mn.nn.functional.mseLoss, epochs: 5, batchSize: 2, verbose: 0, callbacks: [monitor] });
  assert.deepEqual(history.sharpness.map((s) => s.step), [3, 6, 9]);
  for (const s of history.sharpness) {
    assert.ok(Math.abs(s.lambdaMax - 4) < 1e-10, `λmax ${s.lambdaMax} at step ${s.step}`);
    assert.equal(s.lr, history.steps[s.step - 1]!.lr);
    assert.equal(s.epoch, history.steps[s.step - 1]!.epoch);
  }
  assert.deepEqual(history.sharpness.map((s) => s.lr), [0.05, 0.025, 0.00625]); // StepLR halves it each epoch of 2 steps
});

test("SharpnessMonitor: training with it is bit-identical to training without it (dropout's stream, batch-norm statistics, weights)", () => {
  const run = (monitored: boolean) => {
    mn.manualSeed(3);
    const g = new mn.Generator(7);
    const x = mn.randn([48, 4], { generator: g }), y = mn.randint(0, 3, [48], { generator: g });
    const model = new mn.nn.Sequential(new mn.nn.Linear(4, 16), new mn.nn.BatchNorm1d(16), new mn.nn.ReLU(), new mn.nn.Dropout(0.3), new mn.nn.Linear(16, 3));
    const optimizer = new mn.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const callbacks = monitored ? [new mn.landscape.SharpnessMonitor({ every: 2, batches: [[x.narrow(0, 0, 16), y.narrow(0, 0, 16)]] })] : [];
    const history = mn.train.fit(model, { train: new TensorDataset(x, y), optimizer, epochs: 3, batchSize: 8, seed: 1, verbose: 0, callbacks });
    return { model, history };
  };
  const plain = run(false), watched = run(true);
  assert.equal(watched.history.sharpness.length, 9);
  assert.ok(watched.history.sharpness.every((s) => Number.isFinite(s.lambdaMax) && s.lambdaMax > 0));
  sameWeights(plain.model, watched.model); // the state dict: weights and batch norm's running statistics
  assert.deepEqual(watched.history.steps, plain.history.steps);
});

test("SharpnessMonitor: the run log writes its records and reads them back; the run report draws λmax beside 2/lr", () => {
  const { model, x, y, train } = regression();
  const path = join(tmp(), "metrics.jsonl");
  const optimizer = new mn.optim.SGD(model.parameters(), { lr: 0.1 });
  const history = mn.train.fit(model, { train, optimizer, loss: mn.nn.functional.mseLoss, epochs: 2, batchSize: 2, verbose: 0,
    callbacks: [new mn.landscape.SharpnessMonitor({ every: 1, batches: [[x, y]], lossFn: mn.nn.functional.mseLoss }), new mn.train.callbacks.JsonlLogger({ path })] });
  const text = readFileSync(path, "utf8");
  assert.equal(text.split("\n").filter((l) => l.includes('"kind":"sharpness"')).length, 4);
  const log = parseRunLog(text, path);
  assert.deepEqual(log.history.sharpness, history.sharpness);
  const plot = runPlots(mn.train.History.fromJSON(log.history)).find((p) => p.name === "sharpness")!;
  assert.equal(plot.note, null);
  assert.match(plot.svg!, /2\/lr/);
  assert.match(plot.svg!, /λmax/);
});

test("SharpnessMonitor: a run without it gets no sharpness chart", () => {
  assert.equal(runPlots(new mn.train.History()).find((p) => p.name === "sharpness"), undefined);
});

test("SharpnessMonitor: bad options are refused with exact messages", () => {
  assert.throws(() => new mn.landscape.SharpnessMonitor({ every: 0, batches: [] }), { message: "SharpnessMonitor: invalid every; expected a positive integer, got 0" });
  assert.throws(() => new mn.landscape.SharpnessMonitor({ every: 5, batches: [] }), { message: "SharpnessMonitor: invalid batches; expected a non-empty array of [inputs, targets] batches, got []" });
});
