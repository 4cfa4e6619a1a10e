// reduce(op, x, outer, size, inner, out) for sum, max and min, and softmax(x, outer, size, inner, out, log),
// as src/backend/js/reduce.ts computes them: x viewed as [outer, size, inner], reduced over the middle axis;
// sums and softmax's exponentials in double, each output's terms added in the same order as js, so both
// backends give the same numbers. argmax/argmin stay on js (their output is int32, and they are small).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

constexpr int64_t kGrain = 1 << 15;
enum class Reduce : int { Sum, Max, Min };

// Runs body(o, j0, j1) over every row o and a range of columns, split across threads by rows when there
// are several, else by columns.
template <typename Body>
void split(int64_t outer, int64_t size, int64_t inner, Body body) {
  if (outer > 1) {
    parallelFor(outer, std::max<int64_t>(1, kGrain / std::max<int64_t>(1, size * inner)), [&](int64_t o0, int64_t o1) {
      for (int64_t o = o0; o < o1; o++) body(o, 0, inner);
    });
  } else {
    parallelFor(inner, std::max<int64_t>(1, kGrain / std::max<int64_t>(1, size)), [&](int64_t j0, int64_t j1) {
      for (int64_t o = 0; o < outer; o++) body(o, j0, j1);
    });
  }
}

template <typename T>
void reduce(Reduce op, const T* x, int64_t outer, int64_t size, int64_t inner, T* out) {
  split(outer, size, inner, [&](int64_t o, int64_t j0, int64_t j1) {
    const T* base = x + o * size * inner;
    T* dst = out + o * inner;
    if (op == Reduce::Sum) {
      std::vector<double> acc(j1 - j0, 0.0);
      for (int64_t s = 0; s < size; s++) {
        const T* row = base + s * inner;
        for (int64_t j = j0; j < j1; j++) acc[j - j0] += row[j];
      }
      for (int64_t j = j0; j < j1; j++) dst[j] = static_cast<T>(acc[j - j0]);
      return;
    }
    const bool isMax = op == Reduce::Max;
    for (int64_t j = j0; j < j1; j++) {
      T best = size == 0 ? std::numeric_limits<T>::quiet_NaN() : base[j];
      for (int64_t s = 0; s < size; s++) {
        const T v = base[s * inner + j];
        if (v != v) { best = v; break; }  // NaN wins, as in torch
        if (isMax ? v > best : v < best) best = v;
      }
      dst[j] = best;
    }
  });
}

template <typename T>
void softmax(const T* x, int64_t outer, int64_t size, int64_t inner, T* out, bool log) {
  split(outer, size, inner, [&](int64_t o, int64_t j0, int64_t j1) {
    for (int64_t j = j0; j < j1; j++) {
      const T* in = x + o * size * inner + j;
      T* dst = out + o * size * inner + j;
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t s = 0; s < size; s++) if (in[s * inner] > max) max = in[s * inner];
      if (std::isinf(max) && max < 0) max = 0;
      if (max != max) max = 0;
      double sum = 0;
      for (int64_t s = 0; s < size; s++) sum += std::exp(in[s * inner] - max);
      if (log) {
        const double lse = max + std::log(sum);
        for (int64_t s = 0; s < size; s++) dst[s * inner] = static_cast<T>(in[s * inner] - lse);
      } else {
        for (int64_t s = 0; s < size; s++) dst[s * inner] = static_cast<T>(std::exp(in[s * inner] - max) / sum);
      }
    }
  });
}

// Σ x² in double: fixed chunks of 2^14 (one per task, so the chunks, and the order their partial sums are
// added in, do not depend on the thread count), four accumulators per chunk combined as js combines them.
constexpr int64_t kSquaresChunk = 1 << 14;

template <typename T>
double sumOfSquares(const T* x, int64_t n) {
  const int64_t chunks = (n + kSquaresChunk - 1) / kSquaresChunk;
  std::vector<double> partial(chunks, 0.0);
  parallelFor(chunks, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; c++) {
      const int64_t start = c * kSquaresChunk, end = std::min(n, start + kSquaresChunk);
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      int64_t i = start;
      for (; i + 3 < end; i += 4) {
        const double a = x[i], b = x[i + 1], cc = x[i + 2], d = x[i + 3];
        s0 += a * a; s1 += b * b; s2 += cc * cc; s3 += d * d;
      }
      for (; i < end; i++) s0 += double(x[i]) * double(x[i]);
      partial[c] = (s0 + s1) + (s2 + s3);
    }
  });
  double total = 0;
  for (int64_t c = 0; c < chunks; c++) total += partial[c];
  return total;
}

}  // namespace

template <typename T>
void reduceKernel(int op, const T* x, int64_t outer, int64_t size, int64_t inner, T* out) {
  reduce(static_cast<Reduce>(op), x, outer, size, inner, out);
}
template void reduceKernel<float>(int, const float*, int64_t, int64_t, int64_t, float*);
template void reduceKernel<double>(int, const double*, int64_t, int64_t, int64_t, double*);

template <typename T>
void softmaxKernel(const T* x, int64_t outer, int64_t size, int64_t inner, T* out, bool log) {
  softmax(x, outer, size, inner, out, log);
}
template void softmaxKernel<float>(const float*, int64_t, int64_t, int64_t, float*, bool);
template void softmaxKernel<double>(const double*, int64_t, int64_t, int64_t, double*, bool);

// reduce(op, x, outer, size, inner, out): op 0 sum, 1 max, 2 min; out has x's dtype.
napi_value ReduceOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "reduce");
  const int64_t op = args.integer(0), outer = args.integer(2), size = args.integer(3), inner = args.integer(4);
  const auto type = args.typeOf(1);
  if (!args.failed && (op < 0 || op > 2)) args.fail(0, "a reduce op code (0 sum, 1 max, 2 min)");
  if (type == napi_float32_array) {
    auto x = args.typed<float>(1, type, "a Float32Array");
    auto out = args.typed<float>(5, type, "a Float32Array like argument 1");
    if (!args.failed) reduce(static_cast<Reduce>(op), x, outer, size, inner, out);
  } else if (type == napi_float64_array) {
    auto x = args.typed<double>(1, type, "a Float64Array");
    auto out = args.typed<double>(5, type, "a Float64Array like argument 1");
    if (!args.failed) reduce(static_cast<Reduce>(op), x, outer, size, inner, out);
  } else if (!args.failed) {
    args.fail(1, "a Float32Array or Float64Array");
  }
  return nullptr;
}

// softmax(x, outer, size, inner, out, log)
napi_value SoftmaxOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "softmax");
  const int64_t outer = args.integer(1), size = args.integer(2), inner = args.integer(3);
  const bool log = args.boolean(5);
  const auto type = args.typeOf(0);
  if (type == napi_float32_array) {
    auto x = args.typed<float>(0, type, "a Float32Array");
    auto out = args.typed<float>(4, type, "a Float32Array like argument 0");
    if (!args.failed) softmax(x, outer, size, inner, out, log);
  } else if (type == napi_float64_array) {
    auto x = args.typed<double>(0, type, "a Float64Array");
    auto out = args.typed<double>(4, type, "a Float64Array like argument 0");
    if (!args.failed) softmax(x, outer, size, inner, out, log);
  } else if (!args.failed) {
    args.fail(0, "a Float32Array or Float64Array");
  }
  return nullptr;
}

// sumOfSquares(x) → Σ x² as a number, for float32 or float64 x.
napi_value SumOfSquaresOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "sumOfSquares");
  napi_typedarray_type type;
  size_t length = 0;
  const void* data = args.array(0, &type, &length);
  double total = 0;
  if (!args.failed) {
    if (type == napi_float32_array) total = sumOfSquares(static_cast<const float*>(data), static_cast<int64_t>(length));
    else if (type == napi_float64_array) total = sumOfSquares(static_cast<const double*>(data), static_cast<int64_t>(length));
    else args.fail(0, "a Float32Array or Float64Array");
  }
  napi_value result = nullptr;
  if (!args.failed) napi_create_double(env, total, &result);
  return result;
}

}  // namespace minima
