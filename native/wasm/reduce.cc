// Reductions over x viewed as [outer, size, inner] (the middle axis), softmax and log-softmax, Σ x² and the fused
// cross-entropy, on float32, as src/backend/js/reduce.ts and cross-entropy.ts compute them: every sum in double,
// each output's terms added in js's order, so the sums equal js's bits; exp and log are wasi-libc's (musl's),
// which may round the last double bit otherwise than V8's Math. A sum over the middle axis with inner > 1 runs
// SIMD128 across the inner outputs, each still summed in order.
#include <wasm_simd128.h>

#include <cmath>

#include "export.h"

namespace {
enum Reduce { kSum, kMax, kMin, kArgmax, kArgmin };
}

// op: sum, max or min into out [outer, inner] (float32); argmax or argmin into outIndex (int32): the first extreme,
// the first NaN where there is one (NaN wins, as in torch).
WASM_EXPORT(reduce_f32) void reduceF32(int op, const float* x, int outer, int size, int inner, float* out, int32_t* outIndex) {
  for (int o = 0; o < outer; o++) {
    const float* base = x + o * size * inner;
    if (op == kSum) {
      // Blocks of inner outputs, each summed over s in order, so the loads run along rows.
      constexpr int kBlock = 256;
      double acc[kBlock];
      for (int j0 = 0; j0 < inner; j0 += kBlock) {
        const int width = inner - j0 < kBlock ? inner - j0 : kBlock;
        for (int j = 0; j < width; j++) acc[j] = 0;
        for (int s = 0; s < size; s++) {
          const float* row = base + s * inner + j0;
          for (int j = 0; j < width; j++) acc[j] += row[j];
        }
        for (int j = 0; j < width; j++) out[o * inner + j0 + j] = static_cast<float>(acc[j]);
      }
      continue;
    }
    for (int j = 0; j < inner; j++) {
      if (op == kMax || op == kMin) {
        float best = size == 0 ? __builtin_nanf("") : base[j];
        for (int s = 0; s < size; s++) {
          const float v = base[s * inner + j];
          if (v != v) { best = v; break; }
          if (op == kMax ? v > best : v < best) best = v;
        }
        out[o * inner + j] = best;
      } else {
        float best = base[j];
        int at = 0;
        for (int s = 0; s < size; s++) {
          const float v = base[s * inner + j];
          if (v != v) { at = s; break; }
          if (op == kArgmax ? v > best : v < best) { best = v; at = s; }
        }
        outIndex[o * inner + j] = at;
      }
    }
  }
}

// Softmax (log false) or log-softmax of x [outer, size, inner] over the middle axis, around each line's max.
WASM_EXPORT(softmax_f32) void softmaxF32(const float* x, int outer, int size, int inner, float* out, int log) {
  for (int o = 0; o < outer; o++) {
    for (int j = 0; j < inner; j++) {
      const float* in = x + o * size * inner + j;
      float* dst = out + o * size * inner + j;
      double max = -__builtin_inf();
      for (int s = 0; s < size; s++) if (in[s * inner] > max) max = in[s * inner];
      if (max == -__builtin_inf() || max != max) max = 0;
      double sum = 0;
      for (int s = 0; s < size; s++) sum += std::exp(in[s * inner] - max);
      if (log) {
        const double lse = max + std::log(sum);
        for (int s = 0; s < size; s++) dst[s * inner] = static_cast<float>(in[s * inner] - lse);
      } else {
        for (int s = 0; s < size; s++) dst[s * inner] = static_cast<float>(std::exp(in[s * inner] - max) / sum);
      }
    }
  }
}

// Σ x² in double: chunks of 2¹⁴ with four accumulators each, combined as the js kernel and every backend combine them.
WASM_EXPORT(sum_of_squares_f32) double sumOfSquaresF32(const float* x, int n) {
  constexpr int kChunk = 1 << 14;
  double total = 0;
  for (int start = 0; start < n; start += kChunk) {
    const int end = n < start + kChunk ? n : start + kChunk;
    // The four accumulators as two pairs of lanes: each still adds its own squares in order.
    v128_t s01 = wasm_f64x2_splat(0), s23 = wasm_f64x2_splat(0);
    int i = start;
    for (; i + 3 < end; i += 4) {
      const v128_t v = wasm_v128_load(x + i);
      const v128_t ab = wasm_f64x2_promote_low_f32x4(v), cd = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
      s01 = wasm_f64x2_add(s01, wasm_f64x2_mul(ab, ab));
      s23 = wasm_f64x2_add(s23, wasm_f64x2_mul(cd, cd));
    }
    double s0 = wasm_f64x2_extract_lane(s01, 0), s1 = wasm_f64x2_extract_lane(s01, 1), s2 = wasm_f64x2_extract_lane(s23, 0),
           s3 = wasm_f64x2_extract_lane(s23, 1);
    for (; i < end; i++) s0 += static_cast<double>(x[i]) * x[i];
    total += (s0 + s1) + (s2 + s3);
  }
  return total;
}

// Cross-entropy of logits x [n, c] against target [n] with label smoothing s: loss [n] and probs [n, c] (the softmax).
WASM_EXPORT(cross_entropy_f32) void crossEntropyF32(const float* x, int n, int c, const int32_t* target, double smoothing, float* loss,
                                                    float* probs) {
  for (int i = 0; i < n; i++) {
    const float* row = x + i * c;
    double max = -__builtin_inf();
    for (int j = 0; j < c; j++) if (row[j] > max) max = row[j];
    double sumExp = 0, sumX = 0;
    for (int j = 0; j < c; j++) { sumExp += std::exp(row[j] - max); sumX += row[j]; }
    const double lse = max + std::log(sumExp);
    loss[i] = static_cast<float>(-(1 - smoothing) * (row[target[i]] - lse) - (smoothing / c) * (sumX - c * lse));
    for (int j = 0; j < c; j++) probs[i * c + j] = static_cast<float>(std::exp(row[j] - lse));
  }
}

// Its gradient: gx[i, j] = gLoss[i]·(probs[i, j] − (1 − s)·[j = target[i]] − s/c).
WASM_EXPORT(cross_entropy_backward_f32) void crossEntropyBackwardF32(const float* probs, const int32_t* target, int n, int c, double smoothing,
                                                                     const float* gLoss, float* gx) {
  const double spread = smoothing / c;
  for (int i = 0; i < n; i++) {
    const double g = gLoss[i];
    const float* p = probs + i * c;
    float* dst = gx + i * c;
    for (int j = 0; j < c; j++) dst[j] = static_cast<float>(g * (p[j] - spread));
    dst[target[i]] = static_cast<float>(g * (p[target[i]] - spread - (1 - smoothing)));
  }
}
