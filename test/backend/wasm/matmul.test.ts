import assert from "node:assert/strict";
import { test } from "node:test";
import { jsKernels } from "../../../src/backend/js/index.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { wasmUnavailable } from "../../../src/backend/wasm/module.js";
import * as mn from "../../../src/index.node.js";

const why = wasmUnavailable();
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the wasm backend is unavailable: ${why}`);
const wasm = why ? null : wasmKernels();

/** op(A)[b] · op(B)[b] in float64 with Σ|a||b| beside it, from the contract's definition (src/backend/kernels.ts). */
function reference(a: Float32Array, b: Float32Array, batch: number, m: number, n: number, k: number, tA: boolean, tB: boolean, sA: number, sB: number) {
  const exact = new Float64Array(batch * m * n), abs = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, s1 = 0;
    for (let p = 0; p < k; p++) {
      const x = a[t * sA + (tA ? p * m + i : i * k + p)]! * b[t * sB + (tB ? j * k + p : p * n + j)]!;
      s += x; s1 += Math.abs(x);
    }
    exact[(t * m + i) * n + j] = s; abs[(t * m + i) * n + j] = s1;
  }
  return { exact, abs };
}

// Sizes straddle the packing blocks (k 256, m 64, n 8 and 2048) and the 4×8 tile's edges.
const SHAPES = [[1, 1, 1, 1], [1, 7, 5, 3], [3, 17, 13, 29], [2, 33, 1, 65], [1, 129, 67, 31], [1, 65, 9, 257], [2, 5, 2051, 3], [1, 4, 8, 600], [1, 3, 3, 0]] as const;

test("the wasm matmul is within Higham's float32 bound γₖ·Σ|a||b| of the exact product on odd sizes, every transpose and batch stride", { skip: why ?? false }, () => {
  const g = new mn.Generator(11), u = 2 ** -24;
  for (const [batch, m, n, k] of SHAPES) {
    const gamma = (k * u) / (1 - k * u);
    for (const transA of [false, true]) for (const transB of [false, true]) for (const [shareA, shareB] of [[false, false], [false, true], [true, false]]) {
      const sA = shareA ? 0 : m * k, sB = shareB ? 0 : k * n;
      const a = mn.randn([(shareA ? 1 : batch) * m * k], { generator: g }).data as Float32Array;
      const b = mn.randn([(shareB ? 1 : batch) * k * n], { generator: g }).data as Float32Array;
      const got = new Float32Array(batch * m * n).fill(NaN);
      wasm!.matmul!(a, b, got, batch, m, n, k, transA, transB, sA, sB);
      const { exact, abs } = reference(a, b, batch, m, n, k, transA, transB, sA, sB);
      for (let i = 0; i < got.length; i++) {
        // Each output is rounded to float32 once more at the end: u·|exact| on top of the summation's bound.
        const bound = gamma * abs[i]! + u * Math.abs(exact[i]!) + 1e-30;
        assert.ok(Math.abs(got[i]! - exact[i]!) <= bound, `[${batch},${m},${n},${k}] tA ${transA} tB ${transB} sA ${sA} sB ${sB} at ${i}: ${got[i]} vs ${exact[i]} (bound ${bound})`);
      }
    }
  }
});

test("the wasm matmul gives a row the same bits alone as inside a batch or a taller product (its arithmetic does not depend on the tile)", { skip: why ?? false }, () => {
  const g = new mn.Generator(3), [m, n, k] = [70, 21, 300];
  const a = mn.randn([m * k], { generator: g }).data as Float32Array, b = mn.randn([k * n], { generator: g }).data as Float32Array;
  const whole = new Float32Array(m * n);
  wasm!.matmul!(a, b, whole, 1, m, n, k, false, false, 0, 0);
  const batched = new Float32Array(m * n);
  wasm!.matmul!(a, b, batched, 2, m / 2, n, k, false, false, (m / 2) * k, 0);
  assert.deepEqual(batched, whole);
  for (const i of [0, 5, 69]) {
    const row = new Float32Array(n);
    wasm!.matmul!(a.subarray(i * k, (i + 1) * k), b, row, 1, 1, n, k, false, false, 0, 0);
    assert.deepEqual(row, whole.subarray(i * n, (i + 1) * n), `row ${i}`);
  }
});

test("the wasm matmul runs float64 on the js kernel (the same bits)", { skip: why ?? false }, () => {
  const g = new mn.Generator(4);
  const a = mn.randn([5 * 7], { generator: g, dtype: "float64" }).data as Float64Array, b = mn.randn([7 * 3], { generator: g, dtype: "float64" }).data as Float64Array;
  const want = new Float64Array(15), got = new Float64Array(15);
  jsKernels.matmul(a, b, want, 1, 5, 3, 7, false, false, 0, 0);
  wasm!.matmul!(a, b, got, 1, 5, 3, 7, false, false, 0, 0);
  assert.deepEqual(got, want);
});

test("mn.setBackend(\"wasm\") trains an MLP step to the js backend's loss within float32 rounding", { skip: why ?? false }, () => {
  const loss = (backend: string) => {
    mn.setBackend(backend);
    try {
      mn.manualSeed(5);
      const model = new mn.nn.Sequential(new mn.nn.Linear(9, 11), new mn.nn.ReLU(), new mn.nn.Linear(11, 3));
      const x = mn.randn([7, 9]), y = mn.randint(0, 3, [7]);
      const l = mn.nn.functional.crossEntropy(model.forward(x), y);
      l.backward();
      return [l.item(), ...model.parameters().flatMap((p) => Array.from(p.grad!.data))];
    } finally {
      mn.setBackend("js");
    }
  };
  const [a, b] = [loss("wasm"), loss("js")];
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-5 * (1 + Math.abs(b[i]!)), `${i}: ${v} vs ${b[i]}`));
});
