import assert from "node:assert/strict";
import { nativeStatus } from "../../../src/backend/native/index.js";
import type { Generator } from "../../../src/tensor/random.js";

// What the native kernels' tests share: random inputs and the comparisons with the js kernels.
export const SIZES = [1, 3, 7, 33, 257];

export function random(n: number, dtype: "float32" | "float64", gen: Generator) {
  const a = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.random() * 2 - 1;
  return a;
}

/** |native − js| ≤ 2·k·ε·Σ|aᵢbᵢ| ≤ 2k²ε (entries in [−1, 1]): each side's worst-case error for a sum of k products. */
export function assertMatmulClose(got: ArrayLike<number>, want: ArrayLike<number>, k: number, dtype: "float32" | "float64", label: string) {
  const eps = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  for (let i = 0; i < want.length; i++) {
    const bound = 2 * k * k * eps;
    if (!(Math.abs(got[i]! - want[i]!) <= bound)) assert.fail(`${label}: element ${i}: native ${got[i]}, js ${want[i]} (bound ${bound})`);
  }
}

const transcendental = new Set(["exp", "log", "tanh", "sigmoid", "erf", "pow"]);
/**
 * Exactly the js result (NaN for NaN) for the arithmetic; within 4 ulps of float64 (1 of float32) for the
 * transcendental functions, whose libm (glibc's, V8's) rounds the last bits differently; erf within 1e-14.
 */
export function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, op: string, dtype: string) {
  const ulp = dtype === "float32" ? 2 ** -23 : 2 ** -50;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    const bound = op === "erf" ? Math.max(ulp, 1e-14) : ulp;
    const ok = Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)) || (transcendental.has(op) && Math.abs(g - w) <= bound * Math.abs(w));
    if (!ok) assert.fail(`${op} ${dtype} element ${i}: native ${g}, js ${w}`);
  }
}

/** Runs `body` with the pool at 1 and at 2 threads, putting the count back after. */
export const onOneAndTwoThreads = (body: (threads: number) => void) => {
  if (!nativeStatus.loaded) throw new Error("the native addon is not loaded");
  const native = nativeStatus.addon;
  const threads = native.cpuInfo().threads;
  try {
    for (const t of [1, 2]) {
      native.setNumThreads(t);
      body(t);
    }
  } finally {
    native.setNumThreads(threads);
  }
};
