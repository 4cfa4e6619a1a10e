import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";

// The new losses against closed forms written out with plain numbers, and against each other where the math
// says two paths agree. torch's own values are in torch-parity.test.ts.
const F = mn.nn.functional;
const g = new mn.Generator(99);
const f64 = (values: number[]) => mn.tensor(values, { dtype: "float64" });
const randn = (shape: number[]) => mn.randn(shape, { dtype: "float64", generator: g });
const rand = (shape: number[]) => mn.rand(shape, { dtype: "float64", generator: g });
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};
const softplus = (v: number) => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);

describe("binaryCrossEntropy: closed forms", () => {
  test("−w·(y·log x + (1 − y)·log(1 − x)) per element, a per-class weight broadcast over the batch (1e-12)", () => {
    const x = rand([3, 2]).mul(0.9).add(0.05), y = rand([3, 2]), w = f64([0.5, 2]);
    const out = F.binaryCrossEntropy(x, y, { weight: w, reduction: "none" });
    const byHand = Array.from(x.data, (xi, i) => -w.data[i % 2]! * (y.data[i]! * Math.log(xi) + (1 - y.data[i]!) * Math.log(1 - xi)));
    near(out.data, byHand, 1e-12, "loss");
    near([F.binaryCrossEntropy(x, y, { weight: w }).item()], [byHand.reduce((a, b) => a + b) / 6], 1e-12, "mean");
  });

  test("a NaN probability gives a NaN loss rather than an error (a diverged model stays visible)", () => {
    const out = F.binaryCrossEntropy(f64([Number.NaN, 0.5]), f64([1, 0]), { reduction: "none" });
    assert.ok(Number.isNaN(out.data[0]!));
    near([out.data[1]!], [Math.LN2], 1e-15, "the other element");
  });
});

describe("binaryCrossEntropyWithLogits: closed forms", () => {
  test("equals binaryCrossEntropy of the sigmoid where the sigmoid is accurate (|z| ≤ 6, float64, 1e-12)", () => {
    const z = randn([4, 3]).mul(2), y = rand([4, 3]);
    near([F.binaryCrossEntropyWithLogits(z, y).item()], [F.binaryCrossEntropy(z.sigmoid(), y).item()], 1e-12, "mean");
  });

  test("stays exact at logits of ±1000 in float32, where sigmoid then log would floor at 100: loss softplus(∓z), gradient σ(z) − y", () => {
    const z = mn.tensor([1000, 1000, -1000, -1000, 0]).requiresGrad_();
    const y = mn.tensor([0, 1, 0, 1, 1]);
    const out = F.binaryCrossEntropyWithLogits(z, y, { reduction: "none" });
    assert.deepEqual(Array.from(out.data), [1000, 0, 0, 1000, Math.fround(Math.LN2)]);
    out.sum().backward();
    assert.deepEqual(Array.from(z.grad!.data), [1, 0, 0, -1, -0.5]);
  });

  test("the closed-form backward (input alone) equals the chain rule through the ops (target requiring grad), float64 weights on float32 logits included", () => {
    const z = mn.randn([4, 3], { generator: g }).mul(4), y = mn.rand([4, 3], { generator: g });
    const p = f64([2, 0.5, 1]), w = f64([1.5, 0.25, 3, 1]).reshape([4, 1]);
    const fast = z.detach().requiresGrad_(), chain = z.detach().requiresGrad_();
    F.binaryCrossEntropyWithLogits(fast, y, { posWeight: p, weight: w }).backward();
    F.binaryCrossEntropyWithLogits(chain, y.detach().requiresGrad_(), { posWeight: p, weight: w }).backward();
    assert.equal(fast.grad!.dtype, "float32");
    assert.equal(chain.grad!.dtype, "float32");
    near(fast.grad!.data, chain.grad!.data, 1e-7, "gradient");
  });

  test("posWeight p scales the positive term: y·p·softplus(−z) + (1 − y)·softplus(z), per class (1e-12)", () => {
    const z = randn([3, 2]).mul(3), y = rand([3, 2]), p = f64([4, 0.25]);
    const out = F.binaryCrossEntropyWithLogits(z, y, { posWeight: p, reduction: "none" });
    const byHand = Array.from(z.data, (zi, i) => y.data[i]! * p.data[i % 2]! * softplus(-zi) + (1 - y.data[i]!) * softplus(zi));
    near(out.data, byHand, 1e-12, "loss");
  });
});

describe("l1Loss, smoothL1Loss, huberLoss: closed forms", () => {
  const x = randn([4, 3]).mul(2), y = randn([4, 3]).mul(2);
  const d = Array.from(x.data, (xi, i) => xi - y.data[i]!);

  test("smoothL1Loss: 0.5·d²/β where |d| < β, |d| − β/2 elsewhere (β = 0.8, 1e-12)", () => {
    const byHand = d.map((v) => (Math.abs(v) < 0.8 ? (0.5 * v * v) / 0.8 : Math.abs(v) - 0.4));
    near(F.smoothL1Loss(x, y, { beta: 0.8, reduction: "none" }).data, byHand, 1e-12, "loss");
  });

  test("huberLoss(δ) = δ · smoothL1Loss(β = δ), values and gradients (torch's documented identity, 1e-12)", () => {
    for (const delta of [0.3, 1, 2.5]) {
      const a = x.detach().requiresGrad_(), b = x.detach().requiresGrad_();
      const huber = F.huberLoss(a, y, { delta, reduction: "sum" });
      const smooth = F.smoothL1Loss(b, y, { beta: delta, reduction: "sum" }).mul(delta);
      near([huber.item()], [smooth.item()], 1e-12, `δ = ${delta}`);
      huber.backward();
      smooth.backward();
      near(a.grad!.data, b.grad!.data, 1e-12, `gradient, δ = ${delta}`);
    }
  });

  test("smoothL1Loss with β = 0 is l1Loss, gradient 0 at a tie included", () => {
    const a = f64([1, 2, -3]).requiresGrad_(), b = f64([1, 2, -3]).requiresGrad_();
    const t = f64([1, 0.5, 1]);
    const smooth = F.smoothL1Loss(a, t, { beta: 0 }), l1 = F.l1Loss(b, t);
    assert.equal(smooth.item(), l1.item());
    smooth.backward();
    l1.backward();
    assert.deepEqual(Array.from(a.grad!.data), [0, 1 / 3, -1 / 3]);
    assert.deepEqual(Array.from(b.grad!.data), [0, 1 / 3, -1 / 3]);
  });
});

describe("klDiv: closed forms", () => {
  const logq = randn([3, 4]).logSoftmax(1), p = randn([3, 4]).softmax(1);
  const rows = [0, 1, 2].map((i) => [0, 1, 2, 3].reduce((s, j) => s + p.data[i * 4 + j]! * (Math.log(p.data[i * 4 + j]!) - logq.data[i * 4 + j]!), 0));

  test("batchmean is Σ p·log(p/q) per row, averaged over the rows; sum adds them; mean divides by every element (1e-12)", () => {
    const total = rows.reduce((a, b) => a + b);
    near([F.klDiv(logq, p, { reduction: "batchmean" }).item()], [total / 3], 1e-12, "batchmean");
    near([F.klDiv(logq, p, { reduction: "sum" }).item()], [total], 1e-12, "sum");
    near([F.klDiv(logq, p).item()], [total / 12], 1e-12, "mean");
  });

  test("logTarget takes log p and gives the same divergence (1e-12)", () => {
    near([F.klDiv(logq, p.log(), { reduction: "batchmean", logTarget: true }).item()], [rows.reduce((a, b) => a + b) / 3], 1e-12, "batchmean");
  });

  test("a target probability of 0 contributes 0, and its input gets gradient 0, not NaN", () => {
    const x = f64([-1, -0.5]).requiresGrad_();
    const out = F.klDiv(x, f64([0, 1]), { reduction: "none" });
    assert.deepEqual(Array.from(out.data), [0, 0.5]);
    out.sum().backward();
    assert.deepEqual(Array.from(x.grad!.data), [-0, -1]);
  });
});

describe("cosineEmbeddingLoss: closed forms", () => {
  test("1 − cos for y = 1, max(0, cos − margin) for y = −1, with cos written out (margin 0.2, 1e-12)", () => {
    const a = randn([5, 3]), b = randn([5, 3]), y = f64([1, -1, 1, -1, -1]);
    const cos = [0, 1, 2, 3, 4].map((i) => {
      let dot = 0, na = 0, nb = 0;
      for (let j = 0; j < 3; j++) {
        const u = a.data[i * 3 + j]!, v = b.data[i * 3 + j]!;
        dot += u * v; na += u * u; nb += v * v;
      }
      return dot / Math.sqrt(na * nb);
    });
    const byHand = cos.map((c, i) => (y.data[i] === 1 ? 1 - c : Math.max(0, c - 0.2)));
    near(F.cosineEmbeddingLoss(a, b, y, { margin: 0.2, reduction: "none" }).data, byHand, 1e-12, "loss");
  });

  test("parallel vectors cost 0 as a similar pair and 1 as a dissimilar one (margin 0); orthogonal ones 1 and 0", () => {
    const a = f64([1, 2, 0, 0, 3, 0]).reshape([2, 3]), b = f64([2, 4, 0, 0, 0, 5]).reshape([2, 3]);
    near(F.cosineEmbeddingLoss(a, b, f64([1, 1]), { reduction: "none" }).data, [0, 1], 1e-12, "similar");
    near(F.cosineEmbeddingLoss(a, b, f64([-1, -1]), { reduction: "none" }).data, [1, 0], 1e-12, "dissimilar");
  });
});
