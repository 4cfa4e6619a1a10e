import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { jsKernels } from "../../src/backend/js/index.js";

/** The textbook triple loop in float64: the reference the blocked kernel must equal. */
function naive(a: Float64Array, b: Float64Array, m: number, n: number, k: number, tA: boolean, tB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!);
    out[i * n + j] = s;
  }
  return out;
}

describe("js matmul kernel against the naive triple loop", () => {
  const g = new mn.Generator(9);
  const sizes: [number, number, number][] = [[1, 1, 1], [3, 7, 5], [7, 3, 1], [33, 17, 129], [4, 4, 4], [5, 257, 3], [130, 9, 140]];
  for (const [m, n, k] of sizes) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      test(`m=${m} n=${n} k=${k} transA=${tA} transB=${tB} (float64, exact to 1e-12)`, () => {
        const a = mn.randn([m * k], { dtype: "float64", generator: g }).data as Float64Array;
        const b = mn.randn([k * n], { dtype: "float64", generator: g }).data as Float64Array;
        const out = new Float64Array(m * n);
        jsKernels.matmul(a, b, out, 1, m, n, k, tA, tB, 0, 0);
        const ref = naive(a, b, m, n, k, tA, tB);
        for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(out[i]! - ref[i]!) < 1e-12 * (1 + Math.abs(ref[i]!)), `entry ${i}`);
      });
    }
  }

  test("batched with a shared operand (stride 0) equals per-batch products", () => {
    const a = mn.randn([3, 4, 5], { dtype: "float64", generator: g });
    const b = mn.randn([5, 2], { dtype: "float64", generator: g });
    const out = a.matmul(b);
    for (let bi = 0; bi < 3; bi++) {
      const ref = naive(a.select(0, bi).data as Float64Array, b.data as Float64Array, 4, 2, 5, false, false);
      assert.deepEqual(Array.from(out.select(0, bi).data).map((x) => x.toFixed(12)), Array.from(ref).map((x) => x.toFixed(12)));
    }
  });

  test("k = 0 gives zeros", () => {
    const out = new Float32Array(6).fill(7);
    jsKernels.matmul(new Float32Array(0), new Float32Array(0), out, 1, 2, 3, 0, false, false, 0, 0);
    assert.deepEqual(Array.from(out), [0, 0, 0, 0, 0, 0]);
  });
});

describe("backend selection", () => {
  test("native is the default when its addon loaded (else js), MINIMA_BACKEND overrides; unknown names fail naming the choices", () => {
    const suite = mn.getBackend();
    assert.equal(suite, process.env["MINIMA_BACKEND"] || (mn.listBackends().includes("native") ? "native" : "js"));
    mn.setBackend("js");
    assert.equal(mn.getBackend(), "js");
    mn.setBackend(suite);
    assert.throws(() => mn.setBackend("cuda"), /unknown backend "cuda"; expected one of js/);
  });

  test("a partial backend takes over one kernel and falls back to js for the rest", () => {
    let calls = 0;
    const suite = mn.getBackend();
    mn.registerBackend({ name: "counting", unary: (op, x, out, p) => { calls++; jsKernels.unary(op, x, out, p); } });
    mn.setBackend("counting");
    try {
      const y = mn.tensor([1, -2]).relu().add(1);
      assert.deepEqual(Array.from(y.data), [2, 1]);
      assert.equal(calls, 1);
    } finally {
      mn.setBackend(suite);
    }
  });
});
