import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { getBackend, kernels, setBackend } from "../../src/backend/select.js";

// Where the native backend runs convolutions on oneDNN (float32), they must compute what the im2col form of
// the js backend computes: outputs and gradients equal up to float32 rounding of differently ordered sums,
// and the gradient of the gradient too (that path differentiates the im2col form).

const hasLibrary = mn.listBackends().includes("native") && (() => {
  const suite = getBackend();
  try { setBackend("native"); return kernels().convolution !== undefined; } finally { setBackend(suite); }
})();

function onBoth<T>(fn: () => T): [T, T] {
  const suite = getBackend();
  try { setBackend("js"); const a = fn(); setBackend("native"); return [a, fn()]; } finally { setBackend(suite); }
}

/** |got − want| ≤ 1e-5 · max|want| elementwise (float32 sums of a few hundred terms in another order). */
function assertClose(got: mn.Tensor, want: mn.Tensor, label: string): void {
  assert.deepEqual(got.shape, want.shape, label);
  const scale = Math.max(1e-30, ...Array.from(want.data, Math.abs));
  for (let i = 0; i < want.data.length; i++) {
    if (!(Math.abs(got.data[i]! - want.data[i]!) <= 1e-5 * scale)) assert.fail(`${label}: element ${i}: native ${got.data[i]}, js ${want.data[i]}`);
  }
}

const CASES: [string, number[], number[], mn.nn.functional.Conv2dOptions][] = [
  ["3x3", [4, 3, 9, 8], [5, 3, 3, 3], {}],
  ["stride 2, padding 1", [3, 4, 11, 10], [6, 4, 3, 3], { stride: 2, padding: 1 }],
  ["dilation 2, padding same", [2, 2, 9, 9], [3, 2, 3, 3], { dilation: 2, padding: "same" }],
  ["groups 2, 1x3 kernel, stride 3 (the floor drops a column)", [2, 4, 7, 11], [6, 2, 1, 3], { groups: 2, stride: 3 }],
  ["the CNN's second layer", [8, 32, 13, 13], [64, 32, 3, 3], {}],
];

describe("convolutions on the native backend's library (oneDNN)", { skip: hasLibrary ? false : "the addon was built without oneDNN" }, () => {
  for (const [name, xShape, wShape, options] of CASES) {
    for (const relu of [false, true]) {
      test(`${name}${relu ? ", fused ReLU" : ""}: output and gradients equal im2col's (float32)`, () => {
        const gen = new mn.Generator(7);
        const x = mn.randn(xShape, { generator: gen, requiresGrad: true });
        const w = mn.randn(wShape, { generator: gen, requiresGrad: true });
        const b = mn.randn([wShape[0]!], { generator: gen, requiresGrad: true });
        const layer = new mn.nn.Conv2d(xShape[1]!, wShape[0]!, [wShape[2]!, wShape[3]!], options);
        layer.weight.data.set(w.data);
        layer.bias!.data.set(b.data);
        const gy = mn.randn(layer.forward(x).shape, { generator: gen });
        const [js, native] = onBoth(() => {
          const y = relu ? layer.forwardRelu(x) : layer.forward(x);
          const [gx, gw, gb] = mn.autograd.grad([y], [x, layer.weight, layer.bias!], { gradOutputs: [gy] });
          return [y, gx!, gw!, gb!];
        });
        ["output", "grad x", "grad weight", "grad bias"].forEach((what, i) => assertClose(native[i]!, js[i]!, `${name} ${what}`));
      });
    }
  }

  test("second derivatives go through the im2col form: Hessian-vector products equal the js backend's", () => {
    const gen = new mn.Generator(8);
    const x = mn.randn([2, 3, 7, 7], { generator: gen, requiresGrad: true });
    const w = mn.randn([4, 3, 3, 3], { generator: gen, requiresGrad: true });
    const v = mn.randn([4, 3, 3, 3], { generator: gen });
    const [js, native] = onBoth(() => {
      const y = mn.nn.functional.conv2d(x, w, null, { padding: 1 });
      const [gw] = mn.autograd.grad([y.square().sum()], [w], { createGraph: true });
      return mn.autograd.grad([gw!.mul(v).sum()], [x, w]);
    });
    assertClose(native[0]!, js[0]!, "Hv with respect to x");
    assertClose(native[1]!, js[1]!, "Hv with respect to w");
  });

  test("float64 stays on im2col and matmul (oneDNN has no float64): the js result to 1e-12", () => {
    const gen = new mn.Generator(9);
    const x = mn.randn([2, 3, 6, 6], { dtype: "float64", generator: gen });
    const w = mn.randn([4, 3, 3, 3], { dtype: "float64", generator: gen });
    const [a, b] = onBoth(() => mn.nn.functional.conv2d(x, w));
    const scale = Math.max(...Array.from(a.data, Math.abs));
    a.data.forEach((v, i) => assert.ok(Math.abs(v - b.data[i]!) <= 1e-12 * scale));
  });
});
