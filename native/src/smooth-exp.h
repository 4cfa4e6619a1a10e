#pragma once
// exp(a) in double for the float32 loops, in plain arithmetic the compiler vectorizes (glibc's exp is a call
// per element): a = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite, ln2 split so k·LN2_HI is exact), e^r by its
// Taylor series to r¹³ (truncation < 5e-18 relative), times 2^k built in the exponent bits. Within 1 double ulp
// of glibc's exp (2·10⁷ points of [−750, 712], subnormal results included), far inside float32's rounding.
// Past the double range it gives exactly 0 or +∞, and NaN for NaN, as std::exp.
#include <cstdint>
#include <cstring>

namespace minima {
namespace {

inline double vexp(double a) {
  constexpr double kLog2e = 1.4426950408889634, kShift = 0x1.8p52;
  constexpr double kLn2Hi = 0x1.62e42fefa3800p-1, kLn2Lo = 0x1.ef35793c7673p-45;
  double c = a < -746.0 ? -746.0 : a;  // NaN stays NaN
  c = c > 710.0 ? 710.0 : c;
  const double t = c * kLog2e + kShift, k = t - kShift;
  const double r = (c - k * kLn2Hi) - k * kLn2Lo;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  uint64_t bits, shift;
  std::memcpy(&bits, &t, sizeof bits);
  std::memcpy(&shift, &kShift, sizeof shift);
  // 2^k, built as 2^(k−j)·2^j with j = 1 near overflow and −64 near underflow, so 2^(k−j) stays a normal double.
  const bool high = c > 700.0, low = c < -700.0;
  uint64_t j = high ? 1 : 0;
  j = low ? static_cast<uint64_t>(-64) : j;
  const uint64_t scaleBits = (bits - shift + 1023 - j) << 52;
  double scale;
  std::memcpy(&scale, &scaleBits, sizeof scale);
  const uint64_t fBits = (1023 + j) << 52;  // 2^j
  double f;
  std::memcpy(&f, &fBits, sizeof f);
  double e = p * scale * f;
  e = a < -746.0 ? 0.0 : e;
  return a > 710.0 ? __builtin_inf() : e;
}

}  // namespace
}  // namespace minima
