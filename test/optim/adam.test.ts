import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// What only Adam has: bias correction (and what happens without it), the AMSGrad buffer, ε inside the root,
// and AdamW as Adam with decoupled decay. The update itself is checked against torch in contract.test.ts.
const G = [0.5, -4, 2, 1e-3];
/** The change of w is read back as w₁ − w₀ with |w| ≤ 3, so it is exact only to about an ulp of 3. */
const ULP = 1e-15;

/** One Adam step on the linear loss Σ gᵢwᵢ (gradient exactly G), returning the change of w. */
function firstStep(options: mn.optim.AdamOptions): number[] {
  const w = mn.tensor([1, -2, 3, 0.5], { dtype: "float64", requiresGrad: true });
  const before = Array.from(w.data);
  const opt = new mn.optim.Adam([w], options);
  w.mul(mn.tensor(G, { dtype: "float64" })).sum().backward();
  opt.step();
  return Array.from(w.data, (v, i) => v - before[i]!);
}

describe("Adam", () => {
  test("without bias correction the first step is lr·(1−β₁)/√(1−β₂) ≈ 3.16·lr per coordinate (closed form)", () => {
    const lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const step = firstStep({ lr, betas: [b1, b2], eps, biasCorrection: false });
    G.forEach((g, i) => {
      // m = (1−β₁)g, v = (1−β₂)g², Δ = −lr·m/(√v + ε)
      const expected = (-lr * (1 - b1) * g) / (Math.sqrt(1 - b2) * Math.abs(g) + eps);
      assert.ok(Math.abs(step[i]! - expected) <= ULP, `coordinate ${i}: ${step[i]} vs ${expected}`);
      if (Math.abs(g) < 0.1) return; // where ε ≪ √(1−β₂)|g|
      const ratio = Math.abs(step[i]!) / lr;
      assert.ok(Math.abs(ratio - (1 - b1) / Math.sqrt(1 - b2)) < 1e-4, `coordinate ${i}: |Δ|/lr = ${ratio}`);
      assert.ok(ratio > 3.16 && ratio < 3.17, `coordinate ${i}: |Δ|/lr = ${ratio}`);
    });
  });

  test("with bias correction the first step is lr·g/(|g| + ε) ≈ lr, whatever the gradient's scale (closed form)", () => {
    const lr = 1e-3, eps = 1e-8;
    const step = firstStep({ lr, eps });
    G.forEach((g, i) => {
      const expected = (-lr * g) / (Math.abs(g) + eps);
      assert.ok(Math.abs(step[i]! - expected) <= ULP, `coordinate ${i}: ${step[i]} vs ${expected}`);
      if (Math.abs(g) >= 0.1) assert.ok(Math.abs(Math.abs(step[i]!) / lr - 1) < 1e-6);
    });
  });

  test("epsInsideSqrt: the first step is lr·g/√(g² + ε) (closed form)", () => {
    const lr = 1e-2, eps = 1e-6;
    const step = firstStep({ lr, eps, epsInsideSqrt: true });
    G.forEach((g, i) => {
      const expected = (-lr * g) / Math.sqrt(g * g + eps);
      assert.ok(Math.abs(step[i]! - expected) <= ULP, `coordinate ${i}: ${step[i]} vs ${expected}`);
    });
    // ε inside the root is felt where g² is comparable to it: the last coordinate (g = 1e-3, g² = ε).
    assert.ok(Math.abs(step[3]! + lr / Math.SQRT2) < ULP);
  });

  test("amsgrad keeps maxExpAvgSq = the running maximum of expAvgSq, and only with amsgrad", () => {
    const w = mn.tensor([1, -1], { dtype: "float64", requiresGrad: true });
    const opt = new mn.optim.Adam([w], { lr: 0.1, amsgrad: true });
    const plain = new mn.optim.Adam([mn.tensor([1], { requiresGrad: true })]);
    const runningMax = [0, 0];
    for (const scale of [3, 2, 5, 0.1, 0.1, 4]) {
      opt.zeroGrad();
      w.mul(mn.tensor([scale, -scale], { dtype: "float64" })).sum().backward();
      opt.step();
      const st = opt.stateDict().state["0"]!;
      const v = st["expAvgSq"] as number[];
      v.forEach((x, i) => (runningMax[i] = Math.max(runningMax[i]!, x)));
      assert.deepEqual(st["maxExpAvgSq"], runningMax);
    }
    plain.paramGroups[0]!.params[0]!.sum().backward();
    plain.step();
    assert.deepEqual(Object.keys(plain.stateDict().state["0"]!).sort(), ["expAvg", "expAvgSq", "step"]);
  });
});

describe("AdamW (Adam with decoupled weight decay)", () => {
  const run = (make: (w: mn.Tensor) => mn.optim.Optimizer<mn.optim.GroupOptions>, grad: number[]) => {
    const w = mn.tensor([1, -2, 0.5], { dtype: "float64", requiresGrad: true });
    const opt = make(w);
    for (let i = 0; i < 5; i++) {
      opt.zeroGrad();
      w.mul(mn.tensor(grad, { dtype: "float64" })).sum().backward();
      opt.step();
    }
    return Array.from(w.data);
  };

  test("with weightDecay 0 it is Adam, bit for bit", () => {
    const g = [0.3, -1, 2];
    assert.deepEqual(run((w) => new mn.optim.AdamW([w], { lr: 0.01, weightDecay: 0 }), g), run((w) => new mn.optim.Adam([w], { lr: 0.01 }), g));
  });

  test("with a zero gradient it only shrinks: θ ← θ(1 − lr·λ)ᵗ (closed form)", () => {
    const w = run((w) => new mn.optim.AdamW([w], { lr: 0.1, weightDecay: 0.5 }), [0, 0, 0]);
    [1, -2, 0.5].forEach((w0, i) => assert.ok(Math.abs(w[i]! - w0 * 0.95 ** 5) < 1e-15));
  });

  test("defaults to weightDecay 1e-2, as torch.optim.AdamW", () => {
    assert.equal(new mn.optim.AdamW([mn.zeros([1], { requiresGrad: true })]).paramGroups[0]!.weightDecay, 1e-2);
    assert.equal(new mn.optim.Adam([mn.zeros([1], { requiresGrad: true })]).paramGroups[0]!.weightDecay, 0);
  });
});
