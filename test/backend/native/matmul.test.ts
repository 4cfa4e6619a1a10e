import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { SIZES, assertMatmulClose, random } from "./helpers.js";

// The native matmul (OpenBLAS, split across minima's pool) against the js kernel.
describe("native matmul", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const kernels = nativeKernels() as Kernels;

  test("matmul equals the js kernel: sizes 1, 3, 7, 33, 257 (non-square), every transpose, float32 and float64", () => {
    const gen = new Generator(7);
    for (const dtype of ["float32", "float64"] as const) {
      for (const m of SIZES) for (const n of [1, 7, 33]) for (const k of [1, 3, 257]) {
        for (const transA of [false, true]) for (const transB of [false, true]) {
          const a = random(m * k, dtype, gen), b = random(k * n, dtype, gen);
          const want = dtype === "float32" ? new Float32Array(m * n) : new Float64Array(m * n);
          const got = want.slice();
          jsKernels.matmul(a, b, want, 1, m, n, k, transA, transB, 0, 0);
          native.matmul(a, b, got, 1, m, n, k, transA, transB, 0, 0);
          assertMatmulClose(got, want, k, dtype, `${dtype} ${m}x${k}·${k}x${n} transA ${transA} transB ${transB}`);
        }
      }
    }
  });

  test("batched matmul: strided and shared (stride 0) operands; k = 0 writes zeros", () => {
    const gen = new Generator(8);
    const [batch, m, n, k] = [3, 5, 4, 6];
    for (const [aStride, bStride] of [[m * k, k * n], [0, k * n], [m * k, 0]] as const) {
      const a = random(aStride ? batch * m * k : m * k, "float64", gen), b = random(bStride ? batch * k * n : k * n, "float64", gen);
      const want = new Float64Array(batch * m * n), got = new Float64Array(batch * m * n);
      jsKernels.matmul(a, b, want, batch, m, n, k, false, true, aStride, bStride);
      native.matmul(a, b, got, batch, m, n, k, false, true, aStride, bStride);
      assertMatmulClose(got, want, k, "float64", `strides ${aStride}, ${bStride}`);
    }
    const out = new Float32Array(6).fill(5);
    native.matmul(new Float32Array(0), new Float32Array(0), out, 1, 2, 3, 0, false, false, 0, 0);
    assert.deepEqual(Array.from(out), [0, 0, 0, 0, 0, 0]);
  });

  test("a wrong argument is a TypeError naming the kernel and the argument", () => {
    assert.throws(() => native.matmul(new Float32Array(4), new Float64Array(4), new Float32Array(4), 1, 2, 2, 2, false, false, 0, 0),
      { name: "TypeError", message: "minima native matmul: argument 1 must be a Float32Array like argument 0" });
    assert.throws(() => native.matmul(new Int32Array(4) as never, new Int32Array(4) as never, new Int32Array(4) as never, 1, 2, 2, 2, false, false, 0, 0),
      { name: "TypeError", message: "minima native matmul: argument 0 must be a Float32Array or Float64Array" });
  });

  test("a product split into bands across the pool: the same bits for the same thread count, the js result within rounding", () => {
    const gen = new Generator(13);
    const threads = native.cpuInfo().threads;
    try {
      for (const [m, n, k, tA, tB] of [[300, 257, 129, false, false], [64, 1000, 288, true, false], [513, 40, 200, false, true]] as const) {
        const a = random(m * k, "float32", gen), b = random(k * n, "float32", gen);
        const want = new Float32Array(m * n);
        jsKernels.matmul(a, b, want, 1, m, n, k, tA, tB, 0, 0);
        for (const t of [1, 2]) {
          native.setNumThreads(t);
          const [first, again] = [new Float32Array(m * n), new Float32Array(m * n)];
          kernels.matmul(a, b, first, 1, m, n, k, tA, tB, 0, 0);
          kernels.matmul(a, b, again, 1, m, n, k, tA, tB, 0, 0);
          assert.ok(first.every((v, i) => Object.is(v, again[i])), `${m}x${n}x${k} on ${t} threads: two calls differ`);
          assertMatmulClose(first, want, k, "float32", `${m}x${n}x${k} on ${t} threads`);
        }
      }
    } finally {
      native.setNumThreads(threads);
    }
  });
});
