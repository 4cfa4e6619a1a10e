// The fused optimizer loops, per dtype, behind a table of function pointers: optim-loops.h is compiled
// once per instruction set (optim-avx2.cc, optim-base.cc) and optimTable() picks the build this CPU runs.
// Scalars come in k[] in the order each napi entry point in optim.cc documents.
#pragma once
#include <cstdint>

namespace minima {

template <typename T>
struct OptimLoops {
  void (*sgd)(T* p, const T* g, T* buf, int64_t n, const double* k, bool nesterov, bool first);
  void (*adam)(T* p, const T* g, T* m, T* v, T* vMax, int64_t n, const double* k, bool epsInside);
  void (*rmsprop)(T* p, const T* g, T* v, T* avg, T* buf, int64_t n, const double* k, bool epsInside);
  void (*adagrad)(T* p, const T* g, T* sum, int64_t n, const double* k, bool first, bool epsInside);
};

struct OptimTable {
  OptimLoops<float> f32;
  OptimLoops<double> f64;
};

const OptimTable& optimTableAvx2();
const OptimTable& optimTableBase();
const OptimTable& optimTable();

}  // namespace minima
