// Max pooling's inner loops over one plane (layout.cc runs them across planes): a portable one for any
// type, and an AVX2 one for float32 that pools eight windows of an output row at once (pool-avx2.cc).
// Both pick the winner of src/backend/js/pool.ts: the first maximum in row-major window order, a NaN
// over any number, and the last NaN where there are several.
#pragma once
#include <cstdint>
#include <cstring>

namespace minima {

// The windows of one pooling call: output row i reads input rows rs[i], rs[i] + rowStep, … below re[i];
// output column j reads columns cs[j], cs[j] + colStep, … below ce[j].
struct PoolWindowTables {
  const int32_t *rs, *re, *cs, *ce;
  int64_t outH, outW, rowStep, colStep;
};

template <typename T> struct SameSizeUint;
template <> struct SameSizeUint<float> { using type = uint32_t; };
template <> struct SameSizeUint<double> { using type = uint64_t; };

// (max, at) becomes (v, q) when v is greater or NaN. Selected with bit masks: compilers turn the plain
// comparison into jumps, and on data those mispredict half the time (measured 2x slower on 2x2 windows).
template <typename T>
inline void keepMax(T v, int64_t q, T& max, int64_t& at) {
  using U = typename SameSizeUint<T>::type;
  const int64_t take = -int64_t((v > max) | (v != v));
  U vBits, maxBits;
  std::memcpy(&vBits, &v, sizeof(T));
  std::memcpy(&maxBits, &max, sizeof(T));
  maxBits = (vBits & U(take)) | (maxBits & ~U(take));
  std::memcpy(&max, &maxBits, sizeof(T));
  at = (q & take) | (at & ~take);
}

// Pools output row i, columns [j0, j1), of one plane [inH, inW] into out and indices (that row's start).
template <typename T>
void maxPoolRow(const T* plane, int64_t inW, const PoolWindowTables& w, int64_t i, int64_t j0, int64_t j1, T* out, int32_t* indices) {
  const int64_t r0 = int64_t(w.rs[i]) * inW, r1 = int64_t(w.re[i]) * inW;
  for (int64_t j = j0; j < j1; j++) {
    const int64_t c0 = w.cs[j], c1 = w.ce[j];
    int64_t at = r0 + c0;
    T max = plane[at];
    for (int64_t r = r0; r < r1; r += w.rowStep * inW) {
      for (int64_t q = r + c0; q < r + c1; q += w.colStep) keepMax(plane[q], q, max, at);
    }
    out[j] = max;
    indices[j] = static_cast<int32_t>(at);
  }
}

// The AVX2 plane loop, or null where the CPU lacks AVX2.
using MaxPoolPlaneF32 = void (*)(const float* plane, int64_t inW, const PoolWindowTables& w, float* out, int32_t* indices);
MaxPoolPlaneF32 maxPoolPlaneF32Avx2();

}  // namespace minima
