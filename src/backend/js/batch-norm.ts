import type { FloatArray } from "../../tensor/dtype.js";

// Batch norm over x viewed as [n, c, s]: channel j holds the n runs x[b, j, 0…s−1], each contiguous.
// Every per-channel sum runs in float64 in the order b, then k (native/src/batch-norm.cc does the same),
// so the two backends agree to the bit.

/** Per-channel mean and biased variance, two passes (the second over deviations, which cancels less). */
export function batchNormStats(x: FloatArray, n: number, c: number, s: number, mean: Float64Array, variance: Float64Array): void {
  const m = n * s;
  for (let j = 0; j < c; j++) {
    let sum = 0;
    for (let b = 0; b < n; b++) for (let i = (b * c + j) * s, end = i + s; i < end; i++) sum += x[i]!;
    const mu = sum / m;
    let squares = 0;
    for (let b = 0; b < n; b++) for (let i = (b * c + j) * s, end = i + s; i < end; i++) { const d = x[i]! - mu; squares += d * d; }
    mean[j] = mu;
    variance[j] = squares / m;
  }
}

/** out = (x − mean)·invstd·weight + bias per channel, in float64. */
export function batchNormForward(x: FloatArray, n: number, c: number, s: number, mean: Float64Array, invstd: Float64Array,
  weight: FloatArray | null, bias: FloatArray | null, out: FloatArray): void {
  for (let j = 0; j < c; j++) {
    const mu = mean[j]!, scale = invstd[j]! * (weight ? weight[j]! : 1), shift = bias ? bias[j]! : 0;
    for (let b = 0; b < n; b++) for (let i = (b * c + j) * s, end = i + s; i < end; i++) out[i] = (x[i]! - mu) * scale + shift;
  }
}

/** The fused gradients of batchNormForward (torch's batch_norm_backward formula); null outputs are skipped. */
export function batchNormBackward(gy: FloatArray, x: FloatArray, n: number, c: number, s: number, mean: Float64Array, invstd: Float64Array,
  weight: FloatArray | null, training: boolean, gx: FloatArray | null, gWeight: FloatArray | null, gBias: FloatArray | null): void {
  const m = n * s;
  for (let j = 0; j < c; j++) {
    const mu = mean[j]!, is = invstd[j]!;
    let sumGy = 0, dot = 0; // Σ gy and Σ gy·(x − mean)
    for (let b = 0; b < n; b++) for (let i = (b * c + j) * s, end = i + s; i < end; i++) { sumGy += gy[i]!; dot += gy[i]! * (x[i]! - mu); }
    if (gWeight) gWeight[j] = dot * is;
    if (gBias) gBias[j] = sumGy;
    if (!gx) continue;
    const scale = is * (weight ? weight[j]! : 1);
    if (!training) {
      for (let b = 0; b < n; b++) for (let i = (b * c + j) * s, end = i + s; i < end; i++) gx[i] = gy[i]! * scale;
      continue;
    }
    // gy − Σgy/m − x̂·Σ(gy·x̂)/m, with x̂·Σ(gy·x̂) = (x − mean)·invstd²·dot.
    const meanGy = sumGy / m, k = (dot * is * is) / m;
    for (let b = 0; b < n; b++) for (let i = (b * c + j) * s, end = i + s; i < end; i++) gx[i] = (gy[i]! - meanGy - (x[i]! - mu) * k) * scale;
  }
}
