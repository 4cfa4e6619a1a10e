import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { Standardize } from "../../src/data/index.node.js";

/** Column means and population stds of a row-major [n, f] array, in plain JS (closed form). */
function columnStats(d: ArrayLike<number>, n: number, f: number): { mean: number[]; std: number[] } {
  const mean = Array.from({ length: f }, (_, j) => { let s = 0; for (let i = 0; i < n; i++) s += d[i * f + j]!; return s / n; });
  const std = mean.map((m, j) => { let s = 0; for (let i = 0; i < n; i++) s += (d[i * f + j]! - m) ** 2; return Math.sqrt(s / n); });
  return { mean, std };
}
const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** [n, 4] float32: columns with different offsets and scales, plus a constant column 3. */
function sample(n: number, seed: number): mn.Tensor {
  const g = new mn.Generator(seed);
  const x = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    x[4 * i] = 5 + 2 * g.normal();
    x[4 * i + 1] = -100 + 0.01 * g.normal();
    x[4 * i + 2] = 1000 * g.random();
    x[4 * i + 3] = 7;
  }
  return new mn.Tensor(x, [n, 4]);
}

describe("Standardize (zero mean, unit variance, fitted on training data only)", () => {
  test("fit matches the closed-form column mean and population std (correction 0)", () => {
    const x = sample(500, 0);
    const s = new Standardize().fit(x);
    const want = columnStats(x.data, 500, 4);
    s.mean!.data.forEach((m, j) => close(m, want.mean[j]!, 1e-9 * Math.max(1, Math.abs(want.mean[j]!))));
    [0, 1, 2].forEach((j) => close(s.std!.data[j]!, want.std[j]!, 1e-9 * want.std[j]!));
  });

  test("transformed training data has mean ≈ 0 and std ≈ 1 per feature; a constant feature becomes 0, not NaN", () => {
    const z = new Standardize().fitTransform(sample(500, 1));
    assert.deepEqual(z.shape, [500, 4]);
    assert.equal(z.dtype, "float32");
    const got = columnStats(z.data, 500, 4);
    [0, 1, 2].forEach((j) => { close(got.mean[j]!, 0, 1e-5); close(got.std[j]!, 1, 1e-5); });
    assert.ok(Array.from(z.data).every(Number.isFinite));
    assert.deepEqual(Array.from({ length: 500 }, (_, i) => z.data[4 * i + 3]), Array(500).fill(0));
  });

  test("test data is transformed with the training statistics: (x − μ_train) / σ_train", () => {
    const train = sample(300, 2), test = sample(50, 3);
    const s = new Standardize().fit(train);
    const { mean, std } = columnStats(train.data, 300, 4);
    std[3] = 1; // constant column: divided by 1
    const z = s.transform(test);
    for (let i = 0; i < 50; i++) {
      for (let j = 0; j < 4; j++) close(z.data[4 * i + j]!, Math.fround((test.data[4 * i + j]! - mean[j]!) / std[j]!), 1e-5 * Math.max(1, Math.abs(z.data[4 * i + j]!)));
    }
    // Test statistics differ from the training ones, so its mean is not forced to 0.
    assert.ok(Math.abs(columnStats(z.data, 50, 4).mean[2]!) > 1e-3);
  });

  test("features are the entries of each sample flattened; the result keeps x's shape", () => {
    const x = mn.randn([40, 2, 3], { generator: new mn.Generator(4) }).mul(3).add(1);
    const s = new Standardize().fit(x);
    assert.deepEqual(s.mean!.shape, [6]);
    const z = s.transform(x);
    assert.deepEqual(z.shape, [40, 2, 3]);
    const got = columnStats(z.data, 40, 6);
    got.mean.forEach((m) => close(m, 0, 1e-5));
    got.std.forEach((v) => close(v, 1, 1e-5));
  });

  test("perFeature false: one mean and std over every value (closed form)", () => {
    const x = mn.tensor([[1, 2], [3, 4], [5, 6]], { dtype: "float64" });
    const s = new Standardize({ perFeature: false }).fit(x);
    assert.deepEqual(s.stateDict(), { mean: [3.5], std: [Math.sqrt(35 / 12)] });
    const z = s.transform(x);
    assert.equal(z.dtype, "float64");
    close((z.data[0]!), -2.5 / Math.sqrt(35 / 12), 1e-15);
  });

  test("stateDict round trip gives the same transform; a bad state is a StateDictError", () => {
    const train = sample(100, 5), test = sample(10, 6);
    const a = new Standardize().fit(train);
    const state = JSON.parse(JSON.stringify(a.stateDict())) as { mean: number[]; std: number[] };
    assert.equal(state.mean.length, 4);
    const b = new Standardize();
    b.loadStateDict(state);
    assert.deepEqual(Array.from(b.transform(test).data), Array.from(a.transform(test).data));
    assert.throws(() => b.loadStateDict({ mean: [0, 1], std: [1] }), mn.StateDictError);
    assert.throws(() => b.loadStateDict({ mean: [0], std: [0] }), mn.StateDictError);
    assert.throws(() => new Standardize({ perFeature: false }).loadStateDict(state), { name: "StateDictError", message: /perFeature is false/ });
  });

  test("misuse fails clearly: transform before fit, wrong feature count, unknown option", () => {
    assert.throws(() => new Standardize().transform(mn.zeros([2, 2])), { message: /Standardize.transform: not fitted yet; call fit\(\) on the training data first/ });
    assert.throws(() => new Standardize().stateDict(), { message: /not fitted yet/ });
    const s = new Standardize().fit(mn.zeros([3, 4]));
    assert.throws(() => s.transform(mn.zeros([3, 5])), { name: "ShapeError", message: /input \[3,5\] has 5 features per sample, the statistics 4/ });
    assert.throws(() => new Standardize().fit(mn.zeros([0, 3])), { name: "ShapeError", message: /needs at least one sample/ });
    assert.throws(() => new Standardize({ per_feature: false } as never), { name: "OptionError", message: /did you mean "perFeature"/ });
    assert.throws(() => new Standardize({ eps: -1 }), { message: /invalid eps; expected a number ≥ 0, got -1/ });
  });
});
