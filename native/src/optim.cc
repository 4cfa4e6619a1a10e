// The napi entry points of the fused optimizer updates: they read the arguments and run the loop of
// optim-loops.h built for this CPU. Scalars the same for every element (bias corrections, step sizes, and
// 1 − β computed in double before the cast, as torch's alpha= arguments are) come precomputed from the
// TypeScript wrapper, src/backend/native/optimizers.ts, in the order each comment below gives.
#include "kernels.h"
#include "napi-args.h"
#include "optim-table.h"
#include "thread-pool.h"

namespace minima {

namespace {

// Below this many elements a second thread costs more to wake than it saves.
constexpr int64_t kGrain = 1 << 15;

template <typename T>
T* at(T* a, int64_t i) { return a ? a + i : nullptr; }

template <size_t N>
void scalars(Args& args, size_t from, double (&k)[N]) {
  for (size_t j = 0; j < N; j++) k[j] = args.number(from + j);
}

int64_t length(Args& args) {
  napi_typedarray_type type;
  size_t n = 0;
  args.array(0, &type, &n);
  return static_cast<int64_t>(n);
}

// Runs body(loops, view) with the dtype's loops and a reader of same-dtype arrays, or fails on argument 0.
template <typename Body>
napi_value withDtype(Args& args, Body body) {
  const auto type = args.typeOf(0);
  if (type == napi_float32_array) {
    body(optimTable().f32, [&](size_t i, bool optional) -> float* {
      return optional ? args.optional<float>(i, type, "a Float32Array like argument 0") : args.typed<float>(i, type, "a Float32Array like argument 0");
    });
  } else if (type == napi_float64_array) {
    body(optimTable().f64, [&](size_t i, bool optional) -> double* {
      return optional ? args.optional<double>(i, type, "a Float64Array like argument 0") : args.typed<double>(i, type, "a Float64Array like argument 0");
    });
  } else if (!args.failed) {
    args.fail(0, "a Float32Array or Float64Array");
  }
  return nullptr;
}

}  // namespace

// sgdStep(p, g, buf|null, lr, momentum, 1 − dampening, weightDecay, sign, nesterov, first)
napi_value SgdStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "sgdStep");
  const int64_t n = length(args);
  double k[5];
  scalars(args, 3, k);
  const bool nesterov = args.boolean(8), first = args.boolean(9);
  return withDtype(args, [&](auto& loops, auto arr) {
    auto p = arr(0, false), g = arr(1, false), buf = arr(2, true);
    if (args.failed) return;
    parallelFor(n, kGrain, [&](int64_t b, int64_t e) { loops.sgd(p + b, g + b, at(buf, b), e - b, k, nesterov, first); });
  });
}

// adamStep(p, g, m, v, vMax|null, b1, 1 − b1, b2, 1 − b2, stepSize, bc2, √bc2, eps, l2, shrink, sign, epsInsideSqrt)
napi_value AdamStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "adamStep");
  const int64_t n = length(args);
  double k[11];
  scalars(args, 5, k);
  const bool inside = args.boolean(16);
  return withDtype(args, [&](auto& loops, auto arr) {
    auto p = arr(0, false), g = arr(1, false), m = arr(2, false), v = arr(3, false), vMax = arr(4, true);
    if (args.failed) return;
    parallelFor(n, kGrain, [&](int64_t b, int64_t e) { loops.adam(p + b, g + b, m + b, v + b, at(vMax, b), e - b, k, inside); });
  });
}

// rmspropStep(p, g, squareAvg, gradAvg|null, momentumBuffer|null, lr, alpha, 1 − alpha, eps, weightDecay, momentum, sign, epsInsideSqrt)
napi_value RmspropStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "rmspropStep");
  const int64_t n = length(args);
  double k[7];
  scalars(args, 5, k);
  const bool inside = args.boolean(12);
  return withDtype(args, [&](auto& loops, auto arr) {
    auto p = arr(0, false), g = arr(1, false), v = arr(2, false), avg = arr(3, true), buf = arr(4, true);
    if (args.failed) return;
    parallelFor(n, kGrain, [&](int64_t b, int64_t e) { loops.rmsprop(p + b, g + b, v + b, at(avg, b), at(buf, b), e - b, k, inside); });
  });
}

// adagradStep(p, g, sum, clr, weightDecay, eps, sign, h0, first, epsInsideSqrt)
napi_value AdagradStep(napi_env env, napi_callback_info info) {
  Args args(env, info, "adagradStep");
  const int64_t n = length(args);
  double k[5];
  scalars(args, 3, k);
  const bool first = args.boolean(8), inside = args.boolean(9);
  return withDtype(args, [&](auto& loops, auto arr) {
    auto p = arr(0, false), g = arr(1, false), sum = arr(2, false);
    if (args.failed) return;
    parallelFor(n, kGrain, [&](int64_t b, int64_t e) { loops.adagrad(p + b, g + b, sum + b, e - b, k, first, inside); });
  });
}

}  // namespace minima
