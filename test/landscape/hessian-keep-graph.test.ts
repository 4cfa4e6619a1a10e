import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { gradientAndHessian } from "../../src/optim/newton.js";

/** A float64 tanh MLP 3→4→2 and one batch: small enough for the dense Hessian by n double backwards. */
function smallNet() {
  mn.manualSeed(5);
  const model = new mn.nn.Sequential(new mn.nn.Linear(3, 4, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(4, 2, { dtype: "float64" }));
  const g = new mn.Generator(105);
  const batch = [mn.randn([6, 3], { generator: g, dtype: "float64" }), mn.randint(0, 2, [6], { generator: g })] as const;
  return { model, batch };
}

/** The dense Hessian's product with v (gradientAndHessian: n double backwards, independent of the operator). */
function denseProduct(model: mn.nn.Module, batch: readonly [mn.Tensor, mn.Tensor], v: Float64Array): Float64Array {
  const { hessian } = gradientAndHessian(mn.nn.functional.crossEntropy(model.forward(batch[0]), batch[1]), model.parameters());
  return mn.landscape.denseOperator(hessian, v.length).matvec(v);
}

function assertClose(got: Float64Array, want: Float64Array, what: string): void {
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-12, `${what}, entry ${i}: ${got[i]} against ${want[i]}`);
}

test("hessian keepGraph: repeated products on one kept graph equal the dense Hessian's, and equal those without keepGraph", () => {
  const { model, batch } = smallNet();
  const kept = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, [batch], { keepGraph: true });
  const fresh = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, [batch], { keepGraph: false });
  for (let k = 0; k < 3; k++) {
    const v = Float64Array.from({ length: kept.size }, (_, i) => Math.sin(i + 1 + 7 * k));
    const want = denseProduct(model, batch, v);
    assertClose(kept.matvec(v), want, `product ${k}, graph kept`);
    assertClose(fresh.matvec(v), want, `product ${k}, graph rebuilt`);
  }
});

test("hessian keepGraph: after the weights change in place (an optimizer step), the next product is the new weights' Hessian (dense reference)", () => {
  const { model, batch } = smallNet();
  const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, [batch]); // one batch: keeps its graph by default
  const v = Float64Array.from({ length: H.size }, (_, i) => Math.cos(i));
  const before = H.matvec(v);
  const opt = new mn.optim.SGD(model.parameters(), { lr: 0.5 });
  opt.zeroGrad();
  mn.nn.functional.crossEntropy(model.forward(batch[0]), batch[1]).backward();
  opt.step();
  const after = H.matvec(v), want = denseProduct(model, batch, v);
  assertClose(after, want, "after the step");
  assert.ok(Math.max(...after.map((a, i) => Math.abs(a - before[i]!))) > 1e-6, "the step changed the Hessian (else the test proves nothing)");
});
