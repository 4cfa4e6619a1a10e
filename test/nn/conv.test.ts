import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, loadFixture, toTensor, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";

// Expected values: test/fixtures/conv.json (tools/gen_conv_fixtures.py, torch 1.13). float64 elementwise to
// rtol 1e-10; float32 within 1e-5 of each tensor's largest |element| (sums of many products round differently).
const F = mn.nn.functional;
const fx = loadFixture("conv.json");
type FloatDType = "float32" | "float64";
const tol = (dtype: FloatDType, e: TensorEntry): Tolerance =>
  dtype === "float64" ? { rtol: 1e-10, atol: 1e-13 } : { rtol: 0, atol: 1e-5 * Math.max(1e-30, ...e.data.map(Math.abs)) };
const leaf = (e: TensorEntry, dtype: FloatDType) => toTensor(e, dtype).requiresGrad_();
const close = (t: mn.Tensor, e: TensorEntry, dtype: FloatDType, label: string) => {
  assert.deepEqual(t.shape, e.shape, `${label}: shape`);
  assertClose(t.data, e.data, tol(dtype, e), label);
};

describe("conv2d, unfold, fold", () => {
  for (const c of fx.conv) {
    for (const dtype of ["float64", "float32"] as const) {
      test(`conv2d matches torch: ${c.desc} (${dtype}): output and the gradients of x, weight, bias`, () => {
        const e = c[dtype];
        const x = leaf(e.x, dtype), w = leaf(e.w, dtype), b = e.b ? leaf(e.b, dtype) : null;
        const out = F.conv2d(x, w, b, c.options);
        close(out, e.out, dtype, "out");
        out.mul(toTensor(e.r, dtype)).sum().backward();
        close(x.grad!, e.gx, dtype, "grad x");
        close(w.grad!, e.gw, dtype, "grad weight");
        if (b) close(b.grad!, e.gb, dtype, "grad bias");
      });
    }
  }
  for (const c of fx.windows) {
    for (const dtype of ["float64", "float32"] as const) {
      test(`unfold and fold match torch: ${c.desc} (${dtype})`, () => {
        const e = c[dtype];
        const x = leaf(e.x, dtype);
        const cols = F.unfold(x, c.options);
        close(cols, e.cols, dtype, "unfold");
        const back = F.fold(cols, { ...c.options, outputSize: e.x.shape.slice(2) });
        close(back, e.folded, dtype, "fold");
        back.mul(toTensor(e.r, dtype)).sum().backward();
        close(x.grad!, e.gx, dtype, "grad x");
      });
    }
  }

  // Finite differences, first and second order (double backward through unfold ↔ fold and the products).
  const r = (shape: number[], seed: number) => mn.randn(shape, { dtype: "float64", generator: new mn.Generator(seed) }).requiresGrad_();
  const gradCases: [string, () => mn.Tensor[], (...t: mn.Tensor[]) => mn.Tensor][] = [
    ["stride 2, padding 1, bias", () => [r([2, 2, 5, 5], 1), r([3, 2, 3, 3], 2), r([3], 3)], (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 })],
    ["dilation 2, non-square", () => [r([1, 2, 6, 7], 4), r([2, 2, 2, 3], 5)], (x, w) => F.conv2d(x, w, null, { dilation: 2 })],
    ["groups 2", () => [r([1, 4, 4, 4], 6), r([2, 2, 3, 3], 7)], (x, w) => F.conv2d(x, w, null, { groups: 2, padding: 1 })],
    ["fold", () => [r([1, 8, 6], 8)], (c) => F.fold(c, { outputSize: [3, 4], kernelSize: 2, padding: [0, 1], stride: [1, 2] })],
  ];
  for (const [name, inputs, fn] of gradCases) {
    test(`gradcheck: ${name}`, () => {
      assert.equal(mn.autograd.gradcheck(fn, inputs(), { atol: 1e-6, rtol: 1e-5 }), true);
    });
    test(`double-backward gradcheck: ${name}`, () => {
      const xs = inputs();
      const cot = mn.randn([...fn(...xs).shape], { dtype: "float64", generator: new mn.Generator(9) });
      const gradFn = (...ys: mn.Tensor[]) => {
        const grads = mn.autograd.grad(fn(...ys), ys, { gradOutputs: [cot], createGraph: true, allowUnused: true });
        // conv2d is bilinear: d²/dx² is 0, so square the gradient to give the second derivative something to check.
        return mn.cat(grads.map((g) => g.reshape([-1]))).square();
      };
      assert.equal(mn.autograd.gradcheck(gradFn, xs, { atol: 1e-5, rtol: 1e-4 }), true);
    });
  }

  test("nn.Conv2d: torch's shapes, init bounds ±1/√fanIn, forward = F.conv2d", () => {
    const conv = new mn.nn.Conv2d(4, 6, [3, 2], { groups: 2, stride: 2, generator: new mn.Generator(1) });
    assert.deepEqual(conv.weight.shape, [6, 2, 3, 2]);
    assert.deepEqual(conv.bias!.shape, [6]);
    const bound = 1 / Math.sqrt(2 * 3 * 2);
    for (const t of [conv.weight, conv.bias!]) {
      const a = Array.from(t.data);
      assert.ok(Math.max(...a.map(Math.abs)) <= bound, "within the bound");
      assert.ok(Math.max(...a.map(Math.abs)) > 0.7 * bound, "spread over it");
    }
    assert.deepEqual(conv.namedParameters().map(([n]) => n), ["weight", "bias"]);
    const x = mn.randn([2, 4, 7, 6]);
    assert.deepEqual(Array.from(conv.forward(x).data), Array.from(F.conv2d(x, conv.weight, conv.bias, { groups: 2, stride: 2 }).data));
    assert.equal(new mn.nn.Conv2d(1, 1, 3, { bias: false }).bias, null);
  });

  const errors: [string, () => unknown, RegExp | string][] = [
    ["3-D input", () => F.conv2d(mn.zeros([3, 5, 5]), mn.zeros([2, 3, 3, 3])), "conv2d: input must be 4-D [batch, channels, height, width], got [3,5,5]"],
    ["channel mismatch", () => F.conv2d(mn.zeros([1, 4, 5, 5]), mn.zeros([2, 3, 3, 3])), "conv2d: input has 4 channels; weight [2,3,3,3] with groups 1 takes; expected 3, got 4"],
    ["window larger than input", () => F.conv2d(mn.zeros([1, 1, 2, 2]), mn.zeros([1, 1, 3, 3])), "conv2d: the 3x3 window (dilation 1x1, padding 0x0) does not fit the 2x2 input; expected an output of at least 1x1, got 0x0"],
    ["negative padding", () => F.conv2d(mn.zeros([1, 1, 4, 4]), mn.zeros([1, 1, 3, 3]), null, { padding: -1 }), "conv2d: invalid padding; expected an integer ≥ 0 or two of them [h, w], got -1"],
    ["same with stride 2", () => F.conv2d(mn.zeros([1, 1, 4, 4]), mn.zeros([1, 1, 3, 3]), null, { padding: "same", stride: 2 }), 'conv2d: padding "same" needs stride 1, got stride 2x2'],
    ["bias of the wrong size", () => F.conv2d(mn.zeros([1, 1, 4, 4]), mn.zeros([2, 1, 3, 3]), mn.zeros([3])), "conv2d: bias must be 1-D [outChannels]; expected [2], got [3]"],
    ["groups not dividing", () => new mn.nn.Conv2d(3, 4, 3, { groups: 2 }), "Conv2d: inChannels 3 and outChannels 4 must both be divisible by groups, got 2"],
    ["zero channels", () => new mn.nn.Conv2d(0, 4, 3), "Conv2d: invalid inChannels; expected a positive integer, got 0"],
    ["fold with the wrong block count", () => F.fold(mn.zeros([1, 4, 5]), { outputSize: 3, kernelSize: 2 }), "fold: the 3x3 output has 4 windows; expected 4 blocks, got 5"],
  ];
  for (const [name, fn, message] of errors) {
    test(`refuses ${name} with a clear message`, () => {
      assert.throws(fn, (e: Error) => (typeof message === "string" ? e.message === message : message.test(e.message)) || assert.fail(e.message));
    });
  }
});
