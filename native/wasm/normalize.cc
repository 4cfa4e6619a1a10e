// Batch norm and GroupNorm/LayerNorm on float32, as src/backend/js/batch-norm.ts and normalize-groups.ts compute
// them: statistics and every per-channel or per-row sum in double, in the js kernels' order, and the normalization
// in double rounded once, so the results equal js's bits. The statistics arrays are float64.
#include <math.h>

#include "export.h"

// Batch norm over x [n, c, s]: channel j holds the n runs x[b, j, 0…s−1].
WASM_EXPORT(batch_norm_stats_f32) void batchNormStatsF32(const float* x, int n, int c, int s, double* mean, double* variance) {
  const double m = static_cast<double>(n) * s;
  for (int j = 0; j < c; j++) {
    double sum = 0;
    for (int b = 0; b < n; b++) for (int i = (b * c + j) * s, end = i + s; i < end; i++) sum += x[i];
    const double mu = sum / m;
    double squares = 0;
    for (int b = 0; b < n; b++) for (int i = (b * c + j) * s, end = i + s; i < end; i++) { const double d = x[i] - mu; squares += d * d; }
    mean[j] = mu;
    variance[j] = squares / m;
  }
}

WASM_EXPORT(batch_norm_forward_f32) void batchNormForwardF32(const float* x, int n, int c, int s, const double* mean, const double* invstd,
                                                             const float* weight, const float* bias, float* out) {
  for (int j = 0; j < c; j++) {
    const double mu = mean[j], scale = invstd[j] * (weight ? weight[j] : 1.0), shift = bias ? bias[j] : 0.0;
    for (int b = 0; b < n; b++) for (int i = (b * c + j) * s, end = i + s; i < end; i++) out[i] = static_cast<float>((x[i] - mu) * scale + shift);
  }
}

// gWeight, gBias and gx may each be null (not wanted).
WASM_EXPORT(batch_norm_backward_f32) void batchNormBackwardF32(const float* gy, const float* x, int n, int c, int s, const double* mean,
                                                               const double* invstd, const float* weight, int training, float* gx,
                                                               float* gWeight, float* gBias) {
  const double m = static_cast<double>(n) * s;
  for (int j = 0; j < c; j++) {
    const double mu = mean[j], is = invstd[j];
    double sumGy = 0, dot = 0;
    for (int b = 0; b < n; b++) for (int i = (b * c + j) * s, end = i + s; i < end; i++) { sumGy += gy[i]; dot += gy[i] * (x[i] - mu); }
    if (gWeight) gWeight[j] = static_cast<float>(dot * is);
    if (gBias) gBias[j] = static_cast<float>(sumGy);
    if (!gx) continue;
    const double scale = is * (weight ? weight[j] : 1.0);
    if (!training) {
      for (int b = 0; b < n; b++) for (int i = (b * c + j) * s, end = i + s; i < end; i++) gx[i] = static_cast<float>(gy[i] * scale);
      continue;
    }
    const double meanGy = sumGy / m, k = (dot * is * is) / m;
    for (int b = 0; b < n; b++) {
      for (int i = (b * c + j) * s, end = i + s; i < end; i++) gx[i] = static_cast<float>((gy[i] - meanGy - (x[i] - mu) * k) * scale);
    }
  }
}

// GroupNorm/LayerNorm over x [n, groups, cpg, spatial]: row r = (sample, group) holds cpg·spatial contiguous values.
WASM_EXPORT(normalize_groups_forward_f32) void normalizeGroupsForwardF32(const float* x, int n, int groups, int cpg, int spatial,
                                                                         const float* weight, const float* bias, double eps, double* mean,
                                                                         double* invstd, float* out) {
  const int rows = n * groups, cols = cpg * spatial;
  for (int r = 0; r < rows; r++) {
    const int at = r * cols;
    double sum = 0;
    for (int j = 0; j < cols; j++) sum += x[at + j];
    const double m = sum / cols;
    double sq = 0;
    for (int j = 0; j < cols; j++) { const double d = x[at + j] - m; sq += d * d; }
    const double inv = 1 / sqrt(sq / cols + eps);
    mean[r] = m;
    invstd[r] = inv;
    const int ch0 = (r % groups) * cpg;
    for (int c = 0; c < cpg; c++) {
      const double scale = weight ? weight[ch0 + c] : 1.0, shift = bias ? bias[ch0 + c] : 0.0;
      for (int k = 0, i = at + c * spatial; k < spatial; k++, i++) out[i] = static_cast<float>((x[i] - m) * inv * scale + shift);
    }
  }
}

// gWeight and gBias (float64, per channel) are always written; gx may be null.
WASM_EXPORT(normalize_groups_backward_f32) void normalizeGroupsBackwardF32(const float* gy, const float* x, int n, int groups, int cpg,
                                                                           int spatial, const float* weight, const double* mean,
                                                                           const double* invstd, float* gx, double* gWeight, double* gBias) {
  const int rows = n * groups, cols = cpg * spatial;
  for (int ch = 0; ch < groups * cpg; ch++) gWeight[ch] = gBias[ch] = 0;
  for (int r = 0; r < rows; r++) {
    const int at = r * cols, ch0 = (r % groups) * cpg;
    const double m = mean[r], inv = invstd[r];
    double sumGxhat = 0, sumGxhatXhat = 0;
    for (int c = 0; c < cpg; c++) {
      const double scale = weight ? weight[ch0 + c] : 1.0;
      double gwc = 0, gbc = 0;
      for (int k = 0, i = at + c * spatial; k < spatial; k++, i++) {
        const double xhat = (x[i] - m) * inv, gi = gy[i];
        gwc += gi * xhat;
        gbc += gi;
        sumGxhat += gi * scale;
        sumGxhatXhat += gi * scale * xhat;
      }
      gWeight[ch0 + c] += gwc;
      gBias[ch0 + c] += gbc;
    }
    if (!gx) continue;
    const double meanA = sumGxhat / cols, meanB = sumGxhatXhat / cols;
    for (int c = 0; c < cpg; c++) {
      const double scale = weight ? weight[ch0 + c] : 1.0;
      for (int k = 0, i = at + c * spatial; k < spatial; k++, i++) gx[i] = static_cast<float>(inv * (gy[i] * scale - meanA - (x[i] - m) * inv * meanB));
    }
  }
}
