import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

/** H·v by double backward: the gradient of (∇f · v). */
function hvp(f: (ps: mn.Tensor[]) => mn.Tensor, params: mn.Tensor[], v: mn.Tensor[]): mn.Tensor[] {
  const grads = mn.autograd.grad(f(params), params, { createGraph: true });
  const dot = grads.map((g, i) => g.mul(v[i]!).sum()).reduce((a, b) => a.add(b));
  return mn.autograd.grad(dot, params);
}

describe("Hessian-vector products by double backward", () => {
  test("quadratic ½xᵀAx + bᵀx: H·v equals A_sym·v (closed form)", () => {
    const g = new mn.Generator(3);
    const A = mn.randn([5, 5], { dtype: "float64", generator: g });
    const b = mn.randn([5], { dtype: "float64", generator: g });
    const x = mn.randn([5], { dtype: "float64", generator: g, requiresGrad: true });
    const v = mn.randn([5], { dtype: "float64", generator: g });
    const f = ([p]: mn.Tensor[]) => p!.matmul(A).matmul(p!).mul(0.5).add(b.matmul(p!));
    const [hv] = hvp(f, [x], [v]);
    // ∇² (½xᵀAx) = (A + Aᵀ)/2
    const expected = A.add(A.t()).mul(0.5).matmul(v);
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(hv!.data[i]! - expected.data[i]!) < 1e-12, `entry ${i}`);
  });

  test("the seeds' ill-conditioned valley w1²/64 + w2²: H = diag(1/32, 2) (closed form)", () => {
    const w = mn.tensor([3, -2], { dtype: "float64", requiresGrad: true });
    const f = ([p]: mn.Tensor[]) => p!.index(0).square().div(64).add(p!.index(1).square());
    const [h0] = hvp(f, [w], [mn.tensor([1, 0], { dtype: "float64" })]);
    const [h1] = hvp(f, [w], [mn.tensor([0, 1], { dtype: "float64" })]);
    assert.deepEqual(Array.from(h0!.data), [1 / 32, 0]);
    assert.deepEqual(Array.from(h1!.data), [0, 2]);
  });

  test("small MLP with tanh and cross-entropy: H·v equals a central difference of gradients (h=1e-5)", () => {
    const g = new mn.Generator(11);
    mn.manualSeed(5);
    const model = new mn.nn.Sequential(new mn.nn.Linear(4, 6, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(6, 3, { dtype: "float64" }));
    const x = mn.randn([8, 4], { dtype: "float64", generator: g });
    const y = mn.randint(0, 3, [8], { generator: g });
    const params = model.parameters();
    const v = params.map((p) => mn.randn([...p.shape], { dtype: "float64", generator: g }));
    const loss = () => mn.nn.functional.crossEntropy(model.forward(x), y);
    const hv = hvp(() => loss(), params, v);
    const h = 1e-5;
    const gradAt = (sign: number) => {
      params.forEach((p, i) => { for (let j = 0; j < p.numel(); j++) p.data[j] += sign * h * v[i]!.data[j]!; });
      const grads = mn.autograd.grad(loss(), params);
      params.forEach((p, i) => { for (let j = 0; j < p.numel(); j++) p.data[j] -= sign * h * v[i]!.data[j]!; });
      return grads;
    };
    const plus = gradAt(1), minus = gradAt(-1);
    params.forEach((p, i) => {
      for (let j = 0; j < p.numel(); j++) {
        const numeric = (plus[i]!.data[j]! - minus[i]!.data[j]!) / (2 * h);
        assert.ok(Math.abs(hv[i]!.data[j]! - numeric) < 1e-7 + 1e-5 * Math.abs(numeric), `param ${i} entry ${j}: ${hv[i]!.data[j]} vs ${numeric}`);
      }
    });
  });
});
