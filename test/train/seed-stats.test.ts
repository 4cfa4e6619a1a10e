import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { seedBand, seedStat } from "../../src/train/seed-stats.js";

describe("seedStat", () => {
  test("mean and sample standard deviation (n − 1, torch.std's default) by the closed form", () => {
    // 1, 2, 3, 4: mean 5/2; squared deviations 9/4 + 1/4 + 1/4 + 9/4 = 5; 5/3 under the root.
    const s = seedStat([1, 2, 3, 4]);
    assert.equal(s.mean, 2.5);
    assert.ok(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-15, `${s.std}`);
    assert.deepEqual(s.values, [1, 2, 3, 4]);
    // Two values a, b: std = |a − b| / √2.
    assert.ok(Math.abs(seedStat([0.3, 0.5]).std - 0.2 / Math.SQRT2) < 1e-15);
  });

  test("one seed has no spread (NaN, as torch.std of one element); a NaN run makes both NaN", () => {
    const one = seedStat([0.7]);
    assert.equal(one.mean, 0.7);
    assert.ok(Number.isNaN(one.std));
    const diverged = seedStat([0.1, NaN, 0.3]);
    assert.ok(Number.isNaN(diverged.mean) && Number.isNaN(diverged.std));
  });
});

describe("seedBand", () => {
  test("pointwise mean, min and max; a shorter curve (a run that stopped early) leaves the later points to the others", () => {
    assert.deepEqual(seedBand([[3, 2, 1], [5, 4]]), { mean: [4, 3, 1], min: [3, 2, 1], max: [5, 4, 1] });
    assert.deepEqual(seedBand([[1, 2]]), { mean: [1, 2], min: [1, 2], max: [1, 2] });
    assert.deepEqual(seedBand([]), { mean: [], min: [], max: [] });
  });

  test("a NaN at a point makes the mean and the range NaN there, not a range that hides it", () => {
    const b = seedBand([[1, NaN], [2, 3]]);
    assert.deepEqual(b.mean.slice(0, 1), [1.5]);
    assert.ok([b.mean[1], b.min[1], b.max[1]].every((v) => Number.isNaN(v)));
  });
});
