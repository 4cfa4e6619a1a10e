// smoothActivation on float32 (src/backend/kernels.ts): SiLU, Softplus, ELU and Mish through the native build's
// loops (native/src/smooth-loops.h, in the formulas of src/backend/js/smooth-activations.ts), each in double and rounded once;
// SiLU's and Mish's exp is the native float32 loops' vexp (native/src/smooth-exp.h: plain arithmetic, which
// SIMD128 runs two at a time), Softplus's and ELU's wasi-libc's libm. deriv, when not null, gets f'(x).
#include <cmath>

#include "../src/smooth-exp.h"
#include "../src/smooth-loops.h"
#include "export.h"

using minima::eluLoop;
using minima::mishLoop;
using minima::siluLoop;
using minima::softplusLoop;
using minima::vexp;

namespace {

enum Smooth { kSilu, kSoftplus, kElu, kMish };

}  // namespace

// op: the order of SMOOTH_OPS in src/backend/wasm/smooth-activations.ts (silu, softplus, elu, mish).
WASM_EXPORT(smooth_activation_f32) void smoothActivationF32(int op, const float* x, float* out, float* deriv, int n, double p0, double p1) {
  switch (op) {
    case kSilu: return deriv ? siluLoop<float, true, vexp>(x, out, deriv, n) : siluLoop<float, false, vexp>(x, out, deriv, n);
    case kSoftplus: return softplusLoop(x, out, deriv, n, p0, p1);
    case kElu: return eluLoop(x, out, deriv, n, p0);
    case kMish: return deriv ? mishLoop<float, true, vexp>(x, out, deriv, n) : mishLoop<float, false, vexp>(x, out, deriv, n);
    default: return;
  }
}
