// The kernels as plain C++ functions, for a captured step's plan (plan.cc), which calls them without Node-API.
// Each is the function its napi entry point runs once it has read its arguments, so a plan's call and an
// eager call compute the same bits. Templates are instantiated for float and double in their files.
#pragma once
#include <cstdint>
#include <vector>

#include "elementwise-table.h"
#include "optim-table.h"
#include "pool-max.h"

namespace minima {

using Shape64 = std::vector<int64_t>;

// gemm.cc
template <typename T>
void matmulKernel(const T* a, const T* b, T* out, int64_t batch, int64_t m, int64_t n, int64_t k, bool transA, bool transB,
                  int64_t aStride, int64_t bStride);

// elementwise.cc: x and out of length n; a, b and out of their lengths, broadcast to outShape.
template <typename T>
void unaryKernel(Unary op, const T* x, T* out, int64_t n, double param);
template <typename T>
void binaryKernel(Binary op, const T* a, int64_t aLen, const Shape64& aShape, const T* b, int64_t bLen, const Shape64& bShape, T* out,
                  int64_t n, const Shape64& outShape);

// bias-activation.cc
template <typename T>
void biasActivationKernel(const T* x, int64_t n, int64_t c, int64_t l, bool channelsFirst, const T* bias, bool relu, T* out);
template <typename T>
void biasActivationBackwardKernel(const T* gy, const T* out, int64_t n, int64_t c, int64_t l, bool channelsFirst, bool relu, T* gx,
                                  T* gBias);

// cross-entropy.cc
template <typename T>
void crossEntropyKernel(const T* x, int64_t n, int64_t c, const int32_t* target, double smoothing, T* loss, T* probs);
template <typename T>
void crossEntropyBackwardKernel(const T* probs, const int32_t* target, int64_t n, int64_t c, double smoothing, const T* gLoss, T* gx);

// reduce.cc: op 0 sum, 1 max, 2 min (the codes of reduce's napi entry).
template <typename T>
void reduceKernel(int op, const T* x, int64_t outer, int64_t size, int64_t inner, T* out);
template <typename T>
void softmaxKernel(const T* x, int64_t outer, int64_t size, int64_t inner, T* out, bool log);

// conv.cc: geometry = the 13 integers of a ConvGeometry.
template <typename T>
void im2colKernel(const T* x, int64_t n, const int64_t* geometry, T* cols);
template <typename T>
void col2imKernel(const T* cols, int64_t n, const int64_t* geometry, T* out);

// layout.cc and pool-avg.cc
template <typename T>
void permuteKernel(const T* x, const Shape64& shape, const Shape64& perm, T* out);
template <typename T>
void maxPool2dKernel(const T* x, int64_t planes, int64_t inH, int64_t inW, const PoolWindowTables& windows, T* out, int32_t* indices);
template <typename T>
void maxPool2dBackwardKernel(const T* gy, const int32_t* indices, int64_t planes, int64_t inPlane, int64_t outPlane, T* gx);
// The windows of an average pooling: starts, ends and counts per output row and column (step 1).
struct AvgPoolWindows {
  const int32_t *rowStart, *rowEnd, *rowCount, *colStart, *colEnd, *colCount;
  int64_t outH, outW;
  double divisorOverride;
};
template <typename T>
void avgPool2dKernel(const T* x, int64_t planes, int64_t inH, int64_t inW, const AvgPoolWindows& windows, T* out);
template <typename T>
void avgPool2dBackwardKernel(const T* gy, int64_t planes, int64_t inH, int64_t inW, const AvgPoolWindows& windows, T* gx);

// batch-norm.cc
template <typename T>
void batchNormStatsKernel(const T* x, int64_t n, int64_t c, int64_t s, double* mean, double* variance);
template <typename T>
void batchNormForwardKernel(const T* x, int64_t n, int64_t c, int64_t s, const double* mean, const double* invstd, const T* weight,
                            const T* bias, T* out);
template <typename T>
void batchNormBackwardKernel(const T* gy, const T* x, int64_t n, int64_t c, int64_t s, const double* mean, const double* invstd,
                             const T* weight, bool training, T* gx, T* gWeight, T* gBias);

// smooth-activations.cc: op is the code of enum Smooth there (silu, softplus, elu, mish).
template <typename T>
void smoothActivationKernel(int op, const T* x, T* out, T* deriv, int64_t n, double p0, double p1);

// normalize-groups.cc
template <typename T>
void normalizeGroupsForwardKernel(const T* x, int64_t n, int64_t groups, int64_t cpg, int64_t spatial, const T* weight, const T* bias,
                                  double eps, double* mean, double* invstd, T* out);
template <typename T>
void normalizeGroupsBackwardKernel(const T* gy, const T* x, int64_t n, int64_t groups, int64_t cpg, int64_t spatial, const T* weight,
                                   const double* mean, const double* invstd, T* gx, double* gWeight, double* gBias);

// optim.cc: the kernel's loop over p, g and its buffers (nullptr where off), split across the pool.
template <typename T>
void optimizerKernel(const OptimKernel& kernel, T* p, const T* g, T* const* buffers, int64_t n, const double* k);

#if defined(MINIMA_DNNL)
// conv-dnnl.cc: false where oneDNN does not take the geometry (nothing is written then).
bool conv2dForwardKernel(const float* x, const float* w, const float* bias, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry,
                         bool relu, float* out);
bool conv2dBackwardDataKernel(const float* gy, const float* w, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry, float* gx);
bool conv2dBackwardWeightsKernel(const float* gy, const float* x, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry, float* gw,
                                 float* gb);
// The convolution, ReLU and max pooling in one pass, and its backward (false where it declines).
bool conv2dForwardReluMaxPoolKernel(const float* x, const float* w, const float* bias, int64_t n, int64_t cOut, int64_t groups,
                                    const int64_t* geometry, const PoolWindowTables& windows, float* out, int32_t* indices);
bool conv2dBackwardReluMaxPoolKernel(const float* gy, const float* pooled, const int32_t* indices, int64_t outPlane, const float* x,
                                     const float* w, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry, float* gx, float* gw,
                                     float* gb);
#endif

}  // namespace minima
