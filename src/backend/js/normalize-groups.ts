import type { FloatArray } from "../../tensor/dtype.js";

// GroupNorm's and LayerNorm's normalization (src/autograd/ops/normalize-groups.ts) over x viewed as
// [n, groups, channelsPerGroup, spatial]: row r = (sample, group) holds cols = channelsPerGroup·spatial
// contiguous values. Every sum runs in double in index order (native/src/normalize-groups.cc does the same,
// the per-channel gradient sums in row order), so the two backends agree to the bit.

/** Each row's mean and 1/√(biased variance + eps), and out = (x − mean)·invstd·weight[ch] + bias[ch] (null: 1, 0). */
export function normalizeGroupsForward(x: FloatArray, n: number, groups: number, cpg: number, spatial: number, weight: FloatArray | null,
  bias: FloatArray | null, eps: number, mean: Float64Array, invstd: Float64Array, out: FloatArray): void {
  const rows = n * groups, cols = cpg * spatial;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += x[at + j]!;
    const m = sum / cols;
    let sq = 0;
    for (let j = 0; j < cols; j++) { const d = x[at + j]! - m; sq += d * d; }
    const inv = 1 / Math.sqrt(sq / cols + eps);
    mean[r] = m;
    invstd[r] = inv;
    const ch0 = (r % groups) * cpg;
    for (let c = 0; c < cpg; c++) {
      const scale = weight ? weight[ch0 + c]! : 1, shift = bias ? bias[ch0 + c]! : 0;
      for (let s = 0, i = at + c * spatial; s < spatial; s++, i++) out[i] = (x[i]! - m) * inv * scale + shift;
    }
  }
}

/**
 * The backward of normalizeGroupsForward for gy, with x̂ = (x − mean)·invstd: gWeight[ch] = Σ gy·x̂ and
 * gBias[ch] = Σ gy over each channel's rows (always written), and, unless gx is null,
 * gx = invstd·(gy·w − mean(gy·w) − x̂·mean(gy·w·x̂)) with the means over the row.
 */
export function normalizeGroupsBackward(gy: FloatArray, x: FloatArray, n: number, groups: number, cpg: number, spatial: number,
  weight: FloatArray | null, mean: Float64Array, invstd: Float64Array, gx: FloatArray | null, gWeight: Float64Array, gBias: Float64Array): void {
  const rows = n * groups, cols = cpg * spatial;
  gWeight.fill(0);
  gBias.fill(0);
  for (let r = 0; r < rows; r++) {
    const at = r * cols, m = mean[r]!, inv = invstd[r]!, ch0 = (r % groups) * cpg;
    let sumGxhat = 0, sumGxhatXhat = 0;
    for (let c = 0; c < cpg; c++) {
      const scale = weight ? weight[ch0 + c]! : 1;
      let gwc = 0, gbc = 0;
      for (let s = 0, i = at + c * spatial; s < spatial; s++, i++) {
        const xhat = (x[i]! - m) * inv, gi = gy[i]!;
        gwc += gi * xhat;
        gbc += gi;
        sumGxhat += gi * scale;
        sumGxhatXhat += gi * scale * xhat;
      }
      gWeight[ch0 + c]! += gwc;
      gBias[ch0 + c]! += gbc;
    }
    if (!gx) continue;
    const meanA = sumGxhat / cols, meanB = sumGxhatXhat / cols;
    for (let c = 0; c < cpg; c++) {
      const scale = weight ? weight[ch0 + c]! : 1;
      for (let s = 0, i = at + c * spatial; s < spatial; s++, i++) gx[i] = inv * (gy[i]! * scale - meanA - (x[i]! - m) * inv * meanB);
    }
  }
}
