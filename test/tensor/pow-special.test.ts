import { test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// pow's special values are C's (C99 Annex F, which PyTorch and the native kernels follow), the same on every
// backend: 1 ** y is 1 for every y, NaN included, and (−1) ** ±∞ is 1, where JavaScript's ** gives NaN.
test("pow: 1 ** NaN, (−1) ** ±∞ and x ** 0 are 1, other NaN operands give NaN, in float32 and float64", () => {
  const cases: [number, number, number][] = [
    [1, NaN, 1], [1, Infinity, 1], [1, -Infinity, 1], [-1, Infinity, 1], [-1, -Infinity, 1],
    [NaN, 0, 1], [2, 0, 1], [NaN, 1, NaN], [2, NaN, NaN], [-2, 0.5, NaN], [0.5, Infinity, 0], [2, -Infinity, 0], [-8, 1 / 3, NaN],
  ];
  for (const dtype of ["float32", "float64"] as const) {
    const base = mn.tensor(cases.map((c) => c[0]), { dtype }), exponent = mn.tensor(cases.map((c) => c[1]), { dtype });
    const got = Array.from(base.pow(exponent).data);
    cases.forEach(([x, y, expected], i) => assert.ok(Object.is(got[i], expected), `${mn.getBackend()} ${dtype}: ${x} ** ${y} = ${got[i]}, expected ${expected}`));
  }
});
