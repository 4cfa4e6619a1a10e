// matmul(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride), the contract of
// src/backend/kernels.ts: out[b] = op(A[b]) · op(B[b]), row-major. Float32Array and Float64Array; a, b and
// out share the dtype. Float64 runs on OpenBLAS's cblas_dgemm, the BLAS NumPy and PyTorch use; float32 on
// oneDNN's dnnl_sgemm where the addon is built with oneDNN, else cblas_sgemm. oneDNN generates its kernels
// for the CPU it runs on (AVX-512 where there is one), where OpenBLAS runs the kernels it detected or that
// OPENBLAS_CORETYPE names: on a Zen 5 core whose environment named Haswell's, the MLP's products ran at
// 250–275 GFLOP/s on one thread against OpenBLAS's 128–133 (BENCHMARKS.md).
//
// OpenBLAS runs single-threaded and minima's pool splits the work: each thread multiplies whole
// matrices of the batch or a band of one product's output. OpenBLAS's own threads spin for a while
// after each call and, on a small machine, starve the pool's threads of a core (measured on 2 cores:
// ReLU right after a GEMM 18x slower, a 32x9x43264 product 9x slower on two threads than on one), so
// the addon loads OpenBLAS with none (src/backend/native/addon.ts): 2 bands of a 512 product then run
// at 198 GFLOP/s, where with OpenBLAS's idle threads spinning they ran one after the other at 94.
// Each band is one BLAS call over the whole of k; the BLAS blocks a call by its shape, so results can
// differ in the last bits between thread counts (as PyTorch's do), and the same count gives the same bits.
#include <cblas.h>
#ifdef MINIMA_DNNL
#include <dnnl.h>
#include <omp.h>
#endif

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

// Work below this many multiply-adds per thread stays on one thread: waking the pool costs more.
constexpr int64_t kMinMacsPerThread = int64_t(1) << 20;
// Bands are multiples of this many rows or columns, so every band keeps OpenBLAS's full-width kernels.
constexpr int64_t kBandAlign = 16;

// One float32 product, row-major, on the calling thread: oneDNN's sgemm with its OpenMP threads set to one for
// the call (the pool is what splits the work; the thread's own setting, which the convolutions use, is restored).
void sgemm(CBLAS_ORDER order, CBLAS_TRANSPOSE transA, CBLAS_TRANSPOSE transB, int m, int n, int k, float alpha,
           const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) {
#ifdef MINIMA_DNNL
  const int ompThreads = omp_get_max_threads();
  if (ompThreads != 1) omp_set_num_threads(1);
  const dnnl_status_t status = dnnl_sgemm(transA == CblasTrans ? 'T' : 'N', transB == CblasTrans ? 'T' : 'N', m, n, k,
                                          alpha, a, lda, b, ldb, beta, c, ldc);
  if (ompThreads != 1) omp_set_num_threads(ompThreads);
  if (status == dnnl_success) return;
#endif
  cblas_sgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

template <typename T, typename Gemm>
void batchedGemm(Gemm gemm, const T* a, const T* b, T* out, int64_t batch, int64_t m, int64_t n, int64_t k,
                 bool transA, bool transB, int64_t aStride, int64_t bStride) {
  if (m == 0 || n == 0 || batch == 0) return;
  if (k == 0) { std::memset(out, 0, sizeof(T) * batch * m * n); return; }
  const int lda = transA ? m : k, ldb = transB ? k : n;
  // Bands of the larger output dim: the other operand, the smaller one, is what each band re-reads.
  const bool byRows = m > n;
  const int64_t span = byRows ? m : n;
  const int64_t threads = std::min<int64_t>(numThreads(), std::max<int64_t>(1, batch * m * n * k / kMinMacsPerThread));
  const int64_t bands = batch >= threads ? 1 : std::min<int64_t>((threads + batch - 1) / batch, (span + kBandAlign - 1) / kBandAlign);
  const int64_t bandSize = ((span + bands - 1) / bands + kBandAlign - 1) / kBandAlign * kBandAlign;
  auto run = [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; t++) {
      const int64_t i = t / bands, lo = (t % bands) * bandSize, hi = std::min(span, lo + bandSize);
      if (lo >= hi) continue;
      const T* ai = a + i * aStride;
      const T* bi = b + i * bStride;
      T* oi = out + i * m * n;
      if (byRows) { ai += transA ? lo : lo * lda; oi += lo * n; }
      else { bi += transB ? lo * ldb : lo; oi += lo; }
      gemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
           byRows ? hi - lo : m, byRows ? n : hi - lo, k, T(1), ai, lda, bi, ldb, T(0), oi, n);
    }
  };
  if (threads == 1) run(0, batch * bands);
  else parallelFor(batch * bands, 1, run);
}

}  // namespace

template <typename T>
void matmulKernel(const T* a, const T* b, T* out, int64_t batch, int64_t m, int64_t n, int64_t k, bool transA, bool transB,
                  int64_t aStride, int64_t bStride) {
  if constexpr (std::is_same_v<T, float>) batchedGemm<float>(sgemm, a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
  else batchedGemm<double>(cblas_dgemm, a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
}
template void matmulKernel<float>(const float*, const float*, float*, int64_t, int64_t, int64_t, int64_t, bool, bool, int64_t, int64_t);
template void matmulKernel<double>(const double*, const double*, double*, int64_t, int64_t, int64_t, int64_t, bool, bool, int64_t, int64_t);

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
    if (!args.failed) matmulKernel<float>(a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
  } else if (type == napi_float64_array) {
    const double* a = args.typed<double>(0, type, "a Float64Array");
    const double* b = args.typed<double>(1, type, "a Float64Array like argument 0");
    double* out = args.typed<double>(2, type, "a Float64Array like argument 0");
    if (!args.failed) matmulKernel<double>(a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
  } else {
    args.fail(0, "a Float32Array or Float64Array");
  }
  return nullptr;
}

}  // namespace minima
