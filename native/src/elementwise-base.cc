// The elementwise loops for the portable baseline.
#include <cmath>
#define MINIMA_ELEMENTWISE_TABLE elementwiseTableBase
#include "elementwise-loops.h"
