// The fused optimizer updates behind one napi entry, optimizerStep (optim.cc): each is a loop over flat arrays
// that takes the parameter, its gradient, the rule's state buffers and the coefficients the rule computed for
// this step (src/optim/<rule>.ts, its `coefficients`), in the orders the rule declares them. optim-loops.h is
// compiled once per instruction set (optim-avx2.cc, optim-base.cc) and optimKernel() picks this CPU's build.
#pragma once
#include <cstdint>

namespace minima {

// buffers: the rule's state buffers in its order, nullptr for one its options leave off.
template <typename T>
using OptimLoop = void (*)(T* p, const T* g, T* const* buffers, int64_t n, const double* k);

// The most state buffers and coefficients any loop takes.
constexpr int kMaxOptimBuffers = 3;
constexpr int kMaxOptimCoefficients = 16;

// A fused update, registered under the name of each rule whose loop it is (src/optim rules' `name`): its
// state buffers, the first `required` of which are always on, and how many coefficients it reads.
struct OptimKernel {
  const char* rule;
  int buffers;
  int required;
  int coefficients;
  OptimLoop<float> f32;
  OptimLoop<double> f64;
};

// The kernels of one build, ending with a null rule.
const OptimKernel* optimKernelsAvx2();
const OptimKernel* optimKernelsBase();
// This CPU's kernel for a rule, or nullptr when none fuses it.
const OptimKernel* optimKernel(const char* rule);

}  // namespace minima
