// The smooth activations' loops (SiLU, Softplus, ELU, Mish), shared by the native addon
// (smooth-activations.cc) and the wasm module (native/wasm/smooth-activations.cc), in the formulas of
// src/backend/js/smooth-activations.ts: each in double, rounded once to T. deriv, when not null, gets f'(x).
#pragma once
#include <cmath>
#include <cstdint>

namespace minima {
// Internal linkage, as the callers' own loops had: each caller inlines them into its own target clones.
namespace {

// σ-based loops take the exp as Exp (glibc's, or smooth-exp.h's vectorizable vexp, whose last-bit differences
// the float32 rounding hides). Selects rather than branches, so the float32 loops vectorize.
template <typename T, bool kDeriv, double (*Exp)(double)>
void siluLoop(const T* x, T* out, T* deriv, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const double v = x[i], s = 1 / (1 + Exp(-v));
    out[i] = static_cast<T>(v * s);
    if (kDeriv) deriv[i] = static_cast<T>(s * (1 + v * (1 - s)));
  }
}

template <typename T, bool kDeriv, double (*Exp)(double)>
void mishLoop(const T* x, T* out, T* deriv, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    // tanh(log1p(e)) = m / (m + 2) with m = e·(e + 2), e = e^v: one exp for all (the js loop says why); past 20,
    // where tanh(softplus(v)) rounds to 1 in double, v itself and f' = 1.
    const double v = x[i], e = Exp(v), m = e * (e + 2), t = m / (m + 2);
    const bool linear = v > 20;
    out[i] = linear ? x[i] : static_cast<T>(v * t);
    if (kDeriv) deriv[i] = linear ? T(1) : static_cast<T>(t + v * (e / (1 + e)) * (1 - t * t));
  }
}

template <typename T>
void softplusLoop(const T* x, T* out, T* deriv, int64_t n, double beta, double threshold) {
  for (int64_t i = 0; i < n; i++) {
    const double v = x[i], bv = v * beta;
    if (bv > threshold) {
      out[i] = x[i];
      if (deriv) deriv[i] = 1;
    } else {
      const double e = std::exp(bv);
      out[i] = static_cast<T>(std::log1p(e) / beta);
      if (deriv) deriv[i] = static_cast<T>(e / (1 + e));
    }
  }
}

template <typename T>
void eluLoop(const T* x, T* out, T* deriv, int64_t n, double alpha) {
  for (int64_t i = 0; i < n; i++) {
    const double v = x[i];
    if (v > 0) {
      out[i] = x[i];
      if (deriv) deriv[i] = 1;
    } else {
      const double em1 = std::expm1(v);
      out[i] = static_cast<T>(alpha * em1);
      if (deriv) deriv[i] = static_cast<T>(alpha * (em1 + 1));
    }
  }
}

}  // namespace
}  // namespace minima
