import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";

// The new losses' gradients with respect to every tensor they take (inputs, targets, weights) against central
// differences in float64 (h = 1e-6), and their second derivatives (double backward) likewise. The reference is the math.
const F = mn.nn.functional;
const g = new mn.Generator(2024);
const leaf = (t: mn.Tensor) => t.detach().requiresGrad_();
const r = (shape: number[], scale = 1) => leaf(mn.randn(shape, { dtype: "float64", generator: g }).mul(scale));
/** Uniform in [lo, hi): probabilities kept off 0 and 1, where a central difference would step outside. */
const u = (shape: number[], lo: number, hi: number) => leaf(mn.rand(shape, { dtype: "float64", generator: g }).mul(hi - lo).add(lo));
const labels = (values: number[]) => mn.tensor(values, { dtype: "float64" });

/** A target, weight and posWeight that need no gradient, so the logits alone take the closed-form backward. */
const fixed = { t: u([3, 4], 0, 1).detach(), weight: u([3, 1], 0.5, 2).detach(), posWeight: u([4], 0.2, 5).detach(), reduction: "none" as const };

type Case = [name: string, fn: (...xs: mn.Tensor[]) => mn.Tensor, inputs: () => mn.Tensor[]];

const cases: Case[] = [
  ["binaryCrossEntropy: input, target and a broadcast weight", (x, t, w) => F.binaryCrossEntropy(x, t, { weight: w }), () => [u([3, 4], 0.05, 0.95), u([3, 4], 0, 1), u([4], 0.5, 2)]],
  ["binaryCrossEntropy, reduction none", (x, t) => F.binaryCrossEntropy(x, t, { reduction: "none" }), () => [u([5], 0.05, 0.95), u([5], 0, 1)]],
  ["binaryCrossEntropyWithLogits: input, target, weight and posWeight", (z, t, w, p) => F.binaryCrossEntropyWithLogits(z, t, { weight: w, posWeight: p }),
    () => [r([3, 4], 3), u([3, 4], 0, 1), u([3, 1], 0.5, 2), u([4], 0.2, 5)]],
  ["binaryCrossEntropyWithLogits: the input alone (torch's closed-form backward)", (z) => F.binaryCrossEntropyWithLogits(z, fixed.t, { weight: fixed.weight, posWeight: fixed.posWeight, reduction: fixed.reduction }), () => [r([3, 4], 3)]],
  ["binaryCrossEntropyWithLogits, large logits, sum", (z, t) => F.binaryCrossEntropyWithLogits(z, t, { reduction: "sum" }),
    () => [leaf(mn.tensor([-40, -12, 0.3, 15, 45], { dtype: "float64" })), u([5], 0, 1)]],
  ["l1Loss: input and target", (x, y) => F.l1Loss(x, y), () => [r([3, 4]), r([3, 4])]],
  ["smoothL1Loss beta 0.5, none", (x, y) => F.smoothL1Loss(x, y, { beta: 0.5, reduction: "none" }), () => [r([3, 4]), r([3, 4])]],
  ["huberLoss delta 0.7, sum", (x, y) => F.huberLoss(x, y, { delta: 0.7, reduction: "sum" }), () => [r([3, 4]), r([3, 4])]],
  ["klDiv batchmean: input and target", (x, y) => F.klDiv(x, y, { reduction: "batchmean" }), () => [r([3, 4]), u([3, 4], 0.1, 1)]],
  ["klDiv logTarget, none", (x, y) => F.klDiv(x, y, { logTarget: true, reduction: "none" }), () => [r([3, 4]), r([3, 4])]],
  ["cosineEmbeddingLoss margin -0.3: both inputs", (a, b) => F.cosineEmbeddingLoss(a, b, labels([1, -1, -1, 1, -1]), { margin: -0.3 }), () => [r([5, 4]), r([5, 4])]],
  ["cosineEmbeddingLoss one pair", (a, b) => F.cosineEmbeddingLoss(a, b, mn.tensor(1, { dtype: "float64" })), () => [r([6]), r([6])]],
];

describe("gradcheck: the losses against central differences (float64, h=1e-6)", () => {
  for (const [name, fn, inputs] of cases) {
    test(name, () => {
      assert.equal(mn.autograd.gradcheck(fn, inputs(), { atol: 1e-6, rtol: 1e-5 }), true);
    });
  }
});

describe("second derivatives of the losses: the gradient's gradient against central differences", () => {
  for (const [name, fn, inputs] of cases.filter(([n]) => !n.startsWith("l1Loss"))) {
    test(name, () => {
      const xs = inputs();
      const cot = mn.randn([...fn(...xs).shape], { dtype: "float64", generator: new mn.Generator(7) });
      const gradFn = (...ys: mn.Tensor[]) => {
        const grads = mn.autograd.grad(fn(...ys), ys, { gradOutputs: [cot], createGraph: true, allowUnused: true });
        return mn.cat(grads.map((gr) => gr.reshape([-1])));
      };
      assert.equal(mn.autograd.gradcheck(gradFn, xs, { atol: 1e-5, rtol: 1e-4 }), true);
    });
  }
});
