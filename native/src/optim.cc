// The napi entry point of the fused optimizer updates, the contract's optimizerStep (src/backend/kernels.ts) as
// src/backend/native/optimizer-step.ts passes it: it runs the loop optim-table.h registers under the rule's name
// and returns true, or returns false for a rule that no loop here fuses (its own loop in src/optim then runs).
// The coefficients are what the rule computed for this step, in double, in the order its loop reads them.
#include <string>
#include <type_traits>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "optim-table.h"
#include "thread-pool.h"

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace minima {

namespace {

// Below this many elements a second thread costs more to wake than it saves.
constexpr int64_t kGrain = 1 << 15;

napi_value boolean(napi_env env, bool b) {
  napi_value v;
  napi_get_boolean(env, b, &v);
  return v;
}

// Runs the kernel's loop over p (argument 1, n elements of `type`), g and the buffers (arguments 5…, null where
// off), split across the pool. As for every kernel, the TypeScript side has checked that they are p's size.
template <typename T>
void run(Args& args, napi_typedarray_type type, size_t n, const OptimKernel& kernel, const double* k, const char* like) {
  T* p = args.typed<T>(1, type, like);
  const T* g = args.typed<T>(2, type, like);
  T* bufs[kMaxOptimBuffers] = {};
  for (int j = 0; j < kernel.buffers && !args.failed; j++) {
    bufs[j] = j < kernel.required ? args.typed<T>(5 + j, type, like) : args.optional<T>(5 + j, type, like);
  }
  if (!args.failed) optimizerKernel(kernel, p, g, bufs, static_cast<int64_t>(n), k);
}

// Float32 loops run with flush-to-zero and denormals-are-zero set on the thread (and its previous mode restored
// after). A first moment whose gradient has been zero for a while decays by β₁ each step into the subnormal
// range, where every multiply takes a microcode assist: with 10% of Adam's moments subnormal, a step over the
// MLP's 269,322 parameters took 2.9× as long (BENCHMARKS.md), and the bench's MLP has 10% subnormal after its
// second epoch. Flushed, such a moment is 0 instead of < 1.2e-38; the update it feeds, stepSize · m̂ / (√v̂ + ε),
// was already far below a float32 parameter's last bit. Float64 loops are left exact: their subnormals lie
// below 2.2e-308.
class FlushSubnormals {
 public:
  explicit FlushSubnormals(bool on) : on_(on) {
#if defined(__SSE__) || defined(__x86_64__)
    if (on_) { saved_ = _mm_getcsr(); _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero); }
#endif
  }
  ~FlushSubnormals() {
#if defined(__SSE__) || defined(__x86_64__)
    if (on_) _mm_setcsr(saved_);
#endif
  }
  FlushSubnormals(const FlushSubnormals&) = delete;
  FlushSubnormals& operator=(const FlushSubnormals&) = delete;

 private:
  static constexpr unsigned kFlushToZero = 0x8000, kDenormalsAreZero = 0x0040;  // MXCSR's FTZ and DAZ bits
  bool on_;
  unsigned saved_ = 0;
};

}  // namespace

template <typename T>
void optimizerKernel(const OptimKernel& kernel, T* p, const T* g, T* const* buffers, int64_t n, const double* k) {
  OptimLoop<T> loop;
  if constexpr (std::is_same_v<T, float>) loop = kernel.f32;
  else loop = kernel.f64;
  parallelFor(n, kGrain, [&](int64_t b, int64_t e) {
    const FlushSubnormals flush(std::is_same_v<T, float>);
    T* chunk[kMaxOptimBuffers];
    for (int j = 0; j < kMaxOptimBuffers; j++) chunk[j] = buffers[j] ? buffers[j] + b : nullptr;
    loop(p + b, g + b, chunk, e - b, k);
  });
}
template void optimizerKernel<float>(const OptimKernel&, float*, const float*, float* const*, int64_t, const double*);
template void optimizerKernel<double>(const OptimKernel&, double*, const double*, double* const*, int64_t, const double*);

// optimizerStep(rule, p, g, coefficients: Float64Array, count, buffer0|null, buffer1|null, buffer2|null) → whether
// a fused loop ran (src/backend/native/optimizer-step.ts passes the contract's arguments so)
napi_value OptimizerStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "optimizerStep");
  char rule[32] = {};
  size_t length = 0;
  if (args.argc < 1 || napi_get_value_string_utf8(env, args.argv[0], rule, sizeof rule, &length) != napi_ok) {
    args.fail(0, "a rule name");
    return nullptr;
  }
  const OptimKernel* kernel = optimKernel(rule);
  if (!kernel) return boolean(env, false);
  napi_typedarray_type kType = napi_int8_array;
  size_t kLength = 0;
  const auto* k = static_cast<const double*>(args.array(3, &kType, &kLength));
  if (!args.failed && kType != napi_float64_array) args.fail(3, "a Float64Array");
  const int64_t count = args.integer(4);
  if (args.failed) return nullptr;
  if (count != kernel->coefficients || kLength < static_cast<size_t>(count)) {
    const std::string expected = std::to_string(kernel->coefficients) + " coefficients for " + rule;
    args.fail(4, expected.c_str());
    return nullptr;
  }
  napi_typedarray_type type = napi_int8_array;
  size_t n = 0;
  args.array(1, &type, &n);
  if (type == napi_float32_array) run<float>(args, type, n, *kernel, k, "a Float32Array like argument 1");
  else if (type == napi_float64_array) run<double>(args, type, n, *kernel, k, "a Float64Array like argument 1");
  else if (!args.failed) args.fail(1, "a Float32Array or Float64Array");
  return args.failed ? nullptr : boolean(env, true);
}

}  // namespace minima
