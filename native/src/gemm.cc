// matmul(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride), the contract of
// src/backend/kernels.ts: out[b] = op(A[b]) · op(B[b]), row-major, through OpenBLAS's cblas_?gemm,
// the BLAS NumPy and PyTorch use. Float32Array and Float64Array; a, b and out share the dtype.
#include <cblas.h>
#include <cstring>

#include "kernels.h"
#include "napi-args.h"

namespace minima {

template <typename T, typename Gemm>
static void batchedGemm(Gemm gemm, const T* a, const T* b, T* out, int64_t batch, int64_t m, int64_t n, int64_t k,
                        bool transA, bool transB, int64_t aStride, int64_t bStride) {
  if (m == 0 || n == 0) return;
  if (k == 0) { std::memset(out, 0, sizeof(T) * batch * m * n); return; }
  const int lda = transA ? m : k, ldb = transB ? k : n;
  for (int64_t i = 0; i < batch; i++) {
    gemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, T(1),
         a + i * aStride, lda, b + i * bStride, ldb, T(0), out + i * m * n, n);
  }
}

napi_value Gemm(napi_env env, napi_callback_info info) {
  Args args(env, info, "matmul");
  const napi_typedarray_type type = args.typeOf(0);
  const int64_t batch = args.integer(3), m = args.integer(4), n = args.integer(5), k = args.integer(6);
  const bool transA = args.boolean(7), transB = args.boolean(8);
  const int64_t aStride = args.integer(9), bStride = args.integer(10);
  if (type == napi_float32_array) {
    const float* a = args.typed<float>(0, type, "a Float32Array");
    const float* b = args.typed<float>(1, type, "a Float32Array like argument 0");
    float* out = args.typed<float>(2, type, "a Float32Array like argument 0");
    if (!args.failed) batchedGemm<float>(cblas_sgemm, a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
  } else if (type == napi_float64_array) {
    const double* a = args.typed<double>(0, type, "a Float64Array");
    const double* b = args.typed<double>(1, type, "a Float64Array like argument 0");
    double* out = args.typed<double>(2, type, "a Float64Array like argument 0");
    if (!args.failed) batchedGemm<double>(cblas_dgemm, a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
  } else {
    args.fail(0, "a Float32Array or Float64Array");
  }
  return nullptr;
}

}  // namespace minima
