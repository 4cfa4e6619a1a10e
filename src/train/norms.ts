import { kernels } from "../backend/select.js";
import type { FloatArray } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";

// Norms for the training log (every step's gradient norm, sampled per-layer norms), summed in double precision.

/** Σ x² in double precision, on the backend's kernel (the native one keeps its threads busy instead of a JS loop). */
export function sumOfSquares(x: FloatArray): number {
  return kernels().sumOfSquares(x);
}

/** ‖x − y‖₂ for arrays of the same length. */
export function distance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s0 = 0, s1 = 0, i = 0;
  for (const n = x.length; i + 1 < n; i += 2) {
    const a = x[i]! - y[i]!, b = x[i + 1]! - y[i + 1]!;
    s0 += a * a; s1 += b * b;
  }
  for (; i < x.length; i++) { const a = x[i]! - y[i]!; s0 += a * a; }
  return Math.sqrt(s0 + s1);
}

/** The global L2 norm of the gradients of `params`, as if they were one vector (those without a gradient count 0). */
export function globalGradNorm(params: Tensor[]): number {
  let total = 0;
  for (const p of params) if (p.grad) total += sumOfSquares(p.grad.data as FloatArray);
  return Math.sqrt(total);
}
