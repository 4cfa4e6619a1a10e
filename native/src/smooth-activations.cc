// smoothActivation(op, x, out, deriv, p0, p1) (src/backend/kernels.ts): SiLU, Softplus, ELU and Mish, with
// f'(x) into deriv when it is not null, in the formulas of src/backend/js/smooth-activations.ts: each in
// double, rounded once to T, so the backends agree but for the last bit of an exp's double (glibc's or, for
// float32 SiLU and Mish, smooth-exp.h's vectorizable one, against V8's), which rounding to float32 almost
// always hides. Elementwise, so threads split the elements and the thread count never changes a result.
// Op codes: SMOOTH_OPS in src/backend/native/smooth-activations.ts.
// No trapping math: FP compares may then be if-converted into selects (no value changes: it only stops the compiler keeping
// floating-point exception flags exact), which the float32 loops need to vectorize.
#pragma GCC optimize("no-trapping-math")
#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "smooth-exp.h"
#include "smooth-loops.h"
#include "thread-pool.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MINIMA_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MINIMA_SIMD_CLONES
#endif

namespace minima {

namespace {

enum class Smooth : int { Silu, Softplus, Elu, Mish, Count };

// Below this many elements a second thread costs more to wake than it saves (an exp each: fewer than
// elementwise.cc's plain arithmetic needs).
constexpr int64_t kGrain = 1 << 13;

// The σ-based loops' exp: glibc's for float64, vexp (smooth-exp.h, vectorizable) for float32, whose outputs round
// its last-bit differences away.
double libmExp(double a) { return std::exp(a); }

template <typename T>
void silu(const T* x, T* out, T* deriv, int64_t n) {
  if (deriv) siluLoop<T, true, libmExp>(x, out, deriv, n);
  else siluLoop<T, false, libmExp>(x, out, deriv, n);
}

template <typename T>
void mish(const T* x, T* out, T* deriv, int64_t n) {
  if (deriv) mishLoop<T, true, libmExp>(x, out, deriv, n);
  else mishLoop<T, false, libmExp>(x, out, deriv, n);
}

// The float32 loops, built for AVX2 and for the baseline, chosen once by the CPU (the same for every thread).
MINIMA_SIMD_CLONES void silu(const float* x, float* out, float* deriv, int64_t n) {
  if (deriv) siluLoop<float, true, vexp>(x, out, deriv, n);
  else siluLoop<float, false, vexp>(x, out, deriv, n);
}

MINIMA_SIMD_CLONES void mish(const float* x, float* out, float* deriv, int64_t n) {
  if (deriv) mishLoop<float, true, vexp>(x, out, deriv, n);
  else mishLoop<float, false, vexp>(x, out, deriv, n);
}

template <typename T>
void run(Smooth op, const T* x, T* out, T* deriv, int64_t n, double p0, double p1) {
  parallelFor(n, kGrain, [&](int64_t s, int64_t e) {
    T* d = deriv ? deriv + s : nullptr;
    switch (op) {
      case Smooth::Silu: return silu(x + s, out + s, d, e - s);
      case Smooth::Softplus: return softplusLoop(x + s, out + s, d, e - s, p0, p1);
      case Smooth::Elu: return eluLoop(x + s, out + s, d, e - s, p0);
      case Smooth::Mish: return mish(x + s, out + s, d, e - s);
      default: return;
    }
  });
}

template <typename T>
void call(Args& args, Smooth op, napi_typedarray_type type, const char* like) {
  napi_typedarray_type t;
  size_t n = 0, outLen = 0;
  const T* x = static_cast<const T*>(args.array(1, &t, &n));
  T* out = static_cast<T*>(args.array(2, &t, &outLen));
  if (!args.failed && (t != type || outLen != n)) args.fail(2, "a typed array like argument 1, of its length");
  T* deriv = args.optional<T>(3, type, like);
  const double p0 = args.number(4), p1 = args.number(5);
  if (!args.failed) run(op, x, out, deriv, static_cast<int64_t>(n), p0, p1);
}

}  // namespace

template <typename T>
void smoothActivationKernel(int op, const T* x, T* out, T* deriv, int64_t n, double p0, double p1) {
  run(static_cast<Smooth>(op), x, out, deriv, n, p0, p1);
}
template void smoothActivationKernel<float>(int, const float*, float*, float*, int64_t, double, double);
template void smoothActivationKernel<double>(int, const double*, double*, double*, int64_t, double, double);

// smoothActivation(op, x, out, deriv, p0, p1): x, out and deriv (or null) of one float dtype and length.
napi_value SmoothActivationOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "smoothActivation");
  const int64_t op = args.integer(0);
  if (!args.failed && (op < 0 || op >= static_cast<int64_t>(Smooth::Count))) args.fail(0, "a smooth activation op code");
  const auto type = args.typeOf(1);
  if (args.failed) return nullptr;
  const auto s = static_cast<Smooth>(op);
  if (type == napi_float32_array) call<float>(args, s, type, "a Float32Array like argument 1");
  else if (type == napi_float64_array) call<double>(args, s, type, "a Float64Array like argument 1");
  else args.fail(1, "a Float32Array or Float64Array");
  return nullptr;
}

}  // namespace minima
