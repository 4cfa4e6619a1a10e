// The fused optimizer updates (Kernels.optimizerStep) on float32: the native backend's own loops
// (native/src/optim-loops.h: every operation in float32 as torch computes it) over the rule's coefficients.
#include <algorithm>
#include <cmath>

#define MINIMA_OPTIM_KERNELS optimKernelsWasm
#include "../src/optim-loops.h"
#include "export.h"

// Runs rule number `rule` (its place in optim-loops.h's table, which src/backend/wasm/optimizer.ts lists) over p, g
// and the buffers (0 where off) with `count` coefficients k; returns 0, running nothing, when the rule is not in the
// table, the count is not the rule's or a buffer it needs is missing.
WASM_EXPORT(optimizer_step_f32) int optimizerStepF32(int rule, float* p, const float* g, float* b0, float* b1, float* b2, const double* k,
                                                    int count, int n) {
  const minima::OptimKernel* kernels = minima::optimKernelsWasm();
  for (int i = 0; i < rule; i++) if (!kernels[i].rule) return 0;
  const minima::OptimKernel& kernel = kernels[rule];
  if (!kernel.rule || count != kernel.coefficients) return 0;
  float* buffers[3] = {b0, b1, b2};
  for (int j = 0; j < kernel.required; j++) if (!buffers[j]) return 0;
  kernel.f32(p, g, buffers, n, k);
  return 1;
}
