// Max pooling of a float32 plane with AVX2: eight neighbouring windows of an output row are pooled
// together, each window element fetched for all eight by one gather. Windows of unequal width (clipped by
// padding or ceil mode) and a row's last few go through maxPoolRow. The comparisons are the scalar ones
// (take v when greater or NaN), lane by lane, in the same window order, so the results are identical.
#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC target("avx2,fma")
#include <immintrin.h>
#endif

#include "pool-max.h"

namespace minima {

#if defined(__x86_64__) && defined(__GNUC__)

namespace {

bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

// True when windows j … j+7 read the same number of columns.
bool sameWidth(const PoolWindowTables& w, int64_t j) {
  const int32_t width = w.ce[j] - w.cs[j];
  for (int64_t k = 1; k < 8; k++) {
    if (w.ce[j + k] - w.cs[j + k] != width) return false;
  }
  return true;
}

void maxPoolPlane(const float* plane, int64_t inW, const PoolWindowTables& w, float* out, int32_t* indices) {
  for (int64_t i = 0; i < w.outH; i++) {
    float* rowOut = out + i * w.outW;
    int32_t* rowAt = indices + i * w.outW;
    const int32_t r0 = w.rs[i] * int32_t(inW), r1 = w.re[i] * int32_t(inW), rowStep = int32_t(w.rowStep * inW);
    int64_t j = 0;
    for (; j + 8 <= w.outW; j += 8) {
      if (!sameWidth(w, j)) { maxPoolRow(plane, inW, w, i, j, j + 8, rowOut, rowAt); continue; }
      const int32_t width = w.ce[j] - w.cs[j];
      const __m256i starts = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.cs + j));
      __m256i at = _mm256_add_epi32(starts, _mm256_set1_epi32(r0));
      __m256 max = _mm256_i32gather_ps(plane, at, 4);
      for (int32_t r = r0; r < r1; r += rowStep) {
        for (int32_t c = 0; c < width; c += int32_t(w.colStep)) {
          const __m256i q = _mm256_add_epi32(starts, _mm256_set1_epi32(r + c));
          const __m256 v = _mm256_i32gather_ps(plane, q, 4);
          const __m256 take = _mm256_or_ps(_mm256_cmp_ps(v, max, _CMP_GT_OQ), _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
          max = _mm256_blendv_ps(max, v, take);
          at = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(at), _mm256_castsi256_ps(q), take));
        }
      }
      _mm256_storeu_ps(rowOut + j, max);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(rowAt + j), at);
    }
    maxPoolRow(plane, inW, w, i, j, w.outW, rowOut, rowAt);
  }
}

}  // namespace

MaxPoolPlaneF32 maxPoolPlaneF32Avx2() { return hasAvx2() ? maxPoolPlane : nullptr; }

#else

MaxPoolPlaneF32 maxPoolPlaneF32Avx2() { return nullptr; }

#endif

}  // namespace minima
