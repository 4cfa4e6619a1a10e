// The minima native backend: a Node-API addon whose functions are the kernels of src/backend/kernels.ts
// (same names and arguments), working in place on JavaScript-owned typed arrays without copies.
#include "kernels.h"
#include "thread-pool.h"

namespace minima {

static napi_value Init(napi_env env, napi_value exports) {
  numThreads();  // starts the pool (MINIMA_NUM_THREADS or one per core) and gives OpenBLAS the same count
  const napi_property_descriptor props[] = {
      {"matmul", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"cpuInfo", nullptr, CpuInfo, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgdStep", nullptr, SgdStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamStep", nullptr, AdamStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmspropStep", nullptr, RmspropStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adagradStep", nullptr, AdagradStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, UnaryOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, BinaryOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, ReduceOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, SoftmaxOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"im2col", nullptr, Im2col, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"col2im", nullptr, Col2im, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"permute", nullptr, PermuteOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2d", nullptr, MaxPool2dOp, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

}  // namespace minima
