// What the addon reports about the machine (SIMD level, threads), and the one thread setting: the pool's,
// which runs OpenBLAS's products too, so the two never oversubscribe the cores together.
#include <cblas.h>
#include <cstring>
#include <thread>

#include "kernels.h"
#include "napi-args.h"
#include "elementwise-table.h"
#include "optim-table.h"
#include "thread-pool.h"

namespace minima {

static bool hasAvx2Fma() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

// The instruction set minima's own loops run with (OpenBLAS picks its own kernels at run time).
static const char* simdLevel() { return hasAvx2Fma() ? "avx2+fma" : "baseline"; }

const ElementwiseTable& elementwiseTable() {
  static const ElementwiseTable& table = hasAvx2Fma() ? elementwiseTableAvx2() : elementwiseTableBase();
  return table;
}

const OptimKernel* optimKernel(const char* rule) {
  static const OptimKernel* const kernels = hasAvx2Fma() ? optimKernelsAvx2() : optimKernelsBase();
  for (const OptimKernel* k = kernels; k->rule; k++) {
    if (std::strcmp(k->rule, rule) == 0) return k;
  }
  return nullptr;
}

static napi_value str(napi_env env, const char* s) { napi_value v; napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v); return v; }
static napi_value num(napi_env env, double d) { napi_value v; napi_create_double(env, d, &v); return v; }

// { simd, threads, cores, blas, blasCore (the kernels OpenBLAS chose, or OPENBLAS_CORETYPE named), dnnl? }
napi_value CpuInfo(napi_env env, napi_callback_info) {
  napi_value o;
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "simd", str(env, simdLevel()));
  napi_set_named_property(env, o, "threads", num(env, numThreads()));
  napi_set_named_property(env, o, "cores", num(env, std::thread::hardware_concurrency()));
  napi_set_named_property(env, o, "blas", str(env, openblas_get_config()));
  napi_set_named_property(env, o, "blasCore", str(env, openblas_get_corename()));
  if (const char* dnnl = dnnlVersion()) napi_set_named_property(env, o, "dnnl", str(env, dnnl));
  return o;
}

napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  Args args(env, info, "setNumThreads");
  const int64_t n = args.integer(0);
  if (!args.failed) setNumThreads(static_cast<int>(n));
  return nullptr;
}

}  // namespace minima
