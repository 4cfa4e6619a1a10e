// pool-blocked.h's ReLU + max pooling with AVX2: eight channels of a block at once (two steps for a block of 16),
// relu (v < 0 ? 0 : v) and maxPool2d's comparisons (pool-max.h's keepMax: take where greater or NaN) as bit masks,
// in maxPool2d's window order, so values and indices are maxPool2d's over relu's.
#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif

#include "pool-blocked.h"

namespace minima {

#if defined(__x86_64__) && defined(__GNUC__)

namespace {

typedef float F8 __attribute__((vector_size(32)));
typedef int32_t I8 __attribute__((vector_size(32)));

template <int CB>
void block(const float* y, const BlockedMaps& m, const PoolWindowTables& w, int64_t b, int64_t k, float* out, int32_t* indices) {
  const float* in = y + (b * m.blocks() + k) * m.blockSize();
  const int64_t outPlane = w.outH * w.outW, lanes = std::min<int64_t>(CB, m.c - k * CB);
  const int64_t first = (b * m.c + k * CB) * outPlane;
  const F8 zero = {};
  for (int64_t i = 0; i < w.outH; i++) {
    for (int64_t j = 0; j < w.outW; j++) {
      F8 max[CB / 8];
      I8 at[CB / 8];
      const int32_t q0 = w.rs[i] * int32_t(m.w) + w.cs[j];
      for (int h = 0; h < CB / 8; h++) {
        std::memcpy(&max[h], in + int64_t(q0) * CB + 8 * h, sizeof(F8));
        max[h] = F8(I8(max[h]) & ~I8(max[h] < zero));
        at[h] = I8{} + q0;
      }
      for (int32_t r = w.rs[i]; r < w.re[i]; r += int32_t(w.rowStep)) {
        for (int32_t col = w.cs[j]; col < w.ce[j]; col += int32_t(w.colStep)) {
          const int32_t q = r * int32_t(m.w) + col;
          for (int h = 0; h < CB / 8; h++) {
            F8 v;
            std::memcpy(&v, in + int64_t(q) * CB + 8 * h, sizeof(F8));
            v = F8(I8(v) & ~I8(v < zero));
            const I8 take = I8(v > max[h]) | I8(v != v);
            max[h] = F8((I8(v) & take) | (I8(max[h]) & ~take));
            at[h] = ((I8{} + q) & take) | (at[h] & ~take);
          }
        }
      }
      const int64_t o = first + i * w.outW + j;
      for (int64_t l = 0; l < lanes; l++) out[o + l * outPlane] = max[l / 8][l % 8], indices[o + l * outPlane] = at[l / 8][l % 8];
    }
  }
}

bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

}  // namespace

ReluMaxPoolBlockF32 reluMaxPoolBlockAvx2(int cb) {
  static const bool avx2 = hasAvx2();
  if (!avx2) return nullptr;
  return cb == 16 ? block<16> : cb == 8 ? block<8> : nullptr;
}

#else

ReluMaxPoolBlockF32 reluMaxPoolBlockAvx2(int) { return nullptr; }

#endif

}  // namespace minima
