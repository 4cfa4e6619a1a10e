// batchNormStats, batchNormForward and batchNormBackward (src/backend/kernels.ts) over x viewed as [n, c, s],
// as src/backend/js/batch-norm.ts computes them: every per-channel sum in double, in the order b, then k, so
// both backends give the same bits (the build has -ffp-contract=off: no fused multiply-adds). Threads split
// the channels, each channel's sums staying on one thread, so the thread count never changes a result.
#include <algorithm>
#include <cstdint>

#include "kernels.h"
#include "napi-args.h"
#include "normalize-loops.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per thread below which splitting costs more than it saves

// Runs body(j) for every channel, threads taking contiguous ranges of channels.
template <typename Body>
void eachChannel(int64_t n, int64_t c, int64_t s, Body body) {
  parallelFor(c, std::max<int64_t>(1, kGrain / std::max<int64_t>(1, n * s)), [&](int64_t j0, int64_t j1) {
    for (int64_t j = j0; j < j1; j++) body(j);
  });
}

template <typename T>
void stats(const T* x, int64_t n, int64_t c, int64_t s, double* mean, double* variance) {
  eachChannel(n, c, s, [&](int64_t j) { batchNormChannelStats(x, n, c, s, j, mean, variance); });
}

template <typename T>
void forward(const T* x, int64_t n, int64_t c, int64_t s, const double* mean, const double* invstd, const T* weight, const T* bias, T* out) {
  eachChannel(n, c, s, [&](int64_t j) { batchNormChannelForward(x, n, c, s, j, mean, invstd, weight, bias, out); });
}

template <typename T>
void backward(const T* gy, const T* x, int64_t n, int64_t c, int64_t s, const double* mean, const double* invstd, const T* weight, bool training,
              T* gx, T* gWeight, T* gBias) {
  eachChannel(n, c, s, [&](int64_t j) { batchNormChannelBackward(gy, x, n, c, s, j, mean, invstd, weight, training, gx, gWeight, gBias); });
}

template <typename T>
void callStats(Args& args, napi_typedarray_type type, const char* like) {
  const int64_t n = args.integer(1), c = args.integer(2), s = args.integer(3);
  auto x = args.typed<T>(0, type, like);
  auto mean = args.typed<double>(4, napi_float64_array, "a Float64Array");
  auto variance = args.typed<double>(5, napi_float64_array, "a Float64Array");
  if (!args.failed) stats(x, n, c, s, mean, variance);
}

template <typename T>
void callForward(Args& args, napi_typedarray_type type, const char* like) {
  const int64_t n = args.integer(1), c = args.integer(2), s = args.integer(3);
  auto x = args.typed<T>(0, type, like);
  auto mean = args.typed<double>(4, napi_float64_array, "a Float64Array");
  auto invstd = args.typed<double>(5, napi_float64_array, "a Float64Array");
  auto weight = args.optional<T>(6, type, "null or a typed array like argument 0");
  auto bias = args.optional<T>(7, type, "null or a typed array like argument 0");
  auto out = args.typed<T>(8, type, like);
  if (!args.failed) forward(x, n, c, s, mean, invstd, weight, bias, out);
}

template <typename T>
void callBackward(Args& args, napi_typedarray_type type, const char* like) {
  const int64_t n = args.integer(2), c = args.integer(3), s = args.integer(4);
  const bool training = args.boolean(8);
  auto gy = args.typed<T>(0, type, like);
  auto x = args.typed<T>(1, type, like);
  auto mean = args.typed<double>(5, napi_float64_array, "a Float64Array");
  auto invstd = args.typed<double>(6, napi_float64_array, "a Float64Array");
  auto weight = args.optional<T>(7, type, "null or a typed array like argument 0");
  auto gx = args.optional<T>(9, type, "null or a typed array like argument 0");
  auto gWeight = args.optional<T>(10, type, "null or a typed array like argument 0");
  auto gBias = args.optional<T>(11, type, "null or a typed array like argument 0");
  if (!args.failed) backward(gy, x, n, c, s, mean, invstd, weight, training, gx, gWeight, gBias);
}

}  // namespace

template <typename T>
void batchNormStatsKernel(const T* x, int64_t n, int64_t c, int64_t s, double* mean, double* variance) { stats(x, n, c, s, mean, variance); }
template void batchNormStatsKernel<float>(const float*, int64_t, int64_t, int64_t, double*, double*);
template void batchNormStatsKernel<double>(const double*, int64_t, int64_t, int64_t, double*, double*);

template <typename T>
void batchNormForwardKernel(const T* x, int64_t n, int64_t c, int64_t s, const double* mean, const double* invstd, const T* weight,
                            const T* bias, T* out) {
  forward(x, n, c, s, mean, invstd, weight, bias, out);
}
template void batchNormForwardKernel<float>(const float*, int64_t, int64_t, int64_t, const double*, const double*, const float*, const float*,
                                            float*);
template void batchNormForwardKernel<double>(const double*, int64_t, int64_t, int64_t, const double*, const double*, const double*,
                                             const double*, double*);

template <typename T>
void batchNormBackwardKernel(const T* gy, const T* x, int64_t n, int64_t c, int64_t s, const double* mean, const double* invstd,
                             const T* weight, bool training, T* gx, T* gWeight, T* gBias) {
  backward(gy, x, n, c, s, mean, invstd, weight, training, gx, gWeight, gBias);
}
template void batchNormBackwardKernel<float>(const float*, const float*, int64_t, int64_t, int64_t, const double*, const double*, const float*,
                                             bool, float*, float*, float*);
template void batchNormBackwardKernel<double>(const double*, const double*, int64_t, int64_t, int64_t, const double*, const double*,
                                              const double*, bool, double*, double*, double*);

// batchNormStats(x, n, c, s, mean, variance)
napi_value BatchNormStatsOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "batchNormStats");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callStats<decltype(zero)>(args, type, like); });
  return nullptr;
}

// batchNormForward(x, n, c, s, mean, invstd, weight, bias, out)
napi_value BatchNormForwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "batchNormForward");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callForward<decltype(zero)>(args, type, like); });
  return nullptr;
}

// batchNormBackward(gy, x, n, c, s, mean, invstd, weight, training, gx, gWeight, gBias)
napi_value BatchNormBackwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "batchNormBackward");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callBackward<decltype(zero)>(args, type, like); });
  return nullptr;
}

}  // namespace minima
