import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { minMaxDownsample } from "../../src/report/downsample.js";

describe("report.minMaxDownsample", () => {
  test("keeps a series of up to two points a bucket whole", () => {
    assert.deepEqual(minMaxDownsample([1, 2, 3, 4], [4, 3, 2, 1], 2), { x: [1, 2, 3, 4], y: [4, 3, 2, 1] });
  });

  test("keeps, in each pixel column of the x range, exactly that column's lowest and highest point and its first NaN (brute force over the columns)", () => {
    const n = 10_007, buckets = 97;
    const x = Array.from({ length: n }, (_, i) => 3 + i * 0.5), y = x.map((v) => Math.sin(v) + (v % 7) * 0.1);
    y[4321] = 1e6; y[777] = NaN; y[778] = -Infinity;
    const d = minMaxDownsample(x, y, buckets);
    assert.ok(d.x.every((v, i) => i === 0 || v > d.x[i - 1]!), "x stays in order");
    // The reference: each column [x0 + k·w, x0 + (k+1)·w) scanned on its own.
    const x0 = x[0]!, w = (x[n - 1]! - x0) / buckets, expected = new Set<number>();
    for (let k = 0; k < buckets; k++) {
      const inColumn = x.map((v, i) => [v, i] as const).filter(([v]) => (k === buckets - 1 ? v >= x0 + k * w : v >= x0 + k * w && v < x0 + (k + 1) * w)).map(([, i]) => i);
      const finite = inColumn.filter((i) => Number.isFinite(y[i]!));
      const lo = finite.reduce((a, i) => (y[i]! < y[a]! ? i : a)), hi = finite.reduce((a, i) => (y[i]! > y[a]! ? i : a));
      expected.add(x[lo]!).add(x[hi]!);
      const bad = inColumn.find((i) => !Number.isFinite(y[i]!));
      if (bad !== undefined) expected.add(x[bad]!);
    }
    assert.deepEqual(d.x, [...expected].sort((a, b) => a - b));
    assert.equal(d.y[d.x.indexOf(x[4321]!)], 1e6, "the spike is kept");
    assert.ok(Number.isNaN(d.y[d.x.indexOf(x[777]!)]!), "the NaN is kept, so the line breaks there");
    assert.ok(d.x.length <= 2 * buckets + 1);
  });
});
