// smoothActivation on float32 (src/backend/kernels.ts): SiLU, Softplus, ELU and Mish in the formulas of
// src/backend/js/smooth-activations.ts and native/src/smooth-activations.cc, each in double and rounded once;
// SiLU's and Mish's exp is the native float32 loops' vexp (native/src/smooth-exp.h: plain arithmetic, which
// SIMD128 runs two at a time), Softplus's and ELU's wasi-libc's libm. deriv, when not null, gets f'(x).
#include <cmath>

#include "../src/smooth-exp.h"
#include "export.h"

using minima::vexp;

namespace {

enum Smooth { kSilu, kSoftplus, kElu, kMish };

template <bool kDeriv>
void silu(const float* x, float* out, float* deriv, int n) {
  for (int i = 0; i < n; i++) {
    const double v = x[i], s = 1 / (1 + vexp(-v));
    out[i] = static_cast<float>(v * s);
    if (kDeriv) deriv[i] = static_cast<float>(s * (1 + v * (1 - s)));
  }
}

template <bool kDeriv>
void mish(const float* x, float* out, float* deriv, int n) {
  for (int i = 0; i < n; i++) {
    const double v = x[i], e = vexp(v), m = e * (e + 2), t = m / (m + 2);
    const bool linear = v > 20;
    out[i] = linear ? x[i] : static_cast<float>(v * t);
    if (kDeriv) deriv[i] = linear ? 1.0f : static_cast<float>(t + v * (e / (1 + e)) * (1 - t * t));
  }
}

void softplus(const float* x, float* out, float* deriv, int n, double beta, double threshold) {
  for (int i = 0; i < n; i++) {
    const double v = x[i], bv = v * beta;
    if (bv > threshold) {
      out[i] = x[i];
      if (deriv) deriv[i] = 1;
    } else {
      const double e = std::exp(bv);
      out[i] = static_cast<float>(std::log1p(e) / beta);
      if (deriv) deriv[i] = static_cast<float>(e / (1 + e));
    }
  }
}

void elu(const float* x, float* out, float* deriv, int n, double alpha) {
  for (int i = 0; i < n; i++) {
    const double v = x[i];
    if (v > 0) {
      out[i] = x[i];
      if (deriv) deriv[i] = 1;
    } else {
      const double em1 = std::expm1(v);
      out[i] = static_cast<float>(alpha * em1);
      if (deriv) deriv[i] = static_cast<float>(alpha * (em1 + 1));
    }
  }
}

}  // namespace

// op: the order of SMOOTH_OPS in src/backend/wasm/smooth-activations.ts (silu, softplus, elu, mish).
WASM_EXPORT(smooth_activation_f32) void smoothActivationF32(int op, const float* x, float* out, float* deriv, int n, double p0, double p1) {
  switch (op) {
    case kSilu: return deriv ? silu<true>(x, out, deriv, n) : silu<false>(x, out, deriv, n);
    case kSoftplus: return softplus(x, out, deriv, n, p0, p1);
    case kElu: return elu(x, out, deriv, n, p0);
    case kMish: return deriv ? mish<true>(x, out, deriv, n) : mish<false>(x, out, deriv, n);
    default: return;
  }
}
