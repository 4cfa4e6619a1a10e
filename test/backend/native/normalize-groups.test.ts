import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { random } from "./helpers.js";

// GroupNorm's and LayerNorm's normalization: native against js on random inputs over [n, groups, cpg, spatial]
// views. Both sum in float64 in the same order without fused multiply-adds (the per-channel gradients in row
// order), so the results must be identical, bit for bit, on any thread count.
describe("native normalizeGroups kernels", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const kernels = nativeKernels() as Kernels;
  const floats = (dtype: "float32" | "float64", n: number) => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
  const exactly = (got: ArrayLike<number> | null, want: ArrayLike<number> | null, label: string) => {
    assert.equal(got === null, want === null, `${label}: presence`);
    if (!got || !want) return;
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${label} element ${i}: native ${got[i]}, js ${want[i]}`);
  };

  /** Runs forward and backward (with and without gx) on both backends and compares every output. */
  function compare(dtype: "float32" | "float64", n: number, groups: number, cpg: number, spatial: number, affine: boolean, gen: Generator) {
    const label = `${dtype} n=${n} groups=${groups} cpg=${cpg} spatial=${spatial} affine=${affine}`;
    const size = n * groups * cpg * spatial, rows = n * groups, channels = groups * cpg;
    const x = random(size, dtype, gen).map((v, i) => v * (1 + (i % 5)) + 3);
    const gy = random(size, dtype, gen);
    const weight = affine ? random(channels, dtype, gen) : null, bias = affine ? random(channels, dtype, gen) : null;
    const stats = () => [new Float64Array(rows), new Float64Array(rows)] as const;
    const [meanJs, invJs] = stats(), [meanNative, invNative] = stats();
    const [outJs, outNative] = [floats(dtype, size), floats(dtype, size)];
    jsKernels.normalizeGroupsForward(x, n, groups, cpg, spatial, weight, bias, 1e-5, meanJs, invJs, outJs);
    kernels.normalizeGroupsForward(x, n, groups, cpg, spatial, weight, bias, 1e-5, meanNative, invNative, outNative);
    exactly(meanNative, meanJs, `${label} mean`);
    exactly(invNative, invJs, `${label} invstd`);
    exactly(outNative, outJs, `${label} forward`);
    for (const withGx of [true, false]) {
      const grads = () => [withGx ? floats(dtype, size) : null, new Float64Array(channels).fill(7), new Float64Array(channels).fill(7)] as const;
      const [gxJs, gwJs, gbJs] = grads(), [gxNative, gwNative, gbNative] = grads();
      jsKernels.normalizeGroupsBackward(gy, x, n, groups, cpg, spatial, weight, meanJs, invJs, gxJs, gwJs, gbJs);
      kernels.normalizeGroupsBackward(gy, x, n, groups, cpg, spatial, weight, meanJs, invJs, gxNative, gwNative, gbNative);
      exactly(gxNative, gxJs, `${label} gx`);
      exactly(gwNative, gwJs, `${label} gWeight`);
      exactly(gbNative, gbJs, `${label} gBias`);
    }
  }

  for (const dtype of ["float32", "float64"] as const) {
    test(`forward and backward equal the js kernels exactly: n, groups, cpg, spatial ∈ {1, 3, 7}, with and without affine (${dtype})`, () => {
      const gen = new Generator(31);
      for (const n of [1, 3, 7]) for (const g of [1, 3, 7]) for (const cpg of [1, 3, 7]) for (const s of [1, 3, 7]) compare(dtype, n, g, cpg, s, (n + g + cpg + s) % 2 === 0, gen);
    });
  }

  test("large inputs split over rows across the thread pool give the js results, with 1, 2 and 3 threads", () => {
    const gen = new Generator(32);
    const threads = native.cpuInfo().threads;
    try {
      for (const t of [1, 2, 3]) {
        native.setNumThreads(t);
        compare("float32", 16, 8, 4, 676, true, gen); // GroupNorm(8, 32) on [16, 32, 26, 26]
        compare("float64", 4096, 1, 33, 1, false, gen); // LayerNorm(33) on 4096 rows
      }
    } finally {
      native.setNumThreads(threads);
    }
  });

  test("mixed dtypes run on the js kernel; a wrong argument is a TypeError naming the kernel and the argument", () => {
    const x = new Float64Array([1, 2, 3, 4]), weight = new Float32Array([2]), mean = new Float64Array(1), invstd = new Float64Array(1);
    const [out, want] = [new Float64Array(4), new Float64Array(4)];
    kernels.normalizeGroupsForward(x, 1, 1, 1, 4, weight, null, 1e-5, mean, invstd, out);
    jsKernels.normalizeGroupsForward(x, 1, 1, 1, 4, weight, null, 1e-5, new Float64Array(1), new Float64Array(1), want);
    exactly(out, want, "float64 x, float32 weight");
    assert.throws(() => native.normalizeGroupsForward(x, 1, 1, 1, 4, weight, null, 1e-5, mean, invstd, out),
      { name: "TypeError", message: "minima native normalizeGroupsForward: argument 5 must be null or a typed array like argument 0" });
    assert.throws(() => native.normalizeGroupsBackward(x, x, 1, 1, 1, 4, null, mean, invstd, null, new Float32Array(1) as never, new Float64Array(1)),
      { name: "TypeError", message: "minima native normalizeGroupsBackward: argument 10 must be a Float64Array" });
  });
});
