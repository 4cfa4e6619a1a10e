import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// The poolings' gradients against central differences (float64, h = 1e-6), and their double
// backward: the gradient with respect to both the input and the output gradient (cotangent).
const F = mn.nn.functional;
const g = new mn.Generator(2024);
const r = (shape: number[]) => mn.randn(shape, { dtype: "float64", generator: g }).requiresGrad_();
type Pool = (x: mn.Tensor) => mn.Tensor;

const cases: [string, number[], Pool][] = [
  ["max k2", [1, 2, 4, 5], (x) => F.maxPool2d(x, 2)],
  ["max k2 s1 (overlapping windows)", [1, 1, 4, 4], (x) => F.maxPool2d(x, 2, { stride: 1 })],
  ["max k3 s2 p1", [2, 1, 5, 5], (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 })],
  ["max k3x2 s1x2 p1x0 d2x1 (non-square)", [1, 2, 7, 5], (x) => F.maxPool2d(x, [3, 2], { stride: [1, 2], padding: [1, 0], dilation: [2, 1] })],
  ["max k2 s2 ceilMode", [1, 1, 5, 5], (x) => F.maxPool2d(x, 2, { stride: 2, ceilMode: true })],
  ["max [C,H,W] k3 s1 p1 d2", [2, 5, 5], (x) => F.maxPool2d(x, 3, { stride: 1, padding: 1, dilation: 2 })],
  ["max k1 s2", [1, 1, 3, 3], (x) => F.maxPool2d(x, 1, { stride: 2 })],
  ["max k7 over 7x7", [1, 1, 7, 7], (x) => F.maxPool2d(x, 7)],
  ["avg k2", [1, 2, 4, 5], (x) => F.avgPool2d(x, 2)],
  ["avg k3 s2 p1", [1, 2, 5, 5], (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1 })],
  ["avg k3 s2 p1 countIncludePad false", [1, 1, 5, 5], (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false })],
  ["avg k3 s2 p1 ceilMode countIncludePad false", [1, 1, 6, 6], (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })],
  ["avg k3 s2 p1 ceilMode", [1, 1, 6, 6], (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true })],
  ["avg k2 s1 divisorOverride 3", [1, 1, 3, 4], (x) => F.avgPool2d(x, 2, { stride: 1, divisorOverride: 3 })],
  ["avg k3x1 s1x2 p1x0 (non-square)", [1, 2, 5, 7], (x) => F.avgPool2d(x, [3, 1], { stride: [1, 2], padding: [1, 0] })],
  ["avg [C,H,W] k2 s1", [3, 3, 4], (x) => F.avgPool2d(x, 2, { stride: 1 })],
  ["avg k7 over 7x7", [1, 1, 7, 7], (x) => F.avgPool2d(x, 7)],
  ["avg k1", [1, 1, 3, 3], (x) => F.avgPool2d(x, 1)],
  ["adaptive 1 (global)", [2, 2, 3, 7], (x) => F.adaptiveAvgPool2d(x, 1)],
  ["adaptive 3 from 6 (divides)", [1, 1, 6, 6], (x) => F.adaptiveAvgPool2d(x, 3)],
  ["adaptive [3,4] from 7x5 (does not divide)", [1, 2, 7, 5], (x) => F.adaptiveAvgPool2d(x, [3, 4])],
  ["adaptive [5,7] from 3x4 (more outputs than inputs)", [1, 1, 3, 4], (x) => F.adaptiveAvgPool2d(x, [5, 7])],
  ["adaptive [null,2] on [C,H,W]", [2, 3, 5], (x) => F.adaptiveAvgPool2d(x, [null, 2])],
];

describe("pooling gradients against central differences (float64, h=1e-6)", () => {
  for (const [name, shape, pool] of cases) {
    test(name, () => {
      assert.equal(mn.autograd.gradcheck(pool, [r(shape)], { atol: 1e-6, rtol: 1e-5 }), true);
    });
  }
});

describe("pooling double backward: the gradient of (x, v) ↦ ∂⟨pool(x), v⟩/∂x against central differences", () => {
  for (const [name, shape, pool] of cases) {
    test(name, () => {
      const x = r(shape);
      const v = r([...pool(x).shape]);
      const gradOfPool = (xx: mn.Tensor, vv: mn.Tensor) =>
        mn.autograd.grad(pool(xx), [xx], { gradOutputs: [vv], createGraph: true })[0]!;
      assert.equal(mn.autograd.gradcheck(gradOfPool, [x, v], { atol: 1e-6, rtol: 1e-5 }), true);
    });
  }
});

describe("the gradient with respect to the output gradient, in closed form", () => {
  const x = r([2, 3, 6, 5]);
  /** ∂⟨∂⟨pool(x), v⟩/∂x, u⟩/∂v: the adjoint of the backward, which for a linear map is the map itself. */
  function backwardAdjoint(pool: Pool, u: mn.Tensor): mn.Tensor {
    const v = mn.zeros([...pool(x).shape], { dtype: "float64" }).requiresGrad_();
    const [gx] = mn.autograd.grad(pool(x), [x], { gradOutputs: [v], createGraph: true });
    return mn.autograd.grad(gx!.mul(u).sum(), [v])[0]!;
  }
  const u = mn.randn([2, 3, 6, 5], { dtype: "float64", generator: g });

  test("max pooling: a gather of u at the argmax indices", () => {
    const [y, indices] = F.maxPool2dWithIndices(x, 3, { stride: 2, padding: 1 });
    const expected = u.reshape([6, 30]).gather(1, indices.reshape([6, -1])).reshape([...y.shape]);
    assert.deepEqual(Array.from(backwardAdjoint((t) => F.maxPool2d(t, 3, { stride: 2, padding: 1 }), u).data), Array.from(expected.data));
  });

  for (const [name, pool] of [
    ["avg pooling: avgPool2d(u) itself", (t: mn.Tensor) => F.avgPool2d(t, 3, { stride: 2, padding: 1, countIncludePad: false })],
    ["adaptive avg pooling: adaptiveAvgPool2d(u) itself", (t: mn.Tensor) => F.adaptiveAvgPool2d(t, [4, 3])],
  ] as const) {
    test(name, () => {
      assert.deepEqual(Array.from(backwardAdjoint(pool, u).data), Array.from(pool(u).data));
    });
  }
});
