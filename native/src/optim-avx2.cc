// The optimizer loops built for AVX2 + FMA (Haswell and later); optimKernel() uses them where the CPU has both.
#include <algorithm>
#include <cmath>
#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif
#define MINIMA_OPTIM_KERNELS optimKernelsAvx2
#include "optim-loops.h"
