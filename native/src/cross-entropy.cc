// crossEntropy(x, n, c, target, smoothing, loss, probs) and crossEntropyBackward(probs, target, n, c,
// smoothing, gLoss, gx), the contract of src/backend/kernels.ts: a classifier's loss and its gradient in
// one pass over the logits each, where log-softmax, gather, the smoothing's mean and their backward were
// six. Arithmetic in double, in the js kernels' order (src/backend/js/cross-entropy.ts), rows split
// across the pool.
#include <algorithm>
#include <cmath>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

constexpr int64_t kGrainElements = 1 << 14;

template <typename T>
void forward(const T* x, int64_t n, int64_t c, const int32_t* target, double smoothing, T* loss, T* probs) {
  parallelFor(n, std::max<int64_t>(1, kGrainElements / std::max<int64_t>(1, c)), [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) {
      const T* row = x + i * c;
      double max = -INFINITY;
      for (int64_t j = 0; j < c; j++) if (row[j] > max) max = row[j];
      double sumExp = 0, sumX = 0;
      for (int64_t j = 0; j < c; j++) { sumExp += std::exp(double(row[j]) - max); sumX += row[j]; }
      const double lse = max + std::log(sumExp);
      loss[i] = static_cast<T>(-(1 - smoothing) * (double(row[target[i]]) - lse) - (smoothing / double(c)) * (sumX - double(c) * lse));
      for (int64_t j = 0; j < c; j++) probs[i * c + j] = static_cast<T>(std::exp(double(row[j]) - lse));
    }
  });
}

template <typename T>
void backward(const T* probs, const int32_t* target, int64_t n, int64_t c, double smoothing, const T* gLoss, T* gx) {
  const double spread = smoothing / double(c);
  parallelFor(n, std::max<int64_t>(1, kGrainElements / std::max<int64_t>(1, c)), [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) {
      const double g = gLoss[i];
      for (int64_t j = 0; j < c; j++) gx[i * c + j] = static_cast<T>(g * (double(probs[i * c + j]) - spread));
      const int64_t t = i * c + target[i];
      gx[t] = static_cast<T>(g * (double(probs[t]) - spread - (1 - smoothing)));
    }
  });
}

template <typename T>
void callForward(Args& args, napi_typedarray_type type, const char* like) {
  const int64_t n = args.integer(1), c = args.integer(2);
  const double smoothing = args.number(4);
  auto x = args.typed<T>(0, type, like);
  auto target = args.typed<int32_t>(3, napi_int32_array, "an Int32Array");
  auto loss = args.typed<T>(5, type, like), probs = args.typed<T>(6, type, like);
  if (!args.failed) forward(x, n, c, target, smoothing, loss, probs);
}

template <typename T>
void callBackward(Args& args, napi_typedarray_type type, const char* like) {
  const int64_t n = args.integer(2), c = args.integer(3);
  const double smoothing = args.number(4);
  auto probs = args.typed<T>(0, type, like);
  auto target = args.typed<int32_t>(1, napi_int32_array, "an Int32Array");
  auto gLoss = args.typed<T>(5, type, like), gx = args.typed<T>(6, type, like);
  if (!args.failed) backward(probs, target, n, c, smoothing, gLoss, gx);
}

}  // namespace

template <typename T>
void crossEntropyKernel(const T* x, int64_t n, int64_t c, const int32_t* target, double smoothing, T* loss, T* probs) {
  forward(x, n, c, target, smoothing, loss, probs);
}
template void crossEntropyKernel<float>(const float*, int64_t, int64_t, const int32_t*, double, float*, float*);
template void crossEntropyKernel<double>(const double*, int64_t, int64_t, const int32_t*, double, double*, double*);

template <typename T>
void crossEntropyBackwardKernel(const T* probs, const int32_t* target, int64_t n, int64_t c, double smoothing, const T* gLoss, T* gx) {
  backward(probs, target, n, c, smoothing, gLoss, gx);
}
template void crossEntropyBackwardKernel<float>(const float*, const int32_t*, int64_t, int64_t, double, const float*, float*);
template void crossEntropyBackwardKernel<double>(const double*, const int32_t*, int64_t, int64_t, double, const double*, double*);

napi_value CrossEntropyOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "crossEntropy");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callForward<decltype(zero)>(args, type, like); });
  return nullptr;
}

napi_value CrossEntropyBackwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "crossEntropyBackward");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callBackward<decltype(zero)>(args, type, like); });
  return nullptr;
}

}  // namespace minima
