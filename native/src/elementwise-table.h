// Elementwise loops (unary ops, broadcast binary ops) behind a table of function pointers, compiled once
// per instruction set like the optimizer loops (elementwise-avx2.cc, elementwise-base.cc).
// Op codes are the order of UNARY_OPS / BINARY_OPS in src/backend/native/elementwise.ts.
#pragma once
#include <cstdint>

namespace minima {

enum class Unary : int { Neg, Exp, Log, Sqrt, Abs, Sign, Tanh, Sigmoid, Relu, LeakyRelu, Erf, Reciprocal, Square, Step, Count };
enum class Binary : int { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, ReluGrad, Count };

template <typename T>
struct ElementwiseLoops {
  void (*unary)(Unary op, const T* x, T* out, int64_t n, double param);
  // out[i] = a[ao + i·as] op b[bo + i·bs] for i < n: one row of a broadcast (strides 0 or 1).
  void (*binaryRow)(Binary op, const T* a, int64_t as, const T* b, int64_t bs, T* out, int64_t n);
};

struct ElementwiseTable {
  ElementwiseLoops<float> f32;
  ElementwiseLoops<double> f64;
};

const ElementwiseTable& elementwiseTableAvx2();
const ElementwiseTable& elementwiseTableBase();
const ElementwiseTable& elementwiseTable();

}  // namespace minima
