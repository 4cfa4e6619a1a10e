// One set of threads for all of the addon's parallel work, GEMMs included: OpenMP's team where the addon links
// oneDNN (its convolutions run on that team too), else minima's own pool of workers. The BLAS runs
// single-threaded inside the chunks (gemm.cc says why), so minima never asks for more cores than the count the
// user chose.
#pragma once
#include <cstdint>
#include <functional>

namespace minima {

// The number of threads the pool uses (at least 1).
int numThreads();
// The pool's workers are started or stopped to match.
void setNumThreads(int n);

// Runs body(begin, end) over [0, n) in contiguous chunks, one per thread, the calling thread taking the
// first; runs inline when n < 2·grain or with one thread. Chunks are the same for the same n and
// thread count, so results are deterministic.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body);

}  // namespace minima
