// Gradient clipping, the contract's clipGradNorm and clipGradValue (src/backend/kernels.ts), eagerly (napi) and in a
// captured step's plan: the operations of src/backend/js/clip-grad.ts in its order, so the same bits. The p-norm only
// for p = 1, 2 and ∞, whose operations (sums, products, sqrt, max) are correctly rounded everywhere; V8's pow is not
// the C library's, so other p stay on js (src/backend/native/clip-grad.ts).
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "plan-js-kernels.h"

namespace minima {

namespace {

// The total norm, as gradNorm in clip-grad.ts.
template <typename T>
double gradNorm(T* const* grads, const int64_t* lengths, int64_t count, double p) {
  double acc = 0;
  if (std::isinf(p)) {
    for (int64_t a = 0; a < count; a++) {
      for (int64_t i = 0; i < lengths[a]; i++) {
        const double v = std::fabs(static_cast<double>(grads[a][i]));
        // Math.max: a NaN on either side gives NaN.
        acc = std::isnan(acc) || std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : (v > acc ? v : acc);
      }
    }
    return acc;
  }
  for (int64_t a = 0; a < count; a++) {
    double s = 0;
    if (p == 2) {
      for (int64_t i = 0; i < lengths[a]; i++) { const double v = grads[a][i]; s += v * v; }
      const double norm = std::sqrt(s);
      acc += norm * norm;
    } else {
      for (int64_t i = 0; i < lengths[a]; i++) s += std::fabs(static_cast<double>(grads[a][i]));
      acc += s;
    }
  }
  return p == 2 ? std::sqrt(acc) : acc;
}

}  // namespace

template <typename T>
void clipGradNormKernel(T* const* grads, const int64_t* lengths, int64_t count, double maxNorm, double p, double* total) {
  const double norm = gradNorm(grads, lengths, count, p);
  total[0] = norm;
  const double q = maxNorm / (norm + 1e-6);
  const double coef = std::isnan(q) || q < 1 ? q : 1.0;  // Math.min(q, 1)
  if (coef == 1) return;
  for (int64_t a = 0; a < count; a++) {
    for (int64_t i = 0; i < lengths[a]; i++) grads[a][i] = static_cast<T>(static_cast<double>(grads[a][i]) * coef);
  }
}
template void clipGradNormKernel<float>(float* const*, const int64_t*, int64_t, double, double, double*);
template void clipGradNormKernel<double>(double* const*, const int64_t*, int64_t, double, double, double*);

template <typename T>
void clipGradValueKernel(T* const* grads, const int64_t* lengths, int64_t count, double clipValue) {
  for (int64_t a = 0; a < count; a++) {
    for (int64_t i = 0; i < lengths[a]; i++) {
      const double v = grads[a][i];
      if (v > clipValue) grads[a][i] = static_cast<T>(clipValue);
      else if (v < -clipValue) grads[a][i] = static_cast<T>(-clipValue);
    }
  }
}
template void clipGradValueKernel<float>(float* const*, const int64_t*, int64_t, double);
template void clipGradValueKernel<double>(double* const*, const int64_t*, int64_t, double);

namespace {

// The gradients, argument 0: a JavaScript array of typed arrays of one float dtype, as pointers and lengths; run(grads,
// lengths) with T their element type (float when the list is empty).
template <typename Run>
void withGradList(Args& args, Run run) {
  uint32_t n = 0;
  if (args.argc < 1 || napi_get_array_length(args.env, args.argv[0], &n) != napi_ok) { args.fail(0, "an array of gradients"); return; }
  std::vector<void*> data(n);
  std::vector<int64_t> lengths(n);
  napi_typedarray_type type = napi_float32_array;
  for (uint32_t k = 0; k < n; k++) {
    napi_value e, buffer;
    bool is = false;
    napi_typedarray_type t;
    size_t length = 0, offset = 0;
    if (napi_get_element(args.env, args.argv[0], k, &e) != napi_ok || napi_is_typedarray(args.env, e, &is) != napi_ok || !is) {
      args.fail(0, "an array of typed arrays");
      return;
    }
    napi_get_typedarray_info(args.env, e, &t, &length, &data[k], &buffer, &offset);
    if (k == 0) type = t;
    if (t != type || (t != napi_float32_array && t != napi_float64_array)) { args.fail(0, "an array of Float32Arrays or of Float64Arrays"); return; }
    lengths[k] = static_cast<int64_t>(length);
  }
  auto typedRun = [&](auto zero) {
    using T = decltype(zero);
    std::vector<T*> grads(n);
    for (uint32_t k = 0; k < n; k++) grads[k] = static_cast<T*>(data[k]);
    run(grads.data(), lengths.data(), static_cast<int64_t>(n));
  };
  if (type == napi_float64_array) typedRun(double{});
  else typedRun(float{});
}

}  // namespace

// clipGradNorm(grads, maxNorm, p, total): p 1, 2 or Infinity.
napi_value ClipGradNormOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "clipGradNorm");
  const double maxNorm = args.number(1), p = args.number(2);
  double* total = args.typed<double>(3, napi_float64_array, "a Float64Array");
  if (!args.failed && !(p == 1 || p == 2 || p == std::numeric_limits<double>::infinity())) args.fail(2, "1, 2 or Infinity");
  if (args.failed) return nullptr;
  withGradList(args, [&](auto grads, const int64_t* lengths, int64_t count) {
    using T = std::remove_pointer_t<std::remove_pointer_t<decltype(grads)>>;
    clipGradNormKernel<T>(grads, lengths, count, maxNorm, p, total);
  });
  return nullptr;
}

// clipGradValue(grads, clipValue)
napi_value ClipGradValueOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "clipGradValue");
  const double clipValue = args.number(1);
  if (args.failed) return nullptr;
  withGradList(args, [&](auto grads, const int64_t* lengths, int64_t count) {
    using T = std::remove_pointer_t<std::remove_pointer_t<decltype(grads)>>;
    clipGradValueKernel<T>(grads, lengths, count, clipValue);
  });
  return nullptr;
}

}  // namespace minima
