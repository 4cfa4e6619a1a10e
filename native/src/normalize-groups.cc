// normalizeGroupsForward and normalizeGroupsBackward (src/backend/kernels.ts): GroupNorm's and LayerNorm's
// normalization over x viewed as [n, groups, cpg, spatial], as src/backend/js/normalize-groups.ts computes it:
// every sum in double in index order (the build has -ffp-contract=off: no fused multiply-adds), so both
// backends give the same bits. Threads split the rows (sample, group); the per-channel gradient sums, which
// cross rows, are kept per row and added in row order afterwards, so the thread count never changes a result.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "normalize-loops.h"
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
  eachRow(n * groups, cpg * spatial, [&](int64_t r) { groupNormRowForward(x, r, groups, cpg, spatial, weight, bias, eps, mean, invstd, out); });
}

template <typename T>
void backward(const T* gy, const T* x, int64_t n, int64_t groups, int64_t cpg, int64_t spatial, const T* weight, const double* mean,
              const double* invstd, T* gx, double* gWeight, double* gBias) {
  const int64_t rows = n * groups;
  std::vector<double> partW(rows * cpg), partB(rows * cpg);  // each row's Σ gy·x̂ and Σ gy per channel
  eachRow(rows, cpg * spatial, [&](int64_t r) {
    groupNormRowBackward(gy, x, r, groups, cpg, spatial, weight, mean, invstd, gx, [&](int64_t c, double gw, double gb) {
      partW[r * cpg + c] = gw;
      partB[r * cpg + c] = gb;
    });
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
