import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";

/** Linear(3, 2) in float64: 6 weights, then 2 biases. */
function linear() {
  mn.manualSeed(0);
  return new mn.nn.Linear(3, 2, { dtype: "float64" });
}

const s2 = Math.SQRT1_2;
const e1 = [s2, s2, 0, 0, 0, 0], e2 = [0, 0, s2, -s2, 0, 0], e3 = [0, 0, 0, 0, 1, 0];
// Centred and orthogonal scores (Σa = Σb = 0, a·b = 0), each with one entry of largest magnitude: ‖b‖² = 50 > ‖a‖² = 16.
const a = [3, -2, 1, -1, -1], b = [0, 2, 1, 3, -6];

test("pcaDirections: a trajectory θ + (aᵢ + 0.5)·e₁ + bᵢ·e₂ + 0.25·e₃ gives the axes −e₂, e₁ (closed form: sign of the largest score positive), variance shares 50/66 and 16/66, and the coordinates (−bᵢ, aᵢ + 0.5); biases ignored", () => {
  const model = linear();
  const w = Array.from(model.weight.data), bias = Array.from(model.bias!.data);
  const g = new mn.Generator(3);
  const trajectory = a.map((ai, i) => ({
    weight: mn.tensor(w.map((v, j) => v + (ai + 0.5) * e1[j]! + b[i]! * e2[j]! + 0.25 * e3[j]!), { dtype: "float64" }).reshape([2, 3]),
    bias: mn.tensor(bias.map((v) => v + g.normal()), { dtype: "float64" }), // noise that ignore: "biasbn" leaves out
  }));
  const pca = mn.landscape.pcaDirections(model, trajectory);
  const want = [e2.map((v) => -v), e1];
  pca.directions.forEach((d, k) => [...d].forEach((v, j) => assert.ok(Math.abs(v - (want[k]![j] ?? 0)) < 1e-12, `direction ${k}[${j}] = ${v}`)));
  assert.ok(Math.abs(pca.explainedVariance[0]! - 50 / 66) < 1e-12 && Math.abs(pca.explainedVariance[1]! - 16 / 66) < 1e-12, `${pca.explainedVariance}`);
  pca.coordinates.forEach(([x, y], i) => {
    assert.ok(Math.abs(x! + b[i]!) < 1e-12, `x[${i}] = ${x}`);
    assert.ok(Math.abs(y! - (a[i]! + 0.5)) < 1e-12, `y[${i}] = ${y}`);
  });
});

test("pcaDirections: too few weight sets, or a trajectory on a line asked for a plane, is refused saying so", () => {
  const model = linear();
  const at = (t: number) => ({ weight: model.weight.detach().add(t), bias: model.bias!.detach() });
  assert.throws(() => mn.landscape.pcaDirections(model, [at(1), at(2)]),
    { message: "pcaDirections: 2 weight sets cannot span 2 directions; expected at least 3 (k + 1)" });
  assert.throws(() => mn.landscape.pcaDirections(model, [at(1), at(2), at(3)]),
    { message: "pcaDirections: the trajectory spans fewer than 2 directions (its weight sets lie on a lower-dimensional subspace)" });
});

test("eigenDirections: each direction d satisfies H·d = λ·d (the Hessian operator, residual ≤ 1e-6·λ₁), values decreasing, zero on a frozen parameter", () => {
  mn.manualSeed(4);
  const model = new mn.nn.Sequential(new mn.nn.Linear(3, 5, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(5, 2, { dtype: "float64" }));
  (model.namedParameters().find(([n]) => n === "0.bias")![1]).requiresGrad = false;
  const g = new mn.Generator(8);
  const batches = [[mn.randn([16, 3], { generator: g, dtype: "float64" }), mn.randint(0, 2, [16], { generator: g })]];
  const { values, directions } = mn.landscape.eigenDirections(model, mn.nn.functional.crossEntropy, batches, { k: 2 });
  assert.ok(values[0]! >= values[1]!);
  const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, batches);
  directions.forEach((d, k) => {
    assert.equal(d.length, model.numParameters());
    assert.deepEqual([...d.subarray(15, 20)], [0, 0, 0, 0, 0], "0.bias");
    const v = Float64Array.from([...d.subarray(0, 15), ...d.subarray(20)]);
    const hv = H.matvec(v);
    const residual = Math.hypot(...hv.map((h, i) => h - values[k]! * v[i]!));
    assert.ok(residual <= 1e-6 * values[0]!, `pair ${k}: ‖Hd − λd‖ = ${residual}`);
  });
});
