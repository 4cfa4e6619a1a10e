// matmul(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride), float32, the contract of
// src/backend/kernels.ts. A plain triple loop for now: the packed, K-blocked SIMD128 product replaces it.
#include "export.h"

WASM_EXPORT(matmul_f32) void matmulF32(const float* a, const float* b, float* out, int batch, int m, int n, int k,
                                       int transA, int transB, int aStride, int bStride) {
  for (int t = 0; t < batch; t++) {
    const float* A = a + t * aStride;
    const float* B = b + t * bStride;
    float* C = out + t * m * n;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) s += (transA ? A[p * m + i] : A[i * k + p]) * (transB ? B[j * k + p] : B[p * n + j]);
        C[i * n + j] = s;
      }
    }
  }
}
