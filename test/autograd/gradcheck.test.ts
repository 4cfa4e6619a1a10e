import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// Every differentiable op against central differences in float64 (h = 1e-6), at plain and
// broadcast shapes. The reference is the math, not another implementation.
const g = new mn.Generator(1234);
const r = (shape: number[], shift = 0) =>
  mn.randn(shape, { dtype: "float64", requiresGrad: true, generator: g }).detach().add(shift).requiresGrad_();
const pos = (shape: number[]) => mn.rand(shape, { dtype: "float64", generator: g }).add(0.5).requiresGrad_();
const idx = (values: number[], shape: number[]) => mn.tensor(values, { dtype: "int32" }).reshape(shape);

type Case = [name: string, fn: (...xs: mn.Tensor[]) => mn.Tensor, inputs: () => mn.Tensor[]];

const cases: Case[] = [
  ["add", (a, b) => a.add(b), () => [r([3, 4]), r([3, 4])]],
  ["add broadcast [3,4]+[4]", (a, b) => a.add(b), () => [r([3, 4]), r([4])]],
  ["add broadcast [2,1,4]+[3,1]", (a, b) => a.add(b), () => [r([2, 1, 4]), r([3, 1])]],
  ["add scalar", (a) => a.add(2.5), () => [r([5])]],
  ["sub broadcast [3,1]-[1,4]", (a, b) => a.sub(b), () => [r([3, 1]), r([1, 4])]],
  ["mul broadcast [2,3,4]*[3,1]", (a, b) => a.mul(b), () => [r([2, 3, 4]), r([3, 1])]],
  ["div broadcast [3,4]/[4]", (a, b) => a.div(b), () => [r([3, 4]), pos([4])]],
  ["pow tensor^tensor", (a, b) => a.pow(b), () => [pos([3, 4]), r([3, 4])]],
  ["pow broadcast [3,4]^[1]", (a, b) => a.pow(b), () => [pos([3, 4]), r([1])]],
  ["pow scalar exponent 3", (a) => a.pow(3), () => [r([6])]],
  ["maximum broadcast", (a, b) => a.maximum(b), () => [r([3, 4]), r([4])]],
  ["minimum", (a, b) => a.minimum(b), () => [r([3, 4]), r([3, 4])]],
  ["where broadcast", (a, b) => mn.where(a.gt(0), a, b), () => [r([3, 4]), r([4])]],
  ["neg", (a) => a.neg(), () => [r([4])]],
  ["exp", (a) => a.exp(), () => [r([3, 2])]],
  ["log", (a) => a.log(), () => [pos([3, 2])]],
  ["sqrt", (a) => a.sqrt(), () => [pos([3, 2])]],
  ["abs", (a) => a.abs(), () => [r([7])]],
  ["square", (a) => a.square(), () => [r([7])]],
  ["reciprocal", (a) => a.reciprocal(), () => [pos([5])]],
  ["tanh", (a) => a.tanh(), () => [r([3, 3])]],
  ["sigmoid", (a) => a.sigmoid(), () => [r([3, 3], 0)]],
  ["relu", (a) => a.relu(), () => [r([10])]],
  ["leakyRelu", (a) => mn.nn.functional.leakyRelu(a, 0.1), () => [r([10])]],
  ["gelu (erf)", (a) => mn.nn.functional.gelu(a), () => [r([10]).mul(2).detach().requiresGrad_()]],
  ["gelu (tanh)", (a) => mn.nn.functional.gelu(a, "tanh"), () => [r([10])]],
  ["erf", (a) => a.erf(), () => [r([10])]],
  ["clamp", (a) => a.clamp(-0.5, 0.7), () => [r([10])]],
  ["sum all", (a) => a.sum(), () => [r([3, 4])]],
  ["sum dims keepdim", (a) => a.sum([0, 2], true), () => [r([2, 3, 4])]],
  ["mean dim", (a) => a.mean(1), () => [r([2, 3, 4])]],
  ["max dim (values)", (a) => a.max(1).values, () => [r([3, 5])]],
  ["min dim keepdim (values)", (a) => a.min(0, true).values, () => [r([3, 5])]],
  ["amax dim", (a) => a.amax(1), () => [r([3, 5])]],
  ["amin dims", (a) => a.amin([0, 2]), () => [r([2, 3, 4])]],
  ["min all", (a) => a.min(), () => [r([3, 5])]],
  ["var unbiased", (a) => a.var(1), () => [r([3, 5])]],
  ["std biased keepdim", (a) => a.std(0, { correction: 0, keepdim: true }), () => [r([4, 3])]],
  ["logsumexp", (a) => a.logsumexp(1), () => [r([3, 5])]],
  ["softmax dim 1", (a) => a.softmax(1), () => [r([3, 5])]],
  ["softmax dim 0", (a) => a.softmax(0), () => [r([3, 5])]],
  ["logSoftmax", (a) => a.logSoftmax(-1), () => [r([2, 3, 4])]],
  ["matmul 2D", (a, b) => a.matmul(b), () => [r([3, 4]), r([4, 5])]],
  ["matmul vector·matrix", (a, b) => a.matmul(b), () => [r([4]), r([4, 5])]],
  ["matmul matrix·vector", (a, b) => a.matmul(b), () => [r([3, 4]), r([4])]],
  ["matmul batched", (a, b) => a.matmul(b), () => [r([2, 3, 4]), r([2, 4, 5])]],
  ["matmul batch broadcast", (a, b) => a.matmul(b), () => [r([2, 3, 4]), r([4, 5])]],
  ["matmul batch broadcast [2,1,3,4]·[3,4,2]", (a, b) => a.matmul(b), () => [r([2, 1, 3, 4]), r([3, 4, 2])]],
  ["linear (transposed weight)", (x, w, b) => mn.nn.functional.linear(x, w, b), () => [r([5, 4]), r([3, 4]), r([3])]],
  ["reshape", (a) => a.reshape([6, 2]).mul(mn.arange(12, undefined, 1, { dtype: "float64" }).reshape([6, 2])), () => [r([3, 4])]],
  ["transpose", (a) => a.transpose(0, 2), () => [r([2, 3, 4])]],
  ["permute", (a) => a.permute([2, 0, 1]), () => [r([2, 3, 4])]],
  ["t", (a) => a.t(), () => [r([2, 3])]],
  ["expand", (a) => a.expand([4, 3, 2]), () => [r([3, 1])]],
  ["squeeze/unsqueeze", (a) => a.unsqueeze(1).squeeze(), () => [r([3, 4])]],
  ["index slice", (a) => a.index([1, 3], [0, 4, 2]), () => [r([4, 5])]],
  ["index negative pick", (a) => a.index(-1), () => [r([4, 5])]],
  ["narrow", (a) => a.narrow(1, 1, 2), () => [r([3, 4])]],
  ["select", (a) => a.select(1, 2), () => [r([3, 4])]],
  ["gather", (a) => a.gather(1, idx([0, 2, 2, 1, 0, 0], [3, 2])), () => [r([3, 4])]],
  ["indexSelect (repeats)", (a) => a.indexSelect(0, idx([2, 0, 2], [3])), () => [r([3, 4])]],
  ["scatterAdd", (a, s) => mn.scatterAdd(a, 1, idx([0, 2, 2, 1], [2, 2]), s), () => [r([2, 4]), r([2, 2])]],
  ["cat", (a, b) => mn.cat([a, b], 1), () => [r([2, 3]), r([2, 2])]],
  ["stack", (a, b) => mn.stack([a, b], 1), () => [r([2, 3]), r([2, 3])]],
  ["crossEntropy", (a) => mn.nn.functional.crossEntropy(a, idx([1, 0, 3], [3])), () => [r([3, 4])]],
  ["crossEntropy label smoothing, sum", (a) => mn.nn.functional.crossEntropy(a, idx([1, 0, 3], [3]), { labelSmoothing: 0.2, reduction: "sum" }), () => [r([3, 4])]],
  ["crossEntropy soft targets", (a, p) => mn.nn.functional.crossEntropy(a, p.softmax(1)), () => [r([3, 4]), r([3, 4])]],
  ["nllLoss", (a) => mn.nn.functional.nllLoss(a, idx([1, 0, 3], [3]), { reduction: "none" }), () => [r([3, 4])]],
  ["mseLoss", (a, b) => mn.nn.functional.mseLoss(a, b), () => [r([3, 4]), r([3, 4])]],
  ["multiMarginLoss p=1", (a) => mn.nn.functional.multiMarginLoss(a, idx([1, 0, 3], [3])), () => [r([3, 4])]],
  ["multiMarginLoss p=2", (a) => mn.nn.functional.multiMarginLoss(a, idx([1, 0, 3], [3]), { p: 2, margin: 0.5 }), () => [r([3, 4])]],
];

describe("gradcheck: every op against central differences (float64, h=1e-6)", () => {
  for (const [name, fn, inputs] of cases) {
    test(name, () => {
      assert.equal(mn.autograd.gradcheck(fn, inputs(), { atol: 1e-6, rtol: 1e-5 }), true);
    });
  }

  test("gradcheck itself fails on a wrong gradient", () => {
    // sign has zero gradient, but this function multiplies by a value the autograd does not see.
    const wrong = (a: mn.Tensor) => a.mul(a.detach());
    assert.throws(() => mn.autograd.gradcheck(wrong, [r([3])]), /Jacobian mismatch for input 0/);
  });
});

describe("second derivatives: double backward through every smooth op (finite differences of gradients)", () => {
  const smooth: Case[] = cases.filter(([name]) =>
    /^(add|sub|mul|div|pow|exp|log|sqrt|square|reciprocal|tanh|sigmoid|gelu|erf|sum|mean|var|std|logsumexp|softmax|logSoftmax|matmul|linear|reshape|transpose|permute|expand|index|narrow|gather|indexSelect|cat|stack|crossEntropy|mseLoss)/.test(name));
  for (const [name, fn, inputs] of smooth) {
    test(name, () => {
      // The gradient (with a fixed cotangent) is itself a function of the inputs; check its gradient.
      const xs = inputs();
      const out = fn(...xs);
      const cot = mn.randn([...out.shape], { dtype: "float64", generator: new mn.Generator(7) });
      const gradFn = (...ys: mn.Tensor[]) => {
        const o = fn(...ys);
        const grads = mn.autograd.grad(o, ys, { gradOutputs: [cot], createGraph: true, allowUnused: true });
        return mn.cat(grads.map((gr) => gr.reshape([-1])));
      };
      assert.equal(mn.autograd.gradcheck(gradFn, xs, { atol: 1e-5, rtol: 1e-4 }), true);
    });
  }
});
