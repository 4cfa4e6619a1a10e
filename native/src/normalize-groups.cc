// normalizeGroupsForward and normalizeGroupsBackward (src/backend/kernels.ts): GroupNorm's and LayerNorm's
// normalization over x viewed as [n, groups, cpg, spatial], as src/backend/js/normalize-groups.ts computes it:
// every sum in double in index order (the build has -ffp-contract=off: no fused multiply-adds), so both
// backends give the same bits. Threads split the rows (sample, group); the per-channel gradient sums, which
// cross rows, are kept per row and added in row order afterwards, so the thread count never changes a result.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per thread below which splitting costs more than it saves

template <typename Body>
void eachRow(int64_t rows, int64_t cols, Body body) {
  parallelFor(rows, std::max<int64_t>(1, kGrain / std::max<int64_t>(1, cols)), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) body(r);
  });
}

template <typename T>
void forward(const T* x, int64_t n, int64_t groups, int64_t cpg, int64_t spatial, const T* weight, const T* bias, double eps, double* mean,
             double* invstd, T* out) {
  const int64_t cols = cpg * spatial;
  eachRow(n * groups, cols, [&](int64_t r) {
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
  });
}

template <typename T>
void backward(const T* gy, const T* x, int64_t n, int64_t groups, int64_t cpg, int64_t spatial, const T* weight, const double* mean,
              const double* invstd, T* gx, double* gWeight, double* gBias) {
  const int64_t rows = n * groups, cols = cpg * spatial;
  std::vector<double> partW(rows * cpg), partB(rows * cpg);  // each row's Σ gy·x̂ and Σ gy per channel
  eachRow(rows, cols, [&](int64_t r) {
    const int64_t at = r * cols, ch0 = (r % groups) * cpg;
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
      partW[r * cpg + c] = gwc;
      partB[r * cpg + c] = gbc;
    }
    if (!gx) return;
    const double meanA = sumGxhat / static_cast<double>(cols), meanB = sumGxhatXhat / static_cast<double>(cols);
    for (int64_t c = 0; c < cpg; c++) {
      const double scale = weight ? static_cast<double>(weight[ch0 + c]) : 1.0;
      for (int64_t s = 0, i = at + c * spatial; s < spatial; s++, i++) gx[i] = static_cast<T>(inv * (gy[i] * scale - meanA - (x[i] - m) * inv * meanB));
    }
  });
  // Channel g·cpg + c gathers rows b·groups + g, b = 0…n−1, in that order (the js loop's order).
  for (int64_t ch = 0; ch < groups * cpg; ch++) { gWeight[ch] = 0; gBias[ch] = 0; }
  for (int64_t r = 0; r < rows; r++) {
    const int64_t ch0 = (r % groups) * cpg;
    for (int64_t c = 0; c < cpg; c++) {
      gWeight[ch0 + c] += partW[r * cpg + c];
      gBias[ch0 + c] += partB[r * cpg + c];
    }
  }
}

template <typename T>
void callForward(Args& args, napi_typedarray_type type, const char* like) {
  const T* x = args.typed<T>(0, type, like);
  const int64_t n = args.integer(1), groups = args.integer(2), cpg = args.integer(3), spatial = args.integer(4);
  const T* weight = args.optional<T>(5, type, "null or a typed array like argument 0");
  const T* bias = args.optional<T>(6, type, "null or a typed array like argument 0");
  const double eps = args.number(7);
  double* mean = args.typed<double>(8, napi_float64_array, "a Float64Array");
  double* invstd = args.typed<double>(9, napi_float64_array, "a Float64Array");
  T* out = args.typed<T>(10, type, like);
  if (!args.failed) normalizeGroupsForwardKernel(x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out);
}

template <typename T>
void callBackward(Args& args, napi_typedarray_type type, const char* like) {
  const T* gy = args.typed<T>(0, type, like);
  const T* x = args.typed<T>(1, type, like);
  const int64_t n = args.integer(2), groups = args.integer(3), cpg = args.integer(4), spatial = args.integer(5);
  const T* weight = args.optional<T>(6, type, "null or a typed array like argument 0");
  const double* mean = args.typed<double>(7, napi_float64_array, "a Float64Array");
  const double* invstd = args.typed<double>(8, napi_float64_array, "a Float64Array");
  T* gx = args.optional<T>(9, type, "null or a typed array like argument 0");
  double* gWeight = args.typed<double>(10, napi_float64_array, "a Float64Array");
  double* gBias = args.typed<double>(11, napi_float64_array, "a Float64Array");
  if (!args.failed) normalizeGroupsBackwardKernel(gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias);
}

}  // namespace

template <typename T>
void normalizeGroupsForwardKernel(const T* x, int64_t n, int64_t groups, int64_t cpg, int64_t spatial, const T* weight, const T* bias,
                                  double eps, double* mean, double* invstd, T* out) {
  if (n * groups * cpg * spatial > 0) forward(x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out);
}
template void normalizeGroupsForwardKernel<float>(const float*, int64_t, int64_t, int64_t, int64_t, const float*, const float*, double, double*,
                                                  double*, float*);
template void normalizeGroupsForwardKernel<double>(const double*, int64_t, int64_t, int64_t, int64_t, const double*, const double*, double,
                                                   double*, double*, double*);

template <typename T>
void normalizeGroupsBackwardKernel(const T* gy, const T* x, int64_t n, int64_t groups, int64_t cpg, int64_t spatial, const T* weight,
                                   const double* mean, const double* invstd, T* gx, double* gWeight, double* gBias) {
  if (n * groups * cpg * spatial > 0) backward(gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias);
  else for (int64_t ch = 0; ch < groups * cpg; ch++) { gWeight[ch] = 0; gBias[ch] = 0; }
}
template void normalizeGroupsBackwardKernel<float>(const float*, const float*, int64_t, int64_t, int64_t, int64_t, const float*, const double*,
                                                   const double*, float*, double*, double*);
template void normalizeGroupsBackwardKernel<double>(const double*, const double*, int64_t, int64_t, int64_t, int64_t, const double*,
                                                    const double*, const double*, double*, double*, double*);

// normalizeGroupsForward(x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out)
napi_value NormalizeGroupsForwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "normalizeGroupsForward");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callForward<decltype(zero)>(args, type, like); });
  return nullptr;
}

// normalizeGroupsBackward(gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias)
napi_value NormalizeGroupsBackwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "normalizeGroupsBackward");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callBackward<decltype(zero)>(args, type, like); });
  return nullptr;
}

}  // namespace minima
