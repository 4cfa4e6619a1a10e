import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../src/backend/js/index.js";
import { nativeStatus } from "../../src/backend/native/index.js";
import { Generator } from "../../src/tensor/random.js";

// Every native kernel against the js reference kernel on random inputs: odd sizes, every transpose,
// batches with shared and strided operands, both float dtypes. CI's .ci/run fails when the addon does not
// load, so there these tests always run; elsewhere the absent addon must say why.
const SIZES = [1, 3, 7, 33, 257];

function random(n: number, dtype: "float32" | "float64", gen: Generator) {
  const a = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.random() * 2 - 1;
  return a;
}

/** |native − js| ≤ 2·k·ε·Σ|aᵢbᵢ| ≤ 2k²ε (entries in [−1, 1]): each side's worst-case error for a sum of k products. */
function assertMatmulClose(got: ArrayLike<number>, want: ArrayLike<number>, k: number, dtype: "float32" | "float64", label: string) {
  const eps = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  for (let i = 0; i < want.length; i++) {
    const bound = 2 * k * k * eps;
    if (!(Math.abs(got[i]! - want[i]!) <= bound)) assert.fail(`${label}: element ${i}: native ${got[i]}, js ${want[i]} (bound ${bound})`);
  }
}

describe("native backend", () => {
  if (!nativeStatus.loaded) {
    test("when the addon is absent it says why, in one line", () => {
      assert.ok(!nativeStatus.loaded && /\S/.test(nativeStatus.reason) && !nativeStatus.reason.includes("\n"));
    });
    return;
  }
  const native = nativeStatus.addon;

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

  test("cpuInfo names the SIMD level, threads and BLAS", () => {
    const info = native.cpuInfo();
    assert.match(info.simd, /^(avx512f|avx2\+fma|avx|sse2)$/);
    assert.ok(info.threads >= 1 && info.cores >= 1);
    assert.match(info.blas, /^OpenBLAS /);
  });
});
