import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { GradientNoise } from "../../../src/train/callbacks/index.node.js";
import { handContext } from "./hand-context.js";

/** A model with many weights, whose gradients are set by hand to `value`. */
function withGrads(value: number, dtype: "float32" | "float64" = "float64") {
  const model = new mn.nn.Linear(200, 200, { dtype });
  for (const p of model.parameters()) p.grad = mn.full(p.shape, value, { dtype });
  return model;
}
const grads = (m: mn.nn.Module) => m.parameters().flatMap((p) => Array.from(p.grad!.data));

describe("GradientNoise (Neelakantan et al. 2015)", () => {
  test("adds std_t·z to every gradient element in order, z from ctx.generator, σ_t² = η/(1+t)^γ (closed form, bit for bit)", () => {
    const eta = 0.3, gamma = 0.55, t = 7;
    const model = new mn.nn.Sequential(new mn.nn.Linear(3, 4, { dtype: "float64" }), new mn.nn.Linear(4, 2, { dtype: "float64" }));
    const x = mn.randn([5, 3], { dtype: "float64" });
    model.forward(x).square().sum().backward();
    const before = grads(model);
    const { ctx } = handContext({ model, optimizer: null, generator: new mn.Generator(21), step: t });
    new GradientNoise({ eta, gamma }).onBeforeStep(ctx);
    const twin = new mn.Generator(21);
    const std = Math.sqrt(eta / (1 + t) ** gamma);
    assert.deepEqual(grads(model), before.map((g) => g + std * twin.normal()));
  });

  test("the added noise has mean 0 and variance η/(1+t)^γ at t = 0, 9, 99, 999 (40200 elements: within 5σ of the sample variance)", () => {
    const noise = new GradientNoise({ eta: 1, gamma: 0.55 });
    const g = new mn.Generator(22);
    for (const t of [0, 9, 99, 999]) {
      const model = withGrads(0.5);
      noise.onBeforeStep(handContext({ model, optimizer: null, generator: g, step: t }).ctx);
      const z = grads(model).map((v) => v - 0.5);
      const n = z.length;
      const mean = z.reduce((a, b) => a + b, 0) / n;
      const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
      const expected = 1 / (1 + t) ** 0.55;
      // The sample variance of n normals has relative standard deviation √(2/(n−1)) ≈ 0.7%.
      assert.ok(Math.abs(variance / expected - 1) < 5 * Math.sqrt(2 / (n - 1)), `t = ${t}: variance ${variance}, expected ${expected}`);
      assert.ok(Math.abs(mean) < 5 * Math.sqrt(expected / n), `t = ${t}: mean ${mean}`);
      assert.equal(noise.variance(t), expected);
    }
  });

  test("the same seed gives the same noise; another seed, other noise", () => {
    const run = (seed: number) => {
      const model = withGrads(0, "float32");
      new GradientNoise().onBeforeStep(handContext({ model, optimizer: null, generator: new mn.Generator(seed), step: 3 }).ctx);
      return grads(model);
    };
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
  });

  test("draws only from ctx.generator, and leaves parameters without a gradient, or frozen, alone", () => {
    const a = new mn.nn.Linear(2, 2, { dtype: "float64" }), b = new mn.nn.Linear(2, 2, { dtype: "float64" });
    const model = new mn.nn.Sequential(a, b);
    a.weight.grad = mn.zeros([2, 2], { dtype: "float64" });
    b.weight.grad = mn.zeros([2, 2], { dtype: "float64" });
    b.requiresGrad_(false);
    const before = mn.defaultGenerator.getState();
    new GradientNoise({ eta: 1 }).onBeforeStep(handContext({ model, optimizer: null, generator: new mn.Generator(1), step: 0 }).ctx);
    assert.deepEqual(mn.defaultGenerator.getState(), before);
    assert.ok(Array.from(a.weight.grad.data).every((v) => v !== 0));
    assert.equal(a.bias!.grad, null);
    assert.deepEqual(Array.from(b.weight.grad.data), [0, 0, 0, 0]);
  });

  test("in a hand-driven SGD loop, w ← w − lr·(∇L + noise_t) with t = 0, 1, 2 (closed form, float64)", () => {
    const w = mn.tensor([1, -2], { dtype: "float64" });
    const model = new (class extends mn.nn.Module {
      w = this.registerParameter("w", w);
      forward(x: mn.Tensor) { return x.mul(this.w); }
    })();
    const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1 });
    const { ctx, state } = handContext({ model, optimizer: opt, generator: new mn.Generator(8), step: 0 });
    const cb = new GradientNoise({ eta: 0.5, gamma: 0.55 });
    const twin = new mn.Generator(8);
    const expected = [1, -2];
    for (let t = 0; t < 3; t++) {
      state.step = t;
      opt.zeroGrad();
      model.w.square().sum().mul(0.5).backward(); // ∇ = w
      cb.onBeforeStep(ctx);
      opt.step();
      const std = Math.sqrt(0.5 / (1 + t) ** 0.55);
      for (let i = 0; i < 2; i++) expected[i] = expected[i]! - 0.1 * (expected[i]! + std * twin.normal());
    }
    assert.deepEqual(Array.from(w.data), expected);
  });

  test("bad options fail with exact messages", () => {
    assert.throws(() => new GradientNoise({ eta: -1 }), /^OptionError: GradientNoise: invalid eta; expected a number ≥ 0, got -1$/);
    assert.throws(() => new GradientNoise({ gamma: NaN }), /^OptionError: GradientNoise: invalid gamma; expected a number ≥ 0, got NaN$/);
    assert.throws(() => new GradientNoise({ sigma: 1 } as never), /^OptionError: GradientNoise: unknown option "sigma"; expected one of eta, gamma$/);
    assert.throws(() => new GradientNoise({ Eta: 1 } as never), /unknown option "Eta" — did you mean "eta"\?/);
    assert.equal(new GradientNoise().eta, 0.01);
    assert.equal(new GradientNoise().gamma, 0.55);
  });
});
