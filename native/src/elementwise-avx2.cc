// The elementwise loops built for AVX2 + FMA; elementwiseTable() uses them where the CPU has both.
#include <cmath>
#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif
#define MINIMA_ELEMENTWISE_TABLE elementwiseTableAvx2
#include "elementwise-loops.h"
