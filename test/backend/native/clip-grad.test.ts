import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import { nativeClipGrad } from "../../../src/backend/native/clip-grad.js";
import { nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { random, SIZES } from "./helpers.js";

// Gradient clipping: the addon against the js kernels on random gradients of several arrays. Both take the norm with
// products, sums and square roots in float64 in the same order, so the results must be identical, bit for bit.
describe("native clipping kernels", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const exactly = (got: ArrayLike<number>, want: ArrayLike<number>, label: string) => {
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${label} element ${i}: native ${got[i]}, js ${want[i]}`);
  };
  /** Gradients of each size in SIZES, scaled apart so the norms' sums mix magnitudes. */
  const gradients = (dtype: "float32" | "float64", gen: Generator) => SIZES.map((n, k) => random(n, dtype, gen).map((v) => v * 10 ** (k - 2)));

  test("clipGradNorm for p 1, 2 and ∞ gives js's total and gradients, clipping or not", () => {
    const gen = new Generator(21);
    for (const dtype of ["float32", "float64"] as const) {
      for (const p of [1, 2, Infinity]) {
        for (const maxNorm of [1e-3, 0.5, 1e6]) {
          const label = `${dtype} p=${p} maxNorm=${maxNorm}`;
          const want = gradients(dtype, gen), got = want.map((g) => g.slice());
          const totalJs = new Float64Array(1), totalNative = new Float64Array(1);
          jsKernels.clipGradNorm(want, maxNorm, p, totalJs);
          native.clipGradNorm(got, maxNorm, p, totalNative);
          exactly(totalNative, totalJs, `${label} total`);
          got.forEach((g, i) => exactly(g, want[i]!, `${label} gradient ${i}`));
        }
      }
    }
  });

  test("clipGradNorm's total is the closed form: ‖(3, 4)‖₂ = 5, ‖(3, −4)‖₁ = 7, ‖(3, −4)‖∞ = 4", () => {
    for (const [p, norm] of [[2, 5], [1, 7], [Infinity, 4]] as const) {
      const total = new Float64Array(1);
      native.clipGradNorm([Float64Array.of(3), Float64Array.of(-4)], 1e6, p, total);
      assert.equal(total[0], norm);
    }
  });

  test("clipGradValue gives js's gradients", () => {
    const gen = new Generator(22);
    for (const dtype of ["float32", "float64"] as const) {
      const want = gradients(dtype, gen), got = want.map((g) => g.slice());
      jsKernels.clipGradValue(want, 0.05);
      native.clipGradValue(got, 0.05);
      got.forEach((g, i) => exactly(g, want[i]!, `${dtype} gradient ${i}`));
    }
  });

  test("the native table leaves mixed dtypes and other p to js, and the addon refuses them naming the argument", () => {
    const table = nativeClipGrad(native);
    const mixed = () => [Float32Array.of(0.5, -2), Float64Array.of(3)];
    for (const p of [2, 3]) {
      const want = mixed(), got = mixed(), totalJs = new Float64Array(1), total = new Float64Array(1);
      jsKernels.clipGradNorm(want, 1, p, totalJs);
      table.clipGradNorm(got, 1, p, total);
      assert.equal(total[0], totalJs[0]);
      got.forEach((g, i) => exactly(g, want[i]!, `p=${p} gradient ${i}`));
    }
    const [plain] = mixed();
    assert.throws(() => native.clipGradNorm(mixed(), 1, 2, new Float64Array(1)), { message: "minima native clipGradNorm: argument 0 must be an array of Float32Arrays or of Float64Arrays" });
    assert.throws(() => native.clipGradNorm([plain!], 1, 3, new Float64Array(1)), { message: "minima native clipGradNorm: argument 2 must be 1, 2 or Infinity" });
  });
});
