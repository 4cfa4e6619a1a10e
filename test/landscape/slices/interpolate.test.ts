import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";

const ce = mn.nn.functional.crossEntropy;

function mlp(seed: number, dtype: "float32" | "float64") {
  mn.manualSeed(seed);
  return new mn.nn.Sequential(new mn.nn.Linear(4, 6, { dtype }), new mn.nn.BatchNorm1d(6, { dtype }), new mn.nn.ReLU(), new mn.nn.Linear(6, 3, { dtype }));
}

function data(dtype: "float32" | "float64") {
  const g = new mn.Generator(7);
  return [9, 4].map((n) => [mn.randn([n, 4], { generator: g, dtype }), mn.randint(0, 3, [n], { generator: g })]);
}

/** Gives the batch norm layers running statistics of their own, so the two weight sets differ in their buffers too. */
function trainStatistics(model: mn.nn.Module, batches: mn.Tensor[][]) {
  model.train();
  mn.noGrad(() => batches.forEach(([x]) => model.forward(x!)));
}

for (const dtype of ["float32", "float64"] as const) {
  test(`interpolate (${dtype}): the losses at α = 0 and α = 1 equal mn.train.evaluate's losses of the two models exactly`, () => {
    const batches = data(dtype);
    const a = mlp(1, dtype), b = mlp(2, dtype);
    trainStatistics(b, batches);
    const line = mn.landscape.interpolate(a, b.copyStateDict(), { model: a, lossFn: ce, batches, alphas: [1, -0.5, 0, 0.5, 1.5] });
    const lossA = mn.train.evaluate(a, batches, ce), lossB = mn.train.evaluate(b, batches, ce);
    assert.equal(line.losses[2], lossA.loss);
    assert.equal(line.losses[0], lossB.loss);
    assert.equal(line.accuracies[2], lossA.accuracy);
    assert.equal(line.accuracies[0], lossB.accuracy);
    assert.deepEqual(line.alphas, [1, -0.5, 0, 0.5, 1.5]);
  });
}

test("interpolate: the midpoint equals the loss of a model loaded with the averaged state dict (buffers averaged too), and the model's weights are put back", () => {
  const batches = data("float64");
  const a = mlp(3, "float64"), b = mlp(4, "float64");
  trainStatistics(b, batches);
  const before = a.copyStateDict();
  const line = mn.landscape.interpolate(a, b, { model: a, lossFn: ce, batches, alphas: [0.5] });
  const mid = mlp(5, "float64"), sa = a.stateDict(), sb = b.stateDict();
  mid.loadStateDict(Object.fromEntries(Object.entries(sa).map(([k, t]) => [k, t.dtype === "int32" ? t : t.add(sb[k]!).mul(0.5)])));
  assert.equal(line.losses[0], mn.train.evaluate(mid, batches, ce).loss);
  for (const [k, t] of Object.entries(a.stateDict())) assert.deepEqual([...t.data], [...before[k]!.data], k);
});

test("interpolate: a linear model's MSE along the line equals the closed-form quadratic in α (sums by hand)", () => {
  mn.manualSeed(0);
  const model = new mn.nn.Linear(2, 1, { dtype: "float64" });
  const wa = [0.3, -1.2, 0.5], wb = [-0.7, 2.0, -0.25]; // w0, w1, bias
  const state = (w: number[]) => ({ weight: mn.tensor([[w[0]!, w[1]!]], { dtype: "float64" }), bias: mn.tensor([w[2]!], { dtype: "float64" }) });
  const xs = [[1, 2], [-0.5, 0.25], [3, -1]], ys = [0.5, -1, 2];
  const batches = [[mn.tensor(xs, { dtype: "float64" }), mn.tensor(ys.map((y) => [y]), { dtype: "float64" })]];
  const alphas = [-1, -0.25, 0.3, 0.75, 2];
  const line = mn.landscape.interpolate(state(wa), state(wb), { model, lossFn: mn.nn.functional.mseLoss, batches, alphas });
  alphas.forEach((alpha, k) => {
    const w = wa.map((v, i) => (1 - alpha) * v + alpha * wb[i]!);
    const want = xs.reduce((s, [x0, x1], i) => s + (w[0]! * x0! + w[1]! * x1! + w[2]! - ys[i]!) ** 2, 0) / xs.length;
    assert.ok(Math.abs(line.losses[k]! - want) < 1e-12 * (1 + want), `α = ${alpha}: ${line.losses[k]} against ${want}`);
    assert.equal(line.accuracies[k], null);
  });
});

test("interpolate: weights without one of the model's tensors, or with another shape, are refused naming it", () => {
  const batches = data("float64");
  const a = mlp(1, "float64");
  const partial = a.copyStateDict();
  delete partial["3.bias"];
  assert.throws(() => mn.landscape.interpolate(a, partial, { model: a, lossFn: ce, batches }),
    { message: "interpolate: b: the weights have no 3.bias; expected the keys of the model's stateDict()" });
  const wrong = { ...a.copyStateDict(), "3.bias": mn.zeros([4], { dtype: "float64" }) };
  assert.throws(() => mn.landscape.interpolate(wrong, a, { model: a, lossFn: ce, batches }),
    { message: "interpolate: a: size mismatch for 3.bias: the weights have [4], the model has [3]" });
  assert.throws(() => mn.landscape.interpolate(a, a, { model: a, lossFn: ce, batches, alphas: [] }),
    { message: "interpolate: invalid alphas; expected a non-empty array of finite numbers, got []" });
  assert.throws(() => mn.landscape.interpolate(a, a, { model: a, lossFn: ce, batches: [] }),
    { message: "interpolate: needs at least one batch" });
});
