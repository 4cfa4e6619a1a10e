// biasActivation(x, n, c, l, channelsFirst, bias, relu, out), the contract of src/backend/kernels.ts: a
// layer's bias and ReLU in one pass, and for a convolution the move of its product [c, n, l] to [n, c, l]
// in the same pass, where three passes (permute, add, relu) would each write the whole activation.
// biasActivationBackward(gy, out, n, c, l, channelsFirst, relu, gx, gBias): its backward likewise, the ReLU
// mask, the move back and the bias gradient in one pass where reluGrad, permute and two reduces took four.
#include <algorithm>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

template <typename T>
// v < 0 ? 0 : v keeps a NaN, as torch.relu does, and is one maxps(0, v) like v > 0 ? v : 0 was.
inline T activate(T v, bool relu) { return relu && v < T(0) ? T(0) : v; }

template <typename T>
void biasActivation(const T* x, int64_t n, int64_t c, int64_t l, bool channelsFirst, const T* bias, bool relu, T* out) {
  if (l == 1 && !channelsFirst) {  // a dense layer's [n, c]: rows of c, the bias a vector
    parallelFor(n, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, c)), [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; b++) {
        const T* src = x + b * c;
        T* dst = out + b * c;
        if (relu) for (int64_t j = 0; j < c; j++) dst[j] = activate(src[j] + (bias ? bias[j] : T(0)), true);
        else for (int64_t j = 0; j < c; j++) dst[j] = src[j] + (bias ? bias[j] : T(0));
      }
    });
    return;
  }
  parallelFor(n * c, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, l)), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const int64_t b = r / c, ch = r % c;
      const T* src = x + (channelsFirst ? ch * n + b : r) * l;
      T* dst = out + r * l;
      const T add = bias ? bias[ch] : T(0);
      if (relu) for (int64_t i = 0; i < l; i++) dst[i] = activate(src[i] + add, true);
      else for (int64_t i = 0; i < l; i++) dst[i] = src[i] + add;
    }
  });
}

// Threads take whole channels, so each bias sum is one thread's, added in row order: the same bits for any
// thread count, and reduce's (src/backend/kernels.ts): over n in double, rounded to T, then over l in double.
// Each run of the gradient is masked into gx (or a scratch run) by a select that vectorizes, then summed from
// there (a mask inside the sum compiled to a branch, mispredicted on half the elements: 20x slower).
template <typename T>
void biasActivationBackward(const T* gy, const T* out, int64_t n, int64_t c, int64_t l, bool channelsFirst, bool relu, T* gx,
                            T* gBias) {
  const bool dense = l == 1 && !channelsFirst;  // [n, c]: a run is a row's channels, not one channel's l values
  parallelFor(c, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, n * l)), [&](int64_t c0, int64_t c1) {
    std::vector<double> sums(gBias ? (c1 - c0) * l : 0, 0.0);
    std::vector<T> scratch(gx ? 0 : dense ? c1 - c0 : l);  // where the masked run goes when no gx is wanted
    const int64_t len = dense ? c1 - c0 : l;
    for (int64_t b = 0; b < n; b++) {
      for (int64_t ch = c0; ch < (dense ? c0 + 1 : c1); ch++) {
        const int64_t at = dense ? b * c + c0 : (b * c + ch) * l;
        const T* g = gy + at;
        const T* o = out + at;
        T* m = gx ? gx + (dense ? at : (channelsFirst ? ch * n + b : b * c + ch) * l) : scratch.data();
        if (relu) {
          for (int64_t i = 0; i < len; i++) {
            const T v = g[i];  // read whatever the mask says: a conditional read would not vectorize
            m[i] = o[i] <= T(0) ? T(0) : v;  // a NaN in out passes gy, as reluGrad
          }
        } else {
          std::copy(g, g + len, m);
        }
        if (gBias) {
          double* acc = sums.data() + (dense ? 0 : (ch - c0) * l);
          for (int64_t i = 0; i < len; i++) acc[i] += m[i];
        }
      }
    }
    if (!gBias) return;
    for (int64_t ch = c0; ch < c1; ch++) {
      double total = 0;
      for (int64_t i = 0; i < l; i++) total += static_cast<T>(sums[(ch - c0) * l + i]);
      gBias[ch] = static_cast<T>(total);
    }
  });
}

template <typename T>
void callBackward(Args& args, napi_typedarray_type type, const char* like) {
  const int64_t n = args.integer(2), c = args.integer(3), l = args.integer(4);
  const bool channelsFirst = args.boolean(5), relu = args.boolean(6);
  auto gy = args.typed<T>(0, type, like);
  auto out = args.typed<T>(1, type, like);
  auto gx = args.optional<T>(7, type, "null or a typed array like argument 0");
  auto gBias = args.optional<T>(8, type, "null or a typed array like argument 0");
  if (!args.failed) biasActivationBackward(gy, out, n, c, l, channelsFirst, relu, gx, gBias);
}

template <typename T>
void call(Args& args, napi_typedarray_type type, const char* like) {
  const int64_t n = args.integer(1), c = args.integer(2), l = args.integer(3);
  const bool channelsFirst = args.boolean(4), relu = args.boolean(6);
  auto x = args.typed<T>(0, type, like);
  auto bias = args.optional<T>(5, type, "null or a typed array like argument 0");
  auto out = args.typed<T>(7, type, like);
  if (!args.failed) biasActivation(x, n, c, l, channelsFirst, bias, relu, out);
}

}  // namespace

template <typename T>
void biasActivationKernel(const T* x, int64_t n, int64_t c, int64_t l, bool channelsFirst, const T* bias, bool relu, T* out) {
  biasActivation(x, n, c, l, channelsFirst, bias, relu, out);
}
template void biasActivationKernel<float>(const float*, int64_t, int64_t, int64_t, bool, const float*, bool, float*);
template void biasActivationKernel<double>(const double*, int64_t, int64_t, int64_t, bool, const double*, bool, double*);

template <typename T>
void biasActivationBackwardKernel(const T* gy, const T* out, int64_t n, int64_t c, int64_t l, bool channelsFirst, bool relu, T* gx,
                                  T* gBias) {
  biasActivationBackward(gy, out, n, c, l, channelsFirst, relu, gx, gBias);
}
template void biasActivationBackwardKernel<float>(const float*, const float*, int64_t, int64_t, int64_t, bool, bool, float*, float*);
template void biasActivationBackwardKernel<double>(const double*, const double*, int64_t, int64_t, int64_t, bool, bool, double*, double*);

napi_value BiasActivationOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "biasActivation");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { call<decltype(zero)>(args, type, like); });
  return nullptr;
}

napi_value BiasActivationBackwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "biasActivationBackward");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { callBackward<decltype(zero)>(args, type, like); });
  return nullptr;
}

}  // namespace minima
