import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { WeightNoise } from "../../../src/train/callbacks/index.node.js";
import { handContext } from "./hand-context.js";

const values = (m: mn.nn.Module) => m.parameters().flatMap((p) => Array.from(p.data));
const F = mn.nn.functional;

describe("WeightNoise (Graves 2011)", () => {
  test("onBatchBegin adds std·z to every trainable weight in order, z from ctx.generator (bit for bit)", () => {
    const model = new mn.nn.Linear(3, 2, { dtype: "float64" });
    const clean = values(model);
    new WeightNoise({ std: 0.2 }).onBatchBegin(handContext({ model, optimizer: null, generator: new mn.Generator(1), step: 0 }).ctx);
    const twin = new mn.Generator(1);
    assert.deepEqual(values(model), clean.map((w) => w + 0.2 * twin.normal()));
  });

  test("one step moves the clean weights by −lr·∇L(noisy weights), exactly (hand-driven SGD loop, float64)", () => {
    const model = new mn.nn.Linear(3, 2, { dtype: "float64", generator: new mn.Generator(2) });
    const x = mn.randn([6, 3], { dtype: "float64", generator: new mn.Generator(3) });
    const y = mn.randn([6, 2], { dtype: "float64", generator: new mn.Generator(4) });
    const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1 });
    const { ctx } = handContext({ model, optimizer: opt, generator: new mn.Generator(5), step: 0 });
    const cb = new WeightNoise({ std: 0.3 });
    const clean = values(model);

    // The reference: the gradient at w + 0.3·z, taken on a separate copy of the layer.
    const twin = new mn.Generator(5);
    const noisy = new mn.nn.Linear(3, 2, { dtype: "float64" });
    noisy.parameters().forEach((p, i) => p.data.set(model.parameters()[i]!.data.map((w) => w + 0.3 * twin.normal())));
    F.mseLoss(noisy.forward(x), y).backward();
    const gradAtNoisy = noisy.parameters().flatMap((p) => Array.from(p.grad!.data));

    opt.zeroGrad();
    cb.onBatchBegin(ctx);
    F.mseLoss(model.forward(x), y).backward();
    cb.onBeforeStep();
    assert.deepEqual(values(model), clean, "the clean weights are back before the step");
    opt.step();
    cb.onBatchEnd();
    assert.deepEqual(values(model), clean.map((w, i) => w - 0.1 * gradAtNoisy[i]!));
    const gradAtClean = (() => { const m = new mn.nn.Linear(3, 2, { dtype: "float64", generator: new mn.Generator(2) }); F.mseLoss(m.forward(x), y).backward(); return m.parameters().flatMap((p) => Array.from(p.grad!.data)); })();
    assert.notDeepEqual(gradAtNoisy, gradAtClean, "the noise changed the gradient");
  });

  test("the clean weights come back bit for bit even where (w + n) − n ≠ w (large noise)", () => {
    const model = new mn.nn.Linear(50, 50, { dtype: "float64" });
    const clean = values(model);
    const cb = new WeightNoise({ std: 1000 });
    const g = new mn.Generator(6);
    const twin = new mn.Generator(6);
    const subtracted = clean.map((w) => { const n = 1000 * twin.normal(); return (w + n) - n; });
    assert.ok(subtracted.some((v, i) => v !== clean[i]), "subtracting the noise would not restore these weights exactly");
    cb.onBatchBegin(handContext({ model, optimizer: null, generator: g, step: 0 }).ctx);
    cb.onBeforeStep();
    assert.deepEqual(values(model), clean);
  });

  test("the noise has variance std² (40200 weights: within 5σ of the sample variance) and mean 0", () => {
    const model = new mn.nn.Linear(200, 200, { dtype: "float64" });
    const clean = values(model);
    new WeightNoise({ std: 0.05 }).onBatchBegin(handContext({ model, optimizer: null, generator: new mn.Generator(7), step: 0 }).ctx);
    const z = values(model).map((w, i) => w - clean[i]!);
    const n = z.length;
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    // The relative standard deviation of a sample variance of n normals is √(2/(n−1)) ≈ 0.7%.
    assert.ok(Math.abs(variance / 0.05 ** 2 - 1) < 5 * Math.sqrt(2 / (n - 1)), `variance ${variance}`);
    assert.ok(Math.abs(mean) < 5 * 0.05 / Math.sqrt(n), `mean ${mean}`);
  });

  test("frozen parameters get no noise; a batch that skips its step is restored at onBatchEnd; noise never stacks", () => {
    const a = new mn.nn.Linear(2, 2, { dtype: "float64" }), b = new mn.nn.Linear(2, 2, { dtype: "float64" });
    const model = new mn.nn.Sequential(a, b);
    b.requiresGrad_(false);
    const clean = values(model);
    const cb = new WeightNoise({ std: 0.1 });
    const { ctx } = handContext({ model, optimizer: null, generator: new mn.Generator(8), step: 0 });
    cb.onBatchBegin(ctx);
    assert.deepEqual(Array.from(b.weight.data), clean.slice(6, 10));
    assert.notDeepEqual(Array.from(a.weight.data), clean.slice(0, 4));
    cb.onBatchBegin(ctx); // the previous batch never reached its step
    cb.onBatchEnd();
    assert.deepEqual(values(model), clean);
    cb.onBatchBegin(ctx);
    cb.onTrainEnd();
    assert.deepEqual(values(model), clean);
  });

  test("the same seed gives the same noise; std = 0 draws nothing", () => {
    const run = (seed: number) => {
      const model = new mn.nn.Linear(4, 4, { generator: new mn.Generator(9) });
      new WeightNoise({ std: 0.1 }).onBatchBegin(handContext({ model, optimizer: null, generator: new mn.Generator(seed), step: 0 }).ctx);
      return values(model);
    };
    assert.deepEqual(run(1), run(1));
    assert.notDeepEqual(run(1), run(2));
    const g = new mn.Generator(3), before = g.getState();
    new WeightNoise({ std: 0 }).onBatchBegin(handContext({ model: new mn.nn.Linear(2, 2), optimizer: null, generator: g, step: 0 }).ctx);
    assert.deepEqual(g.getState(), before);
  });

  test("bad options fail with exact messages", () => {
    assert.throws(() => new WeightNoise({ std: -0.1 }), /^OptionError: WeightNoise: invalid std; expected a number ≥ 0, got -0.1$/);
    assert.throws(() => new WeightNoise({ std: "0.1" as never }), /^OptionError: WeightNoise: invalid std; expected a number ≥ 0, got "0.1"$/);
    assert.throws(() => new WeightNoise({ sigma: 0.1 } as never), /^OptionError: WeightNoise: unknown option "sigma"; expected one of std$/);
    assert.equal(new WeightNoise().std, 0.01);
  });
});
