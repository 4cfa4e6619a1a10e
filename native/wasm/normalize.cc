// Batch norm and GroupNorm/LayerNorm on float32 through the native build's loops (native/src/normalize-loops.h),
// as src/backend/js/batch-norm.ts and normalize-groups.ts compute them: statistics and every per-channel or
// per-row sum in double, in the js kernels' order, and the normalization in double rounded once, so the results
// equal js's bits. The statistics arrays are float64.
#include "../src/normalize-loops.h"
#include "export.h"

using minima::batchNormChannelBackward;
using minima::batchNormChannelForward;
using minima::batchNormChannelStats;
using minima::groupNormRowBackward;
using minima::groupNormRowForward;

// Batch norm over x [n, c, s]: channel j holds the n runs x[b, j, 0…s−1].
WASM_EXPORT(batch_norm_stats_f32) void batchNormStatsF32(const float* x, int n, int c, int s, double* mean, double* variance) {
  for (int j = 0; j < c; j++) batchNormChannelStats(x, n, c, s, j, mean, variance);
}

WASM_EXPORT(batch_norm_forward_f32) void batchNormForwardF32(const float* x, int n, int c, int s, const double* mean, const double* invstd,
                                                             const float* weight, const float* bias, float* out) {
  for (int j = 0; j < c; j++) batchNormChannelForward(x, n, c, s, j, mean, invstd, weight, bias, out);
}

// gWeight, gBias and gx may each be null (not wanted).
WASM_EXPORT(batch_norm_backward_f32) void batchNormBackwardF32(const float* gy, const float* x, int n, int c, int s, const double* mean,
                                                               const double* invstd, const float* weight, int training, float* gx,
                                                               float* gWeight, float* gBias) {
  for (int j = 0; j < c; j++) batchNormChannelBackward(gy, x, n, c, s, j, mean, invstd, weight, training != 0, gx, gWeight, gBias);
}

// GroupNorm/LayerNorm over x [n, groups, cpg, spatial]: row r = (sample, group) holds cpg·spatial contiguous values.
WASM_EXPORT(normalize_groups_forward_f32) void normalizeGroupsForwardF32(const float* x, int n, int groups, int cpg, int spatial,
                                                                         const float* weight, const float* bias, double eps, double* mean,
                                                                         double* invstd, float* out) {
  for (int r = 0; r < n * groups; r++) groupNormRowForward(x, r, groups, cpg, spatial, weight, bias, eps, mean, invstd, out);
}

// gWeight and gBias (float64, per channel) are always written; gx may be null. Each channel adds its rows' sums in
// row order.
WASM_EXPORT(normalize_groups_backward_f32) void normalizeGroupsBackwardF32(const float* gy, const float* x, int n, int groups, int cpg,
                                                                           int spatial, const float* weight, const double* mean,
                                                                           const double* invstd, float* gx, double* gWeight, double* gBias) {
  for (int ch = 0; ch < groups * cpg; ch++) gWeight[ch] = gBias[ch] = 0;
  for (int r = 0; r < n * groups; r++) {
    const int ch0 = (r % groups) * cpg;
    groupNormRowBackward(gy, x, r, groups, cpg, spatial, weight, mean, invstd, gx, [&](int64_t c, double gw, double gb) {
      gWeight[ch0 + c] += gw;
      gBias[ch0 + c] += gb;
    });
  }
}
