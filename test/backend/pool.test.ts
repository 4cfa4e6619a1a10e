import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../src/backend/js/index.js";
import type { PoolWindows } from "../../src/backend/kernels.js";

// The pooling kernels' contract as a backend must honour it, on hand-worked values: plane
// layout, in-plane indices, divisors, and outputs overwritten whatever they held.
const windows = (start: number[], end: number[], count: number[], step = 1): PoolWindows =>
  ({ start: Int32Array.from(start), end: Int32Array.from(end), count: Int32Array.from(count), step });

describe("js pooling kernels (hand-worked values)", () => {
  // Two planes of 2x3: plane 1 is plane 0 + 10.
  const x = Float64Array.from([1, 5, 2, 4, 3, 6, 11, 15, 12, 14, 13, 16]);
  const rows = windows([0], [2], [2]);
  const cols = windows([0, 1], [2, 3], [2, 2]);

  test("maxPool2d: indices are h·inW + w within each plane; step skips taps", () => {
    const out = new Float64Array(4).fill(NaN), indices = new Int32Array(4).fill(-9);
    jsKernels.maxPool2d(x, 2, 2, 3, rows, cols, out, indices);
    assert.deepEqual([Array.from(out), Array.from(indices)], [[5, 6, 15, 16], [1, 5, 1, 5]]);
    jsKernels.maxPool2d(x, 2, 2, 3, rows, windows([0], [3], [2], 2), out.subarray(0, 2), indices.subarray(0, 2));
    assert.deepEqual(Array.from(indices.subarray(0, 2)), [5, 5]); // columns 0 and 2 only: max 6 at (1, 2)
  });

  test("avgPool2d divides by rows.count·cols.count, or by divisorOverride when non-zero", () => {
    const out = new Float64Array(4).fill(NaN);
    jsKernels.avgPool2d(x, 2, 2, 3, rows, cols, 0, out);
    assert.deepEqual(Array.from(out), [13 / 4, 16 / 4, 53 / 4, 56 / 4]);
    jsKernels.avgPool2d(x, 2, 2, 3, windows([0], [2], [3]), cols, 2, out);
    assert.deepEqual(Array.from(out), [13 / 2, 16 / 2, 53 / 2, 56 / 2]);
  });

  test("avgPool2dBackward overwrites gx and sums where windows overlap", () => {
    const gx = new Float64Array(12).fill(NaN);
    jsKernels.avgPool2dBackward(Float64Array.from([4, 8, 0, 4]), 2, 2, 3, rows, cols, 0, gx);
    assert.deepEqual(Array.from(gx), [1, 3, 2, 1, 3, 2, 0, 1, 1, 0, 1, 1]);
  });
});
