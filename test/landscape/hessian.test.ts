import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { gradientAndHessian } from "../../src/optim/newton.js";

/** A float64 tanh MLP 3→4→2 with cross-entropy: small enough for the dense Hessian by n double backwards. */
function smallNet(seed: number) {
  mn.manualSeed(seed);
  const model = new mn.nn.Sequential(new mn.nn.Linear(3, 4, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(4, 2, { dtype: "float64" }));
  const g = new mn.Generator(seed + 100);
  const batches = [5, 3].map((n) => [mn.randn([n, 3], { generator: g, dtype: "float64" }), mn.randint(0, 2, [n], { generator: g })] as const);
  return { model, batches };
}

test("hessian: H·v equals the dense Hessian of the size-weighted mean loss (gradientAndHessian over all samples) times v", () => {
  const { model, batches } = smallNet(1);
  const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, batches);
  const x = mn.cat(batches.map((b) => b[0]), 0), y = mn.cat(batches.map((b) => b[1]), 0);
  const { hessian } = gradientAndHessian(mn.nn.functional.crossEntropy(model.forward(x), y), model.parameters());
  const n = H.size;
  assert.equal(n, 3 * 4 + 4 + 4 * 2 + 2);
  const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const hv = H.matvec(v);
  const want = mn.landscape.denseOperator(hessian, n).matvec(v);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(hv[i]! - want[i]!) < 1e-12, `entry ${i}: ${hv[i]} against ${want[i]}`);
});

test("hessian: power iteration's top eigenvalue equals the dense Hessian's largest |λ| (Jacobi-free check: Rayleigh quotient and residual)", () => {
  const { model, batches } = smallNet(2);
  const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, batches);
  const { values, vectors } = H.topEigen({ method: "power", tol: 1e-12, maxIter: 5000 });
  const hv = H.matvec(vectors[0]!);
  const residual = Math.hypot(...hv.map((h, i) => h - values[0]! * vectors[0]![i]!));
  assert.ok(residual < 1e-5 * Math.abs(values[0]!), `‖Hv − λv‖ = ${residual}, λ = ${values[0]}`);
});

test("hessian: params by name select a block, and an unknown name is refused naming the choices", () => {
  const { model, batches } = smallNet(3);
  const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, batches, { params: ["2.weight"] });
  assert.equal(H.size, 8);
  assert.throws(() => mn.landscape.hessian(model, mn.nn.functional.crossEntropy, batches, { params: ["2.wieght"] }),
    { message: 'hessian: params[0]: no parameter named "2.wieght"; expected one of 0.weight, 0.bias, 2.weight, 2.bias' });
});
