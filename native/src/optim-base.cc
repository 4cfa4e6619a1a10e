// The optimizer loops for the portable baseline (x86-64 SSE2, or any other CPU).
#include <algorithm>
#include <cmath>
#define MINIMA_OPTIM_KERNELS optimKernelsBase
#include "optim-loops.h"
