import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { assertSame, onOneAndTwoThreads, random } from "./helpers.js";

// The native reductions (sum, max, min, softmax, sumOfSquares) against the js ones.
describe("native reductions", () => {
  if (!nativeStatus.loaded) return;
  const kernels = nativeKernels() as Kernels;

  for (const dtype of ["float32", "float64"] as const) {
    test(`reduce (sum, max, min) and softmax equal the js kernels over [outer, size, inner] views (${dtype})`, () => {
      const gen = new Generator(6);
      for (const [outer, size, inner] of [[1, 1, 1], [3, 7, 1], [1, 257, 33], [5, 3, 7], [1, 128, 10], [2, 0, 3], [64, 10, 1], [1, 40000, 3]]) {
        const x = random(outer * size * inner, dtype, gen);
        if (x.length > 3) { x[1] = NaN; x[2] = Infinity; }
        for (const op of ["sum", "max", "min"] as const) {
          const want = dtype === "float32" ? new Float32Array(outer * inner) : new Float64Array(outer * inner), got = want.slice();
          jsKernels.reduce(op, x, outer, size, inner, want);
          kernels.reduce(op, x, outer, size, inner, got);
          assertSame(got, want, op, dtype);
        }
        const finite = x.map((v) => (Number.isFinite(v) ? v : 0.5));
        for (const log of [false, true]) {
          const want = finite.slice().fill(0), got = want.slice();
          jsKernels.softmax(finite, outer, size, inner, want, log);
          kernels.softmax(finite, outer, size, inner, got, log);
          assertSame(got, want, "exp", dtype);
        }
      }
    });
  }

  test("sumOfSquares equals the js kernel bit for bit (chunks of 2^14 added in order) with 1 and 2 threads, and a closed form", () => {
    const gen = new Generator(11);
    onOneAndTwoThreads((t) => {
      for (const dtype of ["float32", "float64"] as const) {
        for (const n of [0, 1, 3, 16383, 16384, 16385, 200_003]) {
          const x = random(n, dtype, gen);
          assert.ok(Object.is(kernels.sumOfSquares(x), jsKernels.sumOfSquares(x)), `${dtype} n=${n}, ${t} threads: ${kernels.sumOfSquares(x)} vs ${jsKernels.sumOfSquares(x)}`);
        }
      }
    });
    // Σ k² for k = 1..n is n(n+1)(2n+1)/6: exact in double for these integers.
    const ks = Float64Array.from({ length: 70_000 }, (_, i) => i + 1);
    assert.equal(kernels.sumOfSquares(ks), (70_000 * 70_001 * 140_001) / 6);
    assert.ok(Number.isNaN(kernels.sumOfSquares(Float32Array.of(1, NaN, 2))));
  });
});
