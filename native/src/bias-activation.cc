// biasActivation(x, n, c, l, channelsFirst, bias, relu, out), the contract of src/backend/kernels.ts: a
// layer's bias and ReLU in one pass, and for a convolution the move of its product [c, n, l] to [n, c, l]
// in the same pass, where three passes (permute, add, relu) would each write the whole activation.
#include <algorithm>

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

napi_value BiasActivationOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "biasActivation");
  const auto type = args.typeOf(0);
  forFloatType(args, type, [&](auto zero, const char* like) { call<decltype(zero)>(args, type, like); });
  return nullptr;
}

}  // namespace minima
