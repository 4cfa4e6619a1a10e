// Batch norm's per-step bookkeeping for a captured step's plan: the batch count, the running statistics' update and
// 1/√(var + eps), the operations of src/backend/js/batch-norm-running.ts in its order (the native backend runs that
// file's functions eagerly), so the same bits.
#include <cmath>

#include "plan-js-kernels.h"

namespace minima {

void batchNormCountKernel(int32_t* count, double momentum, double* cell) {
  // += 1 wraps as an Int32Array's store does (no signed overflow).
  count[0] = static_cast<int32_t>(static_cast<uint32_t>(count[0]) + 1u);
  cell[0] = momentum >= 0 ? momentum : 1.0 / static_cast<double>(count[0]);
}

template <typename T>
void batchNormRunningKernel(T* runningMean, T* runningVar, const double* mean, const double* variance, int64_t c, double m,
                            const double* momentum) {
  const double k = momentum[0];
  for (int64_t j = 0; j < c; j++) {
    if (runningMean) runningMean[j] = static_cast<T>(k * mean[j] + (1 - k) * static_cast<double>(runningMean[j]));
    if (runningVar) runningVar[j] = static_cast<T>(k * ((variance[j] * m) / (m - 1)) + (1 - k) * static_cast<double>(runningVar[j]));
  }
}
template void batchNormRunningKernel<float>(float*, float*, const double*, const double*, int64_t, double, const double*);
template void batchNormRunningKernel<double>(double*, double*, const double*, const double*, int64_t, double, const double*);

template <typename T>
void batchNormInverseStdKernel(const T* variance, double eps, double* invstd, int64_t c) {
  for (int64_t j = 0; j < c; j++) invstd[j] = 1 / std::sqrt(static_cast<double>(variance[j]) + eps);
}
template void batchNormInverseStdKernel<float>(const float*, double, double*, int64_t);
template void batchNormInverseStdKernel<double>(const double*, double, double*, int64_t);

}  // namespace minima
