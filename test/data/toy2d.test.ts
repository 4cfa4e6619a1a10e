import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

// toy2d against its closed forms: without noise every point lies on its class's curve (checked by the curve's
// implicit equation, not by the generator's formula); the noise is N(0, σ²) per coordinate on top of the same
// clean points; shapes, labels and determinism by generator.
const T0 = 0.5, T1 = 0.5 + 3 * Math.PI;
const draw = (name: mn.data.Toy2dName, n: number, noise = 0, seed = 3) =>
  mn.data.toy2d(name, n, { noise, dtype: "float64", generator: new mn.Generator(seed) });
const points = ({ x, y }: { x: mn.Tensor; y: mn.Tensor }) => Array.from(y.data, (label, i) => ({ px: x.data[2 * i]!, py: x.data[2 * i + 1]!, label }));

describe("toy2d: shapes and labels", () => {
  for (const name of mn.data.TOY2D_DATASETS) {
    test(`${name}: x is [n, 2] float32 by default, y is [n] int32 holding 0 and 1`, () => {
      const { x, y } = mn.data.toy2d(name, 101, { generator: new mn.Generator(0) });
      assert.deepEqual(x.shape, [101, 2]);
      assert.equal(x.dtype, "float32");
      assert.deepEqual(y.shape, [101]);
      assert.equal(y.dtype, "int32");
      assert.deepEqual([...new Set(y.data)].sort(), [0, 1]);
    });
  }
  for (const name of ["spirals", "moons", "circles"] as const) {
    test(`${name}: sample i has class i mod 2 (51 of class 0, 50 of class 1 in 101)`, () => {
      const { y } = draw(name, 101);
      assert.deepEqual(Array.from(y.data), Array.from({ length: 101 }, (_, i) => i % 2));
    });
  }
  test("xor: both classes about half the samples (a binomial count within 4 standard deviations)", () => {
    const { y } = draw("xor", 4000);
    const ones = Array.from(y.data).filter((v) => v === 1).length;
    assert.ok(Math.abs(ones - 2000) < 4 * Math.sqrt(4000 / 4), `${ones} of class 1`);
  });
});

describe("toy2d without noise: every point on its class's curve", () => {
  test("spirals: r·T1 − θ is a multiple of 2π for class 0 (θ the polar angle) and r·T1 − θ − π one for class 1, with r·T1 in [1/2, 1/2 + 3π]", () => {
    for (const { px, py, label } of points(draw("spirals", 500))) {
      const t = Math.hypot(px, py) * T1;
      assert.ok(t >= T0 - 1e-12 && t <= T1 + 1e-12, `t ${t}`);
      const turns = (t - Math.atan2(py, px) - label * Math.PI) / (2 * Math.PI);
      assert.ok(Math.abs(turns - Math.round(turns)) < 1e-9, `(${px}, ${py}) class ${label}: ${turns} turns`);
    }
  });
  test("moons: class 0 on x² + y² = 1 with y ≥ 0, class 1 on (x − 1)² + (y − 1/2)² = 1 with y ≤ 1/2", () => {
    for (const { px, py, label } of points(draw("moons", 500))) {
      if (label === 0) {
        assert.ok(Math.abs(px ** 2 + py ** 2 - 1) < 1e-12 && py >= 0, `(${px}, ${py}) class 0`);
      } else {
        assert.ok(Math.abs((px - 1) ** 2 + (py - 0.5) ** 2 - 1) < 1e-12 && py <= 0.5, `(${px}, ${py}) class 1`);
      }
    }
  });
  test("circles: class 0 at radius 1, class 1 at radius 1/2, angles covering every quadrant", () => {
    const all = points(draw("circles", 500));
    for (const { px, py, label } of all) assert.ok(Math.abs(Math.hypot(px, py) - (label === 0 ? 1 : 0.5)) < 1e-12, `(${px}, ${py}) class ${label}`);
    for (const label of [0, 1]) {
      const quadrants = new Set(all.filter((p) => p.label === label).map((p) => `${Math.sign(p.px)}${Math.sign(p.py)}`));
      assert.equal(quadrants.size, 4);
    }
  });
  test("xor: points in [−1, 1]², class 0 where x·y ≥ 0 and class 1 where x·y < 0", () => {
    for (const { px, py, label } of points(draw("xor", 500))) {
      assert.ok(Math.abs(px) <= 1 && Math.abs(py) <= 1, `(${px}, ${py})`);
      assert.equal(label, px * py >= 0 ? 0 : 1, `(${px}, ${py})`);
    }
  });
});

describe("toy2d's noise: N(0, σ²) on each coordinate of the same clean points", () => {
  for (const name of mn.data.TOY2D_DATASETS) {
    test(`${name}: noisy − clean (same seed) has mean 0 and variance σ² = 0.01 within 4 standard errors; labels unchanged`, () => {
      const n = 3000, sigma = 0.1;
      const clean = draw(name, n, 0, 11), noisy = draw(name, n, sigma, 11);
      assert.deepEqual(Array.from(noisy.y.data), Array.from(clean.y.data));
      const d = Array.from(noisy.x.data, (v, i) => v - clean.x.data[i]!);
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const variance = d.reduce((a, b) => a + b * b, 0) / d.length;
      assert.ok(Math.abs(mean) < 4 * sigma / Math.sqrt(d.length), `mean ${mean}`);
      // The variance of z² for z ~ N(0, σ²) is 2σ⁴.
      assert.ok(Math.abs(variance - sigma ** 2) < 4 * Math.sqrt(2 * sigma ** 4 / d.length), `variance ${variance}`);
    });
  }
});

describe("toy2d's determinism", () => {
  test("the same generator seed gives the same set bit for bit, another seed another set; float32 holds the float64 values rounded", () => {
    const a = mn.data.toy2d("spirals", 64, { noise: 0.05, generator: new mn.Generator(5) });
    const b = mn.data.toy2d("spirals", 64, { noise: 0.05, generator: new mn.Generator(5) });
    const c = mn.data.toy2d("spirals", 64, { noise: 0.05, generator: new mn.Generator(6) });
    const wide = mn.data.toy2d("spirals", 64, { noise: 0.05, dtype: "float64", generator: new mn.Generator(5) });
    assert.deepEqual(Array.from(a.x.data), Array.from(b.x.data));
    assert.notDeepEqual(Array.from(a.x.data), Array.from(c.x.data));
    assert.deepEqual(Array.from(a.x.data), Array.from(wide.x.data, Math.fround));
  });
  test("without a generator it draws from the global one, so mn.manualSeed fixes it", () => {
    mn.manualSeed(9);
    const a = mn.data.toy2d("moons", 32, { noise: 0.1 });
    mn.manualSeed(9);
    const b = mn.data.toy2d("moons", 32, { noise: 0.1 });
    assert.deepEqual(Array.from(a.x.data), Array.from(b.x.data));
  });
});

describe("toy2d: bad input, exact messages", () => {
  testErrorCases([
    ["an unknown name", () => mn.data.toy2d("spiral" as mn.data.Toy2dName, 10), 'toy2d: unknown data set "spiral"; expected one of spirals, moons, circles, xor'],
    ["n 0", () => mn.data.toy2d("xor", 0), "toy2d: invalid n; expected an integer ≥ 1, got 0"],
    ["n 2.5", () => mn.data.toy2d("xor", 2.5), "toy2d: invalid n; expected an integer ≥ 1, got 2.5"],
    ["negative noise", () => mn.data.toy2d("moons", 10, { noise: -0.1 }), "toy2d: invalid noise; expected a finite number ≥ 0, got -0.1"],
    ["infinite noise", () => mn.data.toy2d("moons", 10, { noise: Infinity }), "toy2d: invalid noise; expected a finite number ≥ 0, got Infinity"],
    ["an unknown option", () => mn.data.toy2d("moons", 10, { nois: 0.1 } as mn.data.Toy2dOptions), 'toy2d: unknown option "nois" — did you mean "noise"?; expected one of noise, dtype, generator'],
  ]);
});
