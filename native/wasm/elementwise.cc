// The elementwise kernels of src/backend/kernels.ts on float32: unary and broadcast binary through the native
// backend's own loops (native/src/elementwise-loops.h, so the arithmetic is the native build's: +, −, ×, ÷, √
// exact as js's, the transcendental functions in double by wasi-libc's libm, rounded once), and biasActivation,
// clamp and where. clang vectorizes the contiguous loops with SIMD128.
#include <wasm_simd128.h>

#include <cmath>

#define MINIMA_ELEMENTWISE_TABLE elementwiseTableWasm
#include "../src/elementwise-loops.h"
#include "export.h"

using minima::Binary;
using minima::Unary;

namespace {

// ReLU, x < 0 ? 0 : x (a NaN and −0 stay, as in js and torch), is SIMD128's pmax(x, 0), written out: clang 14 folds
// the select into max, which turns −0 into +0.
inline v128_t reluLanes(v128_t v) { return wasm_f32x4_pmax(v, wasm_f32x4_splat(0.0f)); }
inline float relu(float v) { return wasm_f32x4_extract_lane(reluLanes(wasm_f32x4_splat(v)), 0); }

void reluLoop(const float* x, float* out, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, reluLanes(wasm_v128_load(x + i)));
  for (; i < n; i++) out[i] = relu(x[i]);
}

// One row of a broadcast binary op (strides 0 or 1): the native loops (pow is C's pow, as in the js kernels).
void binaryRow(Binary op, const float* a, int64_t as, const float* b, int64_t bs, float* out, int64_t n) {
  minima::elementwiseTableWasm().f32.binaryRow(op, a, as, b, bs, out, n);
}

}  // namespace

WASM_EXPORT(unary_f32) void unaryF32(int op, const float* x, float* out, int n, double param) {
  if (static_cast<Unary>(op) == Unary::Relu) return reluLoop(x, out, n);
  minima::elementwiseTableWasm().f32.unary(static_cast<Unary>(op), x, out, n, param);
}

// out [n] = a op b, NumPy-broadcast: out's shape and each operand's strides over it (0 along a broadcast dim), rank
// entries each; aLen and bLen the operands' lengths, so the flat cases (same length or a scalar) run as one row.
WASM_EXPORT(binary_f32) void binaryF32(int op, const float* a, int aLen, const float* b, int bLen, float* out, int n, int rank,
                                       const int32_t* shape, const int32_t* as, const int32_t* bs) {
  const auto row = binaryRow;
  const Binary o = static_cast<Binary>(op);
  if (n == 0) return;
  if ((aLen == n || aLen == 1) && (bLen == n || bLen == 1)) return row(o, a, aLen == n ? 1 : 0, b, bLen == n ? 1 : 0, out, n);
  // Rows of the last dim; the offsets of the next row follow the index like an odometer (src/backend/js/elementwise.ts).
  const int last = shape[rank - 1], rows = n / last;
  int32_t idx[32] = {};
  int ao = 0, bo = 0;
  for (int r = 0; r < rows; r++) {
    row(o, a + ao, as[rank - 1], b + bo, bs[rank - 1], out + r * last, last);
    for (int d = rank - 2; d >= 0; d--) {
      idx[d]++;
      ao += as[d];
      bo += bs[d];
      if (idx[d] < shape[d]) break;
      ao -= as[d] * shape[d];
      bo -= bs[d] * shape[d];
      idx[d] = 0;
    }
  }
}

namespace {

// dst[i] = act(src[i] + add[i]) for i < n, add[i] = bias[i] (a layer's row: channels along it) or one value (addStep 0).
void biasRow(const float* src, const float* add, int addStep, bool relu, float* dst, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t b = addStep ? wasm_v128_load(add + i) : wasm_f32x4_splat(*add);
    const v128_t v = wasm_f32x4_add(wasm_v128_load(src + i), b);
    wasm_v128_store(dst + i, relu ? reluLanes(v) : v);
  }
  for (; i < n; i++) {
    const float v = src[i] + add[i * addStep];
    dst[i] = relu ? ::relu(v) : v;
  }
}

}  // namespace

// out [n, c, l] = act(x + bias[c]) with x [n, c, l], or [c, n, l] when channelsFirst; bias may be null. A dense layer's
// [n, c, 1] runs along the channels, a convolution's along each channel's l positions.
WASM_EXPORT(bias_activation_f32) void biasActivationF32(const float* x, int n, int c, int l, int channelsFirst, const float* bias,
                                                        int relu, float* out) {
  static const float kZero = 0.0f;
  if (l == 1 && !channelsFirst) {
    for (int b = 0; b < n; b++) biasRow(x + b * c, bias ? bias : &kZero, bias ? 1 : 0, relu, out + b * c, c);
    return;
  }
  for (int b = 0; b < n; b++) {
    for (int ch = 0; ch < c; ch++) {
      biasRow(x + (channelsFirst ? ch * n + b : b * c + ch) * l, bias ? bias + ch : &kZero, 0, relu, out + (b * c + ch) * l, l);
    }
  }
}

// out = min(max(x, lo), hi) as the js kernel compares: a float32 against the double bounds.
WASM_EXPORT(clamp_f32) void clampF32(const float* x, float* out, int n, double lo, double hi) {
  const float l = static_cast<float>(lo), h = static_cast<float>(hi);
  for (int i = 0; i < n; i++) {
    const double v = x[i];
    out[i] = v < lo ? l : v > hi ? h : x[i];
  }
}

WASM_EXPORT(where_f32) void whereF32(const float* cond, const float* a, const float* b, float* out, int n) {
  for (int i = 0; i < n; i++) out[i] = cond[i] != 0 ? a[i] : b[i];
}
