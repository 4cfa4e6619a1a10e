// The fused optimizer loops (no include guard: compiled once per instruction set, see optim-table.h).
// The same arithmetic as the rules' loops in src/optim/*.ts, which document the equations, in the parameter's
// dtype as PyTorch computes it, over the coefficients the rule computed for the step (k, in the order of the
// rule's Coefficients type). Options that change the loop's shape (a buffer on or off, a flag among the
// coefficients) are template flags, so every instantiation is a straight loop the compiler vectorizes.
#include "optim-table.h"

namespace minima {
namespace {

template <typename T, bool HasBuf, bool Nesterov, bool First>
void sgdLoop(T* p, const T* g, T* buf, int64_t n, T lr, T mu, T undamped, T wd, T sign) {
  for (int64_t i = 0; i < n; i++) {
    T d = sign * g[i] + wd * p[i];
    if (HasBuf) {
      const T b = First ? d : mu * buf[i] + undamped * d;
      buf[i] = b;
      d = Nesterov ? d + mu * b : b;
    }
    p[i] -= lr * d;
  }
}

// buffers: momentumBuffer. k: lr, momentum, 1 − dampening, weightDecay, sign, nesterov, first (src/optim/sgd.ts)
template <typename T>
void sgd(T* p, const T* g, T* const* buffers, int64_t n, const double* k) {
  const T lr = k[0], mu = k[1], undamped = k[2], wd = k[3], sign = k[4];
  const bool nesterov = k[5] != 0, first = k[6] != 0;
  T* buf = buffers[0];
  if (!buf) return sgdLoop<T, false, false, false>(p, g, buf, n, lr, mu, undamped, wd, sign);
  if (first) return nesterov ? sgdLoop<T, true, true, true>(p, g, buf, n, lr, mu, undamped, wd, sign)
                             : sgdLoop<T, true, false, true>(p, g, buf, n, lr, mu, undamped, wd, sign);
  nesterov ? sgdLoop<T, true, true, false>(p, g, buf, n, lr, mu, undamped, wd, sign)
           : sgdLoop<T, true, false, false>(p, g, buf, n, lr, mu, undamped, wd, sign);
}

template <typename T, bool Ams, bool Inside>
void adamLoop(T* p, const T* g, T* m, T* v, T* vMax, int64_t n, const double* k) {
  const T b1 = k[0], c1 = k[1], b2 = k[2], c2 = k[3], stepSize = k[4], bc2 = k[5], bc2Sqrt = k[6], eps = k[7], l2 = k[8],
          shrink = k[9], sign = k[10];
  for (int64_t i = 0; i < n; i++) {
    const T pi = p[i] * shrink;
    const T d = sign * g[i] + l2 * pi;
    const T mi = b1 * m[i] + c1 * d;
    T vi = b2 * v[i] + c2 * d * d;
    m[i] = mi;
    v[i] = vi;
    if (Ams) vMax[i] = vi = std::max(vMax[i], vi);
    p[i] = pi - stepSize * (mi / (Inside ? std::sqrt(vi / bc2 + eps) : std::sqrt(vi) / bc2Sqrt + eps));
  }
}

// buffers: expAvg, expAvgSq, maxExpAvgSq. k: b1, 1 − b1, b2, 1 − b2, stepSize, bc2, √bc2, eps, l2, shrink, sign,
// epsInsideSqrt (src/optim/adam.ts; AdamW's decoupled decay is in its coefficients, l2 0 and shrink 1 − lr·λ)
template <typename T>
void adam(T* p, const T* g, T* const* buffers, int64_t n, const double* k) {
  T *m = buffers[0], *v = buffers[1], *vMax = buffers[2];
  const bool inside = k[11] != 0;
  if (vMax) return inside ? adamLoop<T, true, true>(p, g, m, v, vMax, n, k) : adamLoop<T, true, false>(p, g, m, v, vMax, n, k);
  inside ? adamLoop<T, false, true>(p, g, m, v, vMax, n, k) : adamLoop<T, false, false>(p, g, m, v, vMax, n, k);
}

template <typename T, bool Centered, bool HasBuf, bool Inside>
void rmspropLoop(T* p, const T* g, T* v, T* avg, T* buf, int64_t n, const double* k) {
  const T lr = k[0], alpha = k[1], c = k[2], eps = k[3], wd = k[4], mu = k[5], sign = k[6];
  for (int64_t i = 0; i < n; i++) {
    const T d = sign * g[i] + wd * p[i];
    T vi = alpha * v[i] + c * d * d;
    v[i] = vi;
    if (Centered) {
      const T a = alpha * avg[i] + c * d;
      avg[i] = a;
      vi -= a * a;
    }
    const T step = d / (Inside ? std::sqrt(vi + eps) : std::sqrt(vi) + eps);
    if (HasBuf) {
      const T b = mu * buf[i] + step;
      buf[i] = b;
      p[i] -= lr * b;
    } else {
      p[i] -= lr * step;
    }
  }
}

// buffers: squareAvg, momentumBuffer, gradAvg. k: lr, alpha, 1 − alpha, eps, weightDecay, momentum, sign,
// epsInsideSqrt (src/optim/rmsprop.ts)
template <typename T>
void rmsprop(T* p, const T* g, T* const* buffers, int64_t n, const double* k) {
  T *v = buffers[0], *buf = buffers[1], *avg = buffers[2];
  const bool inside = k[7] != 0;
  using Loop = void (*)(T*, const T*, T*, T*, T*, int64_t, const double*);
  static constexpr Loop loops[8] = {
      rmspropLoop<T, false, false, false>, rmspropLoop<T, false, false, true>, rmspropLoop<T, false, true, false>,
      rmspropLoop<T, false, true, true>,   rmspropLoop<T, true, false, false>, rmspropLoop<T, true, false, true>,
      rmspropLoop<T, true, true, false>,   rmspropLoop<T, true, true, true>};
  loops[(avg ? 4 : 0) + (buf ? 2 : 0) + (inside ? 1 : 0)](p, g, v, avg, buf, n, k);
}

template <typename T, bool First, bool Inside>
void adagradLoop(T* p, const T* g, T* sum, int64_t n, const double* k) {
  const T clr = k[0], wd = k[1], eps = k[2], sign = k[3], h0 = k[4];
  for (int64_t i = 0; i < n; i++) {
    const T d = sign * g[i] + wd * p[i];
    const T h = (First ? h0 : sum[i]) + d * d;
    sum[i] = h;
    p[i] -= (clr * d) / (Inside ? std::sqrt(h + eps) : std::sqrt(h) + eps);
  }
}

// buffers: sum. k: clr, weightDecay, eps, sign, h0, first, epsInsideSqrt (src/optim/adagrad.ts)
template <typename T>
void adagrad(T* p, const T* g, T* const* buffers, int64_t n, const double* k) {
  T* sum = buffers[0];
  const bool first = k[5] != 0, inside = k[6] != 0;
  if (first) return inside ? adagradLoop<T, true, true>(p, g, sum, n, k) : adagradLoop<T, true, false>(p, g, sum, n, k);
  inside ? adagradLoop<T, false, true>(p, g, sum, n, k) : adagradLoop<T, false, false>(p, g, sum, n, k);
}

}  // namespace

const OptimKernel* MINIMA_OPTIM_KERNELS() {
  static const OptimKernel kernels[] = {
      {"SGD", 1, 0, 7, sgd<float>, sgd<double>},
      {"Adam", 3, 2, 12, adam<float>, adam<double>},
      {"AdamW", 3, 2, 12, adam<float>, adam<double>},
      {"RMSprop", 3, 1, 8, rmsprop<float>, rmsprop<double>},
      {"Adagrad", 1, 1, 7, adagrad<float>, adagrad<double>},
      {nullptr, 0, 0, 0, nullptr, nullptr},
  };
  return kernels;
}

}  // namespace minima
