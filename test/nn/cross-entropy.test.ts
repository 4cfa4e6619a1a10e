import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// crossEntropy with class-index targets runs as one fused op (src/autograd/ops/cross-entropy.ts): it must
// equal the textbook composition −(1 − s)·log softmax(x)[t] − s/c·Σ log softmax(x), in value, gradient and
// gradient of the gradient.

const F = mn.nn.functional;

function textbook(x: mn.Tensor, target: mn.Tensor, s: number): mn.Tensor {
  const logp = x.sub(x.exp().sum(1, true).log());
  const picked = logp.gather(1, target.reshape([-1, 1])).reshape([-1]).neg();
  return picked.mul(1 - s).add(logp.mean(1).neg().mul(s)).mean();
}

describe("fused cross-entropy", () => {
  for (const s of [0, 0.2]) {
    test(`value and gradient equal the composition (float64, label smoothing ${s})`, () => {
      const gen = new mn.Generator(21);
      const x = mn.randn([9, 5], { dtype: "float64", generator: gen, requiresGrad: true });
      const t = mn.randint(0, 5, [9], { generator: gen });
      const fused = F.crossEntropy(x, t, { labelSmoothing: s }), plain = textbook(x, t, s);
      assert.ok(Math.abs(fused.item() - plain.item()) <= 1e-14 * Math.abs(plain.item()), `${fused.item()} vs ${plain.item()}`);
      const [gf] = mn.autograd.grad([fused], [x]), [gp] = mn.autograd.grad([plain], [x]);
      gf!.data.forEach((v, i) => assert.ok(Math.abs(v - gp!.data[i]!) <= 1e-14, `element ${i}: ${v} vs ${gp!.data[i]}`));
    });

    test(`second derivatives pass gradcheck (label smoothing ${s})`, () => {
      const gen = new mn.Generator(22);
      const x = mn.randn([4, 6], { dtype: "float64", generator: gen, requiresGrad: true });
      const t = mn.randint(0, 6, [4], { generator: gen });
      assert.ok(mn.autograd.gradcheck((xx: mn.Tensor) => {
        const [g] = mn.autograd.grad([F.crossEntropy(xx, t, { labelSmoothing: s })], [xx], { createGraph: true });
        return g!.square().sum();
      }, [x]));
    });
  }

  test("large logits stay finite (the log-sum-exp is taken around each row's max)", () => {
    const x = mn.tensor([[1000, 0, -1000], [-1e4, 1e4, 0]], { dtype: "float32" });
    const loss = F.crossEntropy(x, mn.tensor([0, 0], { dtype: "int32" }), { reduction: "none" });
    assert.deepEqual(Array.from(loss.data), [0, 2e4]);
  });
});
