import type { FloatArray } from "../../tensor/dtype.js";

// Gradient clipping over the gradients' arrays (torch.nn.utils.clip_grad_norm_ and clip_grad_value_), as kernels so
// that a captured step replays them among the others; native/src/clip-grad.cc runs the same operations in the same
// order, so the same bits.

/**
 * Scales the gradients in place so that their total p-norm is at most maxNorm, and writes that norm (before clipping) to
 * total[0] (see gradNorm); the scale min(maxNorm/(total + 1e-6), 1) multiplies in float64.
 */
export function clipGradNorm(grads: readonly FloatArray[], maxNorm: number, p: number, total: Float64Array): void {
  const norm = gradNorm(grads, p);
  total[0] = norm;
  scaleGrads(grads, maxNorm, norm);
}

/**
 * The gradients' total p-norm: the norm of the per-array norms, as PyTorch takes it, each Σ|g|ᵖ summed in float64 in
 * index order; for p Infinity the largest |g| (a NaN stays NaN). p = 2 and p = 1 use only correctly rounded operations
 * (products, sums, Math.sqrt), which C++ gives to the bit too; other p use `**`, V8's own pow, which the C library's
 * does not match (so the native plan runs this function for them).
 */
export function gradNorm(grads: readonly FloatArray[], p: number): number {
  let acc = 0;
  if (p === Infinity) {
    for (const g of grads) for (const v of g) acc = Math.max(acc, Math.abs(v));
    return acc;
  }
  if (p === 2) {
    for (const g of grads) {
      let s = 0;
      for (const v of g) s += v * v;
      const norm = Math.sqrt(s);
      acc += norm * norm;
    }
    return Math.sqrt(acc);
  }
  if (p === 1) {
    for (const g of grads) {
      let s = 0;
      for (const v of g) s += Math.abs(v);
      acc += s;
    }
    return acc;
  }
  for (const g of grads) {
    let s = 0;
    for (const v of g) s += Math.abs(v) ** p;
    acc += (s ** (1 / p)) ** p;
  }
  return acc ** (1 / p);
}

/** g ← g·min(maxNorm/(norm + 1e-6), 1) for every gradient element, unless that is 1. */
export function scaleGrads(grads: readonly FloatArray[], maxNorm: number, norm: number): void {
  const coef = Math.min(maxNorm / (norm + 1e-6), 1);
  if (coef !== 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
}

/** Clamps every gradient element into [−clipValue, clipValue] in place; a NaN stays NaN. */
export function clipGradValue(grads: readonly FloatArray[], clipValue: number): void {
  for (const g of grads) {
    for (let i = 0; i < g.length; i++) {
      const v = g[i]!;
      if (v > clipValue) g[i] = clipValue;
      else if (v < -clipValue) g[i] = -clipValue;
    }
  }
}
