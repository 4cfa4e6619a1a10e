// The minima native backend: a Node-API addon whose functions are the kernels of src/backend/kernels.ts
// (same names and arguments), working in place on JavaScript-owned typed arrays without copies.
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "kernels.h"
#include "thread-pool.h"

namespace minima {

// V8 gives each tensor's ArrayBuffer its own malloc block, and glibc serves blocks over 128 KiB (a
// threshold it raises only slowly) with fresh mmaps that page-fault in again on every training step.
// Keeping blocks up to 32 MiB in the heap, and not trimming it below 256 MiB, lets freed activations be
// reused as they are in PyTorch: on the CNN of BENCHMARKS.md, page faults drop from 288k to 50k and CPU
// time by a quarter. Process-wide, so a user's own MALLOC_MMAP_THRESHOLD_ is left alone.
static void keepTensorBlocksInHeap() {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_")) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

static napi_value Init(napi_env env, napi_value exports) {
  keepTensorBlocksInHeap();
  numThreads();  // starts the pool (MINIMA_NUM_THREADS or one per core); OpenBLAS itself runs single-threaded
  const napi_property_descriptor props[] = {
      {"matmul", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"cpuInfo", nullptr, CpuInfo, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"optimizerStep", nullptr, OptimizerStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, UnaryOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, BinaryOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"biasActivation", nullptr, BiasActivationOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"biasActivationBackward", nullptr, BiasActivationBackwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"crossEntropy", nullptr, CrossEntropyOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"crossEntropyBackward", nullptr, CrossEntropyBackwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, ReduceOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, SoftmaxOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumOfSquares", nullptr, SumOfSquaresOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"im2col", nullptr, Im2col, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"col2im", nullptr, Col2im, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"permute", nullptr, PermuteOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2d", nullptr, MaxPool2dOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool2dBackward", nullptr, MaxPool2dBackwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2d", nullptr, AvgPool2dOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"avgPool2dBackward", nullptr, AvgPool2dBackwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormStats", nullptr, BatchNormStatsOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormForward", nullptr, BatchNormForwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormBackward", nullptr, BatchNormBackwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"clipGradNorm", nullptr, ClipGradNormOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"clipGradValue", nullptr, ClipGradValueOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"smoothActivation", nullptr, SmoothActivationOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"normalizeGroupsForward", nullptr, NormalizeGroupsForwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"normalizeGroupsBackward", nullptr, NormalizeGroupsBackwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"planCompile", nullptr, PlanCompile, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"planRun", nullptr, PlanRun, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"planRelease", nullptr, PlanRelease, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"planKernels", nullptr, PlanKernels, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"installStopSignals", nullptr, InstallStopSignals, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"removeStopSignals", nullptr, RemoveStopSignals, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"pendingStopSignal", nullptr, PendingStopSignal, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
#if defined(MINIMA_DNNL)
  const napi_property_descriptor convolutions[] = {
      {"conv2dForward", nullptr, Conv2dForwardOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardData", nullptr, Conv2dBackwardDataOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardWeights", nullptr, Conv2dBackwardWeightsOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dForwardReluMaxPool", nullptr, Conv2dForwardReluMaxPoolOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardReluMaxPool", nullptr, Conv2dBackwardReluMaxPoolOp, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(convolutions) / sizeof(convolutions[0]), convolutions);
#endif
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

}  // namespace minima
