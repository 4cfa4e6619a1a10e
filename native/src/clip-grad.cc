// Gradient clipping for a captured step's plan: the operations of src/backend/js/clip-grad.ts in its order (the
// native backend runs that file's functions eagerly), so the same bits. The p-norm only for p = 1, 2 and ∞, whose
// operations (sums, products, sqrt, max) are correctly rounded everywhere; V8's pow is not the C library's.
#include <cmath>
#include <limits>

#include "plan-js-kernels.h"

namespace minima {

namespace {

// The total norm, as gradNorm in clip-grad.ts.
template <typename T>
double gradNorm(T* const* grads, const int64_t* lengths, int64_t count, double p) {
  double acc = 0;
  if (std::isinf(p)) {
    for (int64_t a = 0; a < count; a++) {
      for (int64_t i = 0; i < lengths[a]; i++) {
        const double v = std::fabs(static_cast<double>(grads[a][i]));
        // Math.max: a NaN on either side gives NaN.
        acc = std::isnan(acc) || std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : (v > acc ? v : acc);
      }
    }
    return acc;
  }
  for (int64_t a = 0; a < count; a++) {
    double s = 0;
    if (p == 2) {
      for (int64_t i = 0; i < lengths[a]; i++) { const double v = grads[a][i]; s += v * v; }
      const double norm = std::sqrt(s);
      acc += norm * norm;
    } else {
      for (int64_t i = 0; i < lengths[a]; i++) s += std::fabs(static_cast<double>(grads[a][i]));
      acc += s;
    }
  }
  return p == 2 ? std::sqrt(acc) : acc;
}

}  // namespace

template <typename T>
void clipGradNormKernel(T* const* grads, const int64_t* lengths, int64_t count, double maxNorm, double p, double* total) {
  const double norm = gradNorm(grads, lengths, count, p);
  total[0] = norm;
  const double q = maxNorm / (norm + 1e-6);
  const double coef = std::isnan(q) || q < 1 ? q : 1.0;  // Math.min(q, 1)
  if (coef == 1) return;
  for (int64_t a = 0; a < count; a++) {
    for (int64_t i = 0; i < lengths[a]; i++) grads[a][i] = static_cast<T>(static_cast<double>(grads[a][i]) * coef);
  }
}
template void clipGradNormKernel<float>(float* const*, const int64_t*, int64_t, double, double, double*);
template void clipGradNormKernel<double>(double* const*, const int64_t*, int64_t, double, double, double*);

template <typename T>
void clipGradValueKernel(T* const* grads, const int64_t* lengths, int64_t count, double clipValue) {
  for (int64_t a = 0; a < count; a++) {
    for (int64_t i = 0; i < lengths[a]; i++) {
      const double v = grads[a][i];
      if (v > clipValue) grads[a][i] = static_cast<T>(clipValue);
      else if (v < -clipValue) grads[a][i] = static_cast<T>(-clipValue);
    }
  }
}
template void clipGradValueKernel<float>(float* const*, const int64_t*, int64_t, double);
template void clipGradValueKernel<double>(double* const*, const int64_t*, int64_t, double);

}  // namespace minima
