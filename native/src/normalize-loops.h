// The normalizations' per-channel (batch norm) and per-row (GroupNorm, LayerNorm) loops, shared by the native
// addon (batch-norm.cc, normalize-groups.cc, which split the channels or rows over threads) and the wasm module
// (native/wasm/normalize.cc), as src/backend/js/batch-norm.ts and normalize-groups.ts compute them: every sum in
// double in the js loops' index order, the normalization in double rounded once to T, so all backends give the
// same bits (the builds contract no multiply-adds).
#pragma once
#include <cmath>
#include <cstdint>

namespace minima {
namespace {

// Batch norm over x [n, c, s]: channel j holds the n runs x[b, j, 0…s−1]; sums run in the order b, then k.
template <typename T>
void batchNormChannelStats(const T* x, int64_t n, int64_t c, int64_t s, int64_t j, double* mean, double* variance) {
  const double m = static_cast<double>(n * s);
  double sum = 0;
  for (int64_t b = 0; b < n; b++) for (const T *p = x + (b * c + j) * s, *end = p + s; p < end; p++) sum += *p;
  const double mu = sum / m;
  double squares = 0;
  for (int64_t b = 0; b < n; b++) for (const T *p = x + (b * c + j) * s, *end = p + s; p < end; p++) { const double d = *p - mu; squares += d * d; }
  mean[j] = mu;
  variance[j] = squares / m;
}

template <typename T>
void batchNormChannelForward(const T* x, int64_t n, int64_t c, int64_t s, int64_t j, const double* mean, const double* invstd, const T* weight,
                             const T* bias, T* out) {
  const double mu = mean[j], scale = invstd[j] * (weight ? static_cast<double>(weight[j]) : 1.0), shift = bias ? static_cast<double>(bias[j]) : 0.0;
  for (int64_t b = 0; b < n; b++) {
    const int64_t at = (b * c + j) * s;
    for (int64_t k = 0; k < s; k++) out[at + k] = static_cast<T>((x[at + k] - mu) * scale + shift);
  }
}

// gWeight, gBias and gx may each be null (not wanted).
template <typename T>
void batchNormChannelBackward(const T* gy, const T* x, int64_t n, int64_t c, int64_t s, int64_t j, const double* mean, const double* invstd,
                              const T* weight, bool training, T* gx, T* gWeight, T* gBias) {
  const double m = static_cast<double>(n * s), mu = mean[j], is = invstd[j];
  double sumGy = 0, dot = 0;  // Σ gy and Σ gy·(x − mean)
  for (int64_t b = 0; b < n; b++) {
    const int64_t at = (b * c + j) * s;
    for (int64_t k = 0; k < s; k++) { const double g = gy[at + k]; sumGy += g; dot += g * (x[at + k] - mu); }
  }
  if (gWeight) gWeight[j] = static_cast<T>(dot * is);
  if (gBias) gBias[j] = static_cast<T>(sumGy);
  if (!gx) return;
  const double scale = is * (weight ? static_cast<double>(weight[j]) : 1.0);
  // Eval: the statistics are constants, so only the scale remains.
  const double meanGy = training ? sumGy / m : 0.0, kx = training ? (dot * is * is) / m : 0.0;
  for (int64_t b = 0; b < n; b++) {
    const int64_t at = (b * c + j) * s;
    if (training) for (int64_t k = 0; k < s; k++) gx[at + k] = static_cast<T>((gy[at + k] - meanGy - (x[at + k] - mu) * kx) * scale);
    else for (int64_t k = 0; k < s; k++) gx[at + k] = static_cast<T>(gy[at + k] * scale);
  }
}

// GroupNorm/LayerNorm over x [n, groups, cpg, spatial]: row r = (sample, group) holds cpg·spatial contiguous values.
template <typename T>
void groupNormRowForward(const T* x, int64_t r, int64_t groups, int64_t cpg, int64_t spatial, const T* weight, const T* bias, double eps,
                         double* mean, double* invstd, T* out) {
  const int64_t cols = cpg * spatial;
  const T* xr = x + r * cols;
  double sum = 0;
  for (int64_t j = 0; j < cols; j++) sum += xr[j];
  const double m = sum / static_cast<double>(cols);
  double sq = 0;
  for (int64_t j = 0; j < cols; j++) { const double d = xr[j] - m; sq += d * d; }
  const double inv = 1 / std::sqrt(sq / static_cast<double>(cols) + eps);
  mean[r] = m;
  invstd[r] = inv;
  const int64_t ch0 = (r % groups) * cpg;
  for (int64_t c = 0; c < cpg; c++) {
    const double scale = weight ? static_cast<double>(weight[ch0 + c]) : 1.0, shift = bias ? static_cast<double>(bias[ch0 + c]) : 0.0;
    const T* xc = xr + c * spatial;
    T* oc = out + r * cols + c * spatial;
    for (int64_t s = 0; s < spatial; s++) oc[s] = static_cast<T>((xc[s] - m) * inv * scale + shift);
  }
}

// Row r's gx (skipped where null), and its per-channel sums handed to channelSums(c, Σ gy·x̂, Σ gy) for c = 0…cpg−1:
// channel (r mod groups)·cpg + c gathers them over the rows, which the caller adds in row order (the js loop's).
template <typename T, typename ChannelSums>
void groupNormRowBackward(const T* gy, const T* x, int64_t r, int64_t groups, int64_t cpg, int64_t spatial, const T* weight, const double* mean,
                          const double* invstd, T* gx, ChannelSums channelSums) {
  const int64_t cols = cpg * spatial, at = r * cols, ch0 = (r % groups) * cpg;
  const double m = mean[r], inv = invstd[r];
  double sumGxhat = 0, sumGxhatXhat = 0;
  for (int64_t c = 0; c < cpg; c++) {
    const double scale = weight ? static_cast<double>(weight[ch0 + c]) : 1.0;
    double gwc = 0, gbc = 0;
    for (int64_t s = 0, i = at + c * spatial; s < spatial; s++, i++) {
      const double xhat = (x[i] - m) * inv, gi = gy[i];
      gwc += gi * xhat;
      gbc += gi;
      sumGxhat += gi * scale;
      sumGxhatXhat += gi * scale * xhat;
    }
    channelSums(c, gwc, gbc);
  }
  if (!gx) return;
  const double meanA = sumGxhat / static_cast<double>(cols), meanB = sumGxhatXhat / static_cast<double>(cols);
  for (int64_t c = 0; c < cpg; c++) {
    const double scale = weight ? static_cast<double>(weight[ch0 + c]) : 1.0;
    for (int64_t s = 0, i = at + c * spatial; s < spatial; s++, i++) gx[i] = static_cast<T>(inv * (gy[i] * scale - meanA - (x[i] - m) * inv * meanB));
  }
}

}  // namespace
}  // namespace minima
