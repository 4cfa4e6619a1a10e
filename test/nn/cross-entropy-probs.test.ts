import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// crossEntropy with class-probability targets and labelSmoothing (the path mixup and cutmix take): the
// definition is cross-entropy against the smoothed distribution (1 − ε)·p + ε/C, computed here by hand
// from logSoftmax. torch's values for the same path are in torch-parity.test.ts (losses.json).
const F = mn.nn.functional;

/** −Σ_c q_c · log softmax(x)_c per row, q = (1 − ε)·p + ε/C, written out with plain numbers. */
function byHand(x: mn.Tensor, p: mn.Tensor, eps: number): number[] {
  const [n, c] = x.shape as [number, number];
  const logp = F.logSoftmax(x, 1).data;
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < c; k++) s -= ((1 - eps) * p.data[i * c + k]! + eps / c) * logp[i * c + k]!;
    return s;
  });
}

describe("crossEntropy(x, probs, { labelSmoothing: ε }) is cross-entropy against (1 − ε)·p + ε/C", () => {
  const gen = new mn.Generator(17);
  const x = mn.randn([6, 5], { dtype: "float64", generator: gen }).mul(2);
  const p = F.softmax(mn.randn([6, 5], { dtype: "float64", generator: gen }).mul(3), 1);
  for (const eps of [0.1, 0.45]) {
    test(`ε = ${eps}: reduction none, sum and mean equal the per-row sums by hand (1e-12)`, () => {
      const rows = byHand(x, p, eps);
      const none = F.crossEntropy(x, p, { labelSmoothing: eps, reduction: "none" });
      rows.forEach((r, i) => assert.ok(Math.abs(none.data[i]! - r) < 1e-12, `row ${i}: ${none.data[i]} vs ${r}`));
      const sum = rows.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(F.crossEntropy(x, p, { labelSmoothing: eps, reduction: "sum" }).item() - sum) < 1e-12);
      assert.ok(Math.abs(F.crossEntropy(x, p, { labelSmoothing: eps }).item() - sum / rows.length) < 1e-12);
    });
  }

  test("one-hot probabilities with smoothing give the class-index loss with the same smoothing (torch's two paths agree)", () => {
    const labels = mn.tensor([0, 4, 2, 2, 1, 3], { dtype: "int32" });
    const oneHot = mn.zeros([6, 5], { dtype: "float64" });
    Array.from(labels.data).forEach((l, i) => { oneHot.data[i * 5 + l] = 1; });
    const a = F.crossEntropy(x, oneHot, { labelSmoothing: 0.2 }).item(), b = F.crossEntropy(x, labels, { labelSmoothing: 0.2 }).item();
    assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  });
});
