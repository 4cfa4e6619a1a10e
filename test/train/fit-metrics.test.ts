import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";
import { digits, model, tmp } from "./fit-helpers.js";

const { fit, callbacks: cb } = mn.train;
const near = (a: number | null, b: number, what: string, rel = 1e-12) => assert.ok(a !== null && Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** The mean largest softmax probability of a batch: a per-sample mean, so its size-weighted batch means are the whole set's mean. */
function meanConfidence(output: mn.Tensor): number {
  const p = output.softmax(1).data, [n, c] = output.shape as [number, number];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.max(...p.subarray(i * c, (i + 1) * c));
  return sum / n;
}

const oneHot = (y: mn.Tensor, k: number) => mn.tensor(Array.from(y.data, (c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));

describe("fit's metrics (Keras's)", () => {
  test("train values are the size-weighted means of the metric over the epoch's training batches (as the metric saw them); val and test values are the whole set's", () => {
    const { train, val } = digits(130);
    const m = model(0);
    // A metric that records what it is called on: in training mode it sees the training batches.
    let calls: { value: number; size: number }[] = [];
    const recorded: { value: number; size: number }[][] = [];
    const mae = { name: "mae", fn: (out: mn.Tensor, y: mn.Tensor) => {
      const value = out.softmax(1).sub(oneHot(y, 10)).abs().mean().item();
      if (m.training) calls.push({ value, size: y.shape[0]! });
      return value;
    } };
    const h = fit(m, { train, val, test: val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 32, evalBatchSize: 64, verbose: 0,
      metrics: ["accuracy", mn.metrics.topKAccuracy(3), meanConfidence, mae],
      callbacks: [new cb.LambdaCallback({ onEpochEnd: () => { recorded.push(calls); calls = []; } })] });
    assert.deepEqual(Object.keys(h.epochs[0]!.metrics!), ["top3Accuracy", "meanConfidence", "mae"]);
    h.epochs.forEach((e, i) => {
      const batches = recorded[i]!;
      assert.deepEqual(batches.map((b) => b.size), [32, 32, 32, 32, 2]);
      near(e.metrics!["mae"]!.train, batches.reduce((s, b) => s + b.value * b.size, 0) / 130, `epoch ${i + 1} train mae`);
    });
    // After the last epoch the weights are the ones its val and test values were measured with.
    const [xv, yv] = val.tensors as [mn.Tensor, mn.Tensor];
    const out = mn.train.predict(m, xv, { batchSize: 64 }); // the batches fit evaluated, so the float32 outputs are the same bits
    const last = h.epochs.at(-1)!;
    for (const split of ["val", "test"] as const) {
      near(last.metrics!["top3Accuracy"]![split], mn.metrics.topKAccuracy(3).fn(out, yv), `${split} top3Accuracy`);
      near(last.metrics!["meanConfidence"]![split], meanConfidence(out), `${split} meanConfidence`);
      // mae's own float32 mean over 64 samples and over 300 round differently.
      near(last.metrics!["mae"]![split], mae.fn(out, yv), `${split} mae`, 1e-6);
    }
    near(last.valAccuracy, mn.metrics.accuracy(out, yv), "valAccuracy");
    assert.deepEqual(h.metric("valTop3Accuracy"), h.epochs.map((e) => e.metrics!["top3Accuracy"]!.val));
    assert.deepEqual(h.metric("testMae"), h.epochs.map((e) => e.metrics!["mae"]!.test));
    assert.deepEqual(h.metric("meanConfidence"), h.epochs.map((e) => e.metrics!["meanConfidence"]!.train));
    assert.deepEqual(h.metric("nothing"), [null, null]);
  });

  test('"accuracy" turns on accuracy for float (soft) targets, as accuracy: true does; a run without val has null val values', () => {
    const { train } = digits(40);
    const [x, y] = train.tensors as [mn.Tensor, mn.Tensor];
    const soft = new mn.data.TensorDataset(x, oneHot(y, 10));
    const run = (extra: Partial<mn.train.FitOptions>) => {
      const m = model(1);
      return fit(m, { train: soft, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 1, batchSize: 20, verbose: 0,
        loss: (o, t) => mn.nn.functional.crossEntropy(o, t), ...extra });
    };
    assert.equal(run({}).epochs[0]!.accuracy, null);
    assert.equal(run({ metrics: ["accuracy"] }).epochs[0]!.accuracy, run({ accuracy: true }).epochs[0]!.accuracy);
    const top = run({ metrics: [{ name: "half", fn: () => 0.5 }] }).epochs[0]!.metrics!["half"]!;
    assert.deepEqual(top, { train: 0.5, val: null, test: null });
    // A metric's ops on the training output record no graph (1 would mean they did).
    const recorded = run({ metrics: [{ name: "recorded", fn: (o) => (o.requiresGrad && o.mul(2).requiresGrad ? 1 : 0) }] }).epochs[0]!.metrics!["recorded"]!;
    assert.equal(recorded.train, 0);
  });

  test("a run killed inside an epoch and resumed ends with the metrics of one never interrupted, bit for bit", () => {
    const { train, val } = digits(100);
    const dir = tmp();
    const options = (m: mn.nn.Module, callbacks: mn.train.Callback[], resume: mn.train.Checkpoint | null = null): mn.train.FitOptions => ({
      train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 20, verbose: 0, resume,
      metrics: [mn.metrics.topKAccuracy(2), meanConfidence], callbacks: [new cb.ModelCheckpoint({ dir, everySteps: 2, saveBest: false }), ...callbacks] });
    const a = model(2);
    const whole = fit(a, options(a, []));
    const b = model(2);
    const kill = new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 7) throw new Error("killed"); } });
    assert.throws(() => fit(b, options(b, [kill])), /killed/);
    const c = model(2);
    const resumed = fit(c, options(c, [], mn.train.loadCheckpoint(dir, "last")));
    assert.deepEqual(resumed.epochs.map((e) => e.metrics), whole.epochs.map((e) => e.metrics));
  });

  test("JsonlLogger writes them on the epoch lines of metrics.jsonl, and the run log reads them back", () => {
    const { train, val } = digits(60);
    const m = model(3);
    const path = join(tmp(), "metrics.jsonl");
    const h = fit(m, { train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 30, verbose: 0,
      metrics: [mn.metrics.topKAccuracy(5)], callbacks: [new cb.JsonlLogger({ path })] });
    const text = readFileSync(path, "utf8");
    assert.match(text.split("\n")[0]!, /"version":"1\.3"/);
    const epochLine = JSON.parse(text.split("\n").find((l) => l.includes('"kind":"epoch"'))!) as { metrics: unknown };
    assert.deepEqual(epochLine.metrics, { top5Accuracy: h.epochs[0]!.metrics!["top5Accuracy"] });
    assert.deepEqual(mn.report.parseMetrics(text, path).history.epochs, h.epochs);
  });
});

describe("fit's metrics in CSVLogger", () => {
  test("three columns per metric after the built-in ones (name, valName, testName), holding the epoch logs' values; empty without a test set", () => {
    const { train, val } = digits(60);
    const m = model(4);
    const path = join(tmp(), "m.csv");
    const h = fit(m, { train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 30, verbose: 0,
      metrics: [mn.metrics.topKAccuracy(2), meanConfidence], callbacks: [new cb.CSVLogger({ path })] });
    const rows = readFileSync(path, "utf8").trim().split("\n").map((l) => l.split(","));
    assert.deepEqual(rows[0], ["epoch", "loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy", "lr", "steps", "seconds",
      "top2Accuracy", "valTop2Accuracy", "testTop2Accuracy", "meanConfidence", "valMeanConfidence", "testMeanConfidence"]);
    h.epochs.forEach((e, i) => {
      const v = e.metrics!;
      assert.deepEqual(rows[i + 1]!.slice(10), [String(v["top2Accuracy"]!.train), String(v["top2Accuracy"]!.val), "",
        String(v["meanConfidence"]!.train), String(v["meanConfidence"]!.val), ""]);
    });
  });
});

describe("fit's metrics: refusals", () => {
  const { train } = digits(20);
  const m = model(0);
  const base = { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 1, verbose: 0 as const };
  testErrorCases([
    ["not an array", () => fit(m, { ...base, metrics: "accuracy" as never }), 'fit: invalid metrics; expected an array of metrics ("accuracy", a named function (output, target) => number, or { name, fn }), got "accuracy"'],
    ["an unknown string", () => fit(m, { ...base, metrics: ["acc" as never] }), 'fit: invalid metrics[0]; expected "accuracy", a named function (output, target) => number, or { name, fn }, got "acc"'],
    ["a function without a name", () => fit(m, { ...base, metrics: ["accuracy", (() => () => 1)()] }), 'fit: metrics[1] is a function without a name; expected a named function (function f1(output, target) {…}, or const f1 = (output, target) => …) or { name: "f1", fn }'],
    ["a name that is not an identifier", () => fit(m, { ...base, metrics: [{ name: "top 5", fn: () => 1 }] }), 'fit: invalid name of metrics[0]; expected an identifier other than accuracy, loss, lr, epoch, steps, seconds, got "top 5"'],
    ["a built-in field's name", () => fit(m, { ...base, metrics: [{ name: "loss", fn: () => 1 }] }), 'fit: invalid name of metrics[0]; expected an identifier other than accuracy, loss, lr, epoch, steps, seconds, got "loss"'],
    ["two metrics of one name", () => fit(m, { ...base, metrics: [mn.metrics.topKAccuracy(2), mn.metrics.topKAccuracy(2)] }), 'fit: metrics[1]: two metrics are named "top2Accuracy"; expected one name per metric'],
    ['"accuracy" with accuracy false', () => fit(m, { ...base, metrics: ["accuracy"], accuracy: false }), 'fit: metrics has "accuracy" but accuracy is false; expected one of them: drop "accuracy" from metrics, or accuracy: false'],
    ["a metric that returns no number", () => fit(m, { ...base, metrics: [{ name: "bad", fn: () => "0.5" as never }] }), 'metric bad: returned no number; expected a number, got 0.5'],
  ]);
});
