// The kernels the native backend leaves to js (src/backend/js/layout.ts and elementwise.ts), in C++ for a
// captured step's plan (plan-js-kernels.cc): the same walks over the same elements, so the same bits.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace minima {

using Shape64 = std::vector<int64_t>;

// Copies move elements of `bytes` bytes (4 or 8) as they are: x and out share a dtype, any of the three.
// out (outShape) = x (shape, padded to outShape's rank) broadcast.
void expandKernel(const void* x, size_t bytes, const Shape64& shape, void* out, const Shape64& outShape);
// out (outShape) = the window of x (shape) at starts with steps.
void sliceKernel(const void* x, size_t bytes, const Shape64& shape, const Shape64& starts, const Shape64& steps, void* out,
                 const Shape64& outShape);
// out (indexShape) = x (shape) gathered along dim at index (torch.gather).
void gatherKernel(const void* x, size_t bytes, const Shape64& shape, int64_t dim, const int32_t* index, const Shape64& indexShape, void* out);
// out[i] = cond[i] ≠ 0 ? a[i] : b[i] for i < n; C is cond's element type.
template <typename C>
void whereKernel(const C* cond, const void* a, const void* b, size_t bytes, void* out, int64_t n);

// Additions, one per element in js's order, each rounded to T as `out[i] += v` on a typed array rounds it.
// The window of out (shape) at starts with steps += src (srcShape).
template <typename T>
void sliceAddKernel(const T* src, const Shape64& srcShape, T* out, const Shape64& shape, const Shape64& starts, const Shape64& steps);
// out (shape) += src (indexShape) scattered along dim at index (torch.scatter_add_).
template <typename T>
void scatterAddKernel(T* out, const Shape64& shape, int64_t dim, const int32_t* index, const Shape64& indexShape, const T* src);
// out = x < lo ? lo : x > hi ? hi : x, compared in double (a NaN stays NaN).
template <typename T>
void clampKernel(const T* x, T* out, int64_t n, double lo, double hi);

// batch-norm-running.cc (src/backend/js/batch-norm-running.ts): count[0] += 1 and cell[0] = momentum, or 1/count when
// momentum is negative (null in js); the running statistics' update over c channels with k = momentum[0] (a null
// array left out); invstd = 1/√(variance + eps) over c channels.
void batchNormCountKernel(int32_t* count, double momentum, double* cell);
template <typename T>
void batchNormRunningKernel(T* runningMean, T* runningVar, const double* mean, const double* variance, int64_t c, double m,
                            const double* momentum);
template <typename T>
void batchNormInverseStdKernel(const T* variance, double eps, double* invstd, int64_t c);

// clip-grad.cc (src/backend/js/clip-grad.ts), over `count` gradients of these lengths: clipping by the total p-norm
// (p 1, 2 or ∞ only), which is written to total[0], and by value.
template <typename T>
void clipGradNormKernel(T* const* grads, const int64_t* lengths, int64_t count, double maxNorm, double p, double* total);
template <typename T>
void clipGradValueKernel(T* const* grads, const int64_t* lengths, int64_t count, double clipValue);

}  // namespace minima
