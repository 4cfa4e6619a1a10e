// The elementwise loops (no include guard: compiled once per instruction set, see elementwise-table.h).
// Results equal the js kernels' (src/backend/js/elementwise.ts): +, −, ×, ÷, √ of float32 inputs are exact
// in float32 whether computed in float or double, and the transcendental functions are computed in double
// and rounded once, as JavaScript's Math does for a Float32Array.
#include "elementwise-table.h"

namespace minima {
namespace {

template <typename T, typename F>
void map(const T* x, T* out, int64_t n, F f) {
  for (int64_t i = 0; i < n; i++) out[i] = f(x[i]);
}

template <typename T>
void unary(Unary op, const T* x, T* out, int64_t n, double param) {
  switch (op) {
    case Unary::Neg: return map(x, out, n, [](T v) { return -v; });
    case Unary::Exp: return map(x, out, n, [](T v) { return static_cast<T>(std::exp(static_cast<double>(v))); });
    case Unary::Log: return map(x, out, n, [](T v) { return static_cast<T>(std::log(static_cast<double>(v))); });
    case Unary::Sqrt: return map(x, out, n, [](T v) { return std::sqrt(v); });
    case Unary::Abs: return map(x, out, n, [](T v) { return std::abs(v); });
    case Unary::Sign: return map(x, out, n, [](T v) { return v > 0 ? T(1) : v < 0 ? T(-1) : v; });
    case Unary::Tanh: return map(x, out, n, [](T v) { return static_cast<T>(std::tanh(static_cast<double>(v))); });
    case Unary::Sigmoid:  // two branches so exp never overflows
      return map(x, out, n, [](T v) {
        const double d = v;
        if (d >= 0) return static_cast<T>(1 / (1 + std::exp(-d)));
        const double e = std::exp(d);
        return static_cast<T>(e / (1 + e));
      });
    case Unary::Relu: return map(x, out, n, [](T v) { return v < T(0) ? T(0) : v; });  // keeps NaN, as torch
    case Unary::LeakyRelu:  // the slope stays a double, as in js and torch's scalar argument
      return map(x, out, n, [param](T v) { return v > 0 ? v : static_cast<T>(v * param); });
    case Unary::Erf: return map(x, out, n, [](T v) { return static_cast<T>(std::erf(static_cast<double>(v))); });
    case Unary::Reciprocal: return map(x, out, n, [](T v) { return T(1) / v; });
    case Unary::Square: return map(x, out, n, [](T v) { return v * v; });
    case Unary::Step: return map(x, out, n, [](T v) { return v > 0 ? T(1) : T(0); });
    default: return;
  }
}

// One loop per stride pattern, so the common ones (both contiguous, one side broadcast) vectorize.
template <typename T, typename F>
void zip(const T* a, int64_t as, const T* b, int64_t bs, T* out, int64_t n, F f) {
  if (as == 1 && bs == 1) {
    for (int64_t i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  } else if (as == 1) {
    const T y = b[0];
    for (int64_t i = 0; i < n; i++) out[i] = f(a[i], y);
  } else if (bs == 1) {
    const T x = a[0];
    for (int64_t i = 0; i < n; i++) out[i] = f(x, b[i]);
  } else {
    const T v = f(a[0], b[0]);
    for (int64_t i = 0; i < n; i++) out[i] = v;
  }
}

template <typename T>
void binaryRow(Binary op, const T* a, int64_t as, const T* b, int64_t bs, T* out, int64_t n) {
  switch (op) {
    case Binary::Add: return zip(a, as, b, bs, out, n, [](T x, T y) { return x + y; });
    case Binary::Sub: return zip(a, as, b, bs, out, n, [](T x, T y) { return x - y; });
    case Binary::Mul: return zip(a, as, b, bs, out, n, [](T x, T y) { return x * y; });
    case Binary::Div: return zip(a, as, b, bs, out, n, [](T x, T y) { return x / y; });
    case Binary::Pow:
      return zip(a, as, b, bs, out, n, [](T x, T y) { return static_cast<T>(std::pow(static_cast<double>(x), static_cast<double>(y))); });
    // NaN propagates, as in torch.maximum.
    case Binary::Maximum: return zip(a, as, b, bs, out, n, [](T x, T y) { return x != x || y != y ? x + y : x > y ? x : y; });
    case Binary::Minimum: return zip(a, as, b, bs, out, n, [](T x, T y) { return x != x || y != y ? x + y : x < y ? x : y; });
    case Binary::Eq: return zip(a, as, b, bs, out, n, [](T x, T y) { return x == y ? T(1) : T(0); });
    case Binary::Ne: return zip(a, as, b, bs, out, n, [](T x, T y) { return x != y ? T(1) : T(0); });
    case Binary::Lt: return zip(a, as, b, bs, out, n, [](T x, T y) { return x < y ? T(1) : T(0); });
    case Binary::Le: return zip(a, as, b, bs, out, n, [](T x, T y) { return x <= y ? T(1) : T(0); });
    case Binary::Gt: return zip(a, as, b, bs, out, n, [](T x, T y) { return x > y ? T(1) : T(0); });
    case Binary::Ge: return zip(a, as, b, bs, out, n, [](T x, T y) { return x >= y ? T(1) : T(0); });
    case Binary::ReluGrad: return zip(a, as, b, bs, out, n, [](T x, T y) { return y <= T(0) ? T(0) : x; });  // threshold_backward: passes at NaN
    default: return;
  }
}

}  // namespace

const ElementwiseTable& MINIMA_ELEMENTWISE_TABLE() {
  static const ElementwiseTable table = {{unary<float>, binaryRow<float>}, {unary<double>, binaryRow<double>}};
  return table;
}

}  // namespace minima
