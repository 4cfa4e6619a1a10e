import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import { nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { random } from "./helpers.js";

// Batch norm: native against js on random inputs over [n, c, s] views. Both sum in float64 in the same
// order without fused multiply-adds, so the results must be identical, bit for bit.
describe("native batch-norm kernels", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const floats = (dtype: "float32" | "float64", n: number) => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
  const exactly = (got: ArrayLike<number> | null, want: ArrayLike<number> | null, label: string) => {
    assert.equal(got === null, want === null, `${label}: presence`);
    if (!got || !want) return;
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${label} element ${i}: native ${got[i]}, js ${want[i]}`);
  };

  /** Runs stats, forward and backward (training and not) on both backends and compares every output. */
  function compare(dtype: "float32" | "float64", n: number, c: number, s: number, affine: boolean, gen: Generator) {
    const label = `${dtype} n=${n} c=${c} s=${s} affine=${affine}`;
    const x = random(n * c * s, dtype, gen).map((v, i) => v * (1 + (i % 5)) + 3);
    const gy = random(n * c * s, dtype, gen);
    const weight = affine ? random(c, dtype, gen) : null, bias = affine ? random(c, dtype, gen) : null;
    const stats = () => [new Float64Array(c), new Float64Array(c)] as const;
    const [meanJs, varJs] = stats(), [meanNative, varNative] = stats();
    jsKernels.batchNormStats(x, n, c, s, meanJs, varJs);
    native.batchNormStats(x, n, c, s, meanNative, varNative);
    exactly(meanNative, meanJs, `${label} mean`);
    exactly(varNative, varJs, `${label} variance`);
    const invstd = varJs.map((v) => 1 / Math.sqrt(v + 1e-5));
    const [outJs, outNative] = [floats(dtype, x.length), floats(dtype, x.length)];
    jsKernels.batchNormForward(x, n, c, s, meanJs, invstd, weight, bias, outJs);
    native.batchNormForward(x, n, c, s, meanJs, invstd, weight, bias, outNative);
    exactly(outNative, outJs, `${label} forward`);
    for (const training of [true, false]) {
      const grads = () => [floats(dtype, x.length), affine ? floats(dtype, c) : null, affine ? floats(dtype, c) : null] as const;
      const [gxJs, gwJs, gbJs] = grads(), [gxNative, gwNative, gbNative] = grads();
      jsKernels.batchNormBackward(gy, x, n, c, s, meanJs, invstd, weight, training, gxJs, gwJs, gbJs);
      native.batchNormBackward(gy, x, n, c, s, meanJs, invstd, weight, training, gxNative, gwNative, gbNative);
      exactly(gxNative, gxJs, `${label} training=${training} gx`);
      exactly(gwNative, gwJs, `${label} training=${training} gWeight`);
      exactly(gbNative, gbJs, `${label} training=${training} gBias`);
    }
  }

  for (const dtype of ["float32", "float64"] as const) {
    test(`stats, forward and backward equal the js kernels exactly: n, c, s ∈ {1, 3, 7, 33}, with and without affine (${dtype})`, () => {
      const gen = new Generator(12);
      for (const n of [1, 3, 7, 33]) for (const c of [1, 3, 7, 33]) for (const s of [1, 3, 7, 33]) compare(dtype, n, c, s, (n + c + s) % 2 === 0, gen);
    });
  }

  test("large inputs split over channels across the thread pool give the js results, with 1 and 2 threads", () => {
    const gen = new Generator(13);
    const threads = native.cpuInfo().threads;
    try {
      for (const t of [1, 2]) {
        native.setNumThreads(t);
        compare("float32", 16, 9, 4099, true, gen);
        compare("float64", 4096, 5, 7, false, gen);
      }
    } finally {
      native.setNumThreads(threads);
    }
  });

  test("a null output is left alone and a wrong argument is a TypeError naming the kernel and the argument", () => {
    const x = new Float64Array([1, 2, 3, 4]), gy = new Float64Array([1, -1, 2, 0]), mean = new Float64Array([2.5]), invstd = new Float64Array([1]);
    const gWeight = new Float64Array(1);
    native.batchNormBackward(gy, x, 4, 1, 1, mean, invstd, null, true, null, gWeight, null);
    const want = new Float64Array(1);
    jsKernels.batchNormBackward(gy, x, 4, 1, 1, mean, invstd, null, true, null, want, null);
    exactly(gWeight, want, "gWeight alone");
    assert.throws(() => native.batchNormStats(x, 4, 1, 1, new Float32Array(1) as never, new Float64Array(1)),
      { name: "TypeError", message: "minima native batchNormStats: argument 4 must be a Float64Array" });
    assert.throws(() => native.batchNormForward(x, 4, 1, 1, mean, invstd, new Float32Array(1), null, new Float64Array(4)),
      { name: "TypeError", message: "minima native batchNormForward: argument 6 must be null or a typed array like argument 0" });
    assert.throws(() => native.batchNormForward(new Int32Array(4) as never, 4, 1, 1, mean, invstd, null, null, new Float64Array(4)),
      { name: "TypeError", message: "minima native batchNormForward: argument 0 must be a Float32Array or Float64Array" });
  });
});
