// The kernels the addon exports, one napi callback each; addon.cc registers them by name.
#pragma once
#include <node_api.h>

namespace minima {

napi_value Gemm(napi_env env, napi_callback_info info);
napi_value CpuInfo(napi_env env, napi_callback_info info);
napi_value SetNumThreads(napi_env env, napi_callback_info info);
napi_value OptimizerStep(napi_env env, napi_callback_info info);
napi_value UnaryOp(napi_env env, napi_callback_info info);
napi_value BinaryOp(napi_env env, napi_callback_info info);
napi_value BiasActivationOp(napi_env env, napi_callback_info info);
napi_value BiasActivationBackwardOp(napi_env env, napi_callback_info info);
napi_value CrossEntropyOp(napi_env env, napi_callback_info info);
napi_value CrossEntropyBackwardOp(napi_env env, napi_callback_info info);
napi_value ReduceOp(napi_env env, napi_callback_info info);
napi_value SoftmaxOp(napi_env env, napi_callback_info info);
napi_value SumOfSquaresOp(napi_env env, napi_callback_info info);
napi_value Im2col(napi_env env, napi_callback_info info);
#if defined(MINIMA_DNNL)
napi_value Conv2dForwardOp(napi_env env, napi_callback_info info);
napi_value Conv2dBackwardDataOp(napi_env env, napi_callback_info info);
napi_value Conv2dBackwardWeightsOp(napi_env env, napi_callback_info info);
napi_value Conv2dForwardReluMaxPoolOp(napi_env env, napi_callback_info info);
napi_value Conv2dBackwardReluMaxPoolOp(napi_env env, napi_callback_info info);
#endif
// "oneDNN x.y.z" when the convolutions run on it (conv-dnnl.cc), else null.
const char* dnnlVersion();
napi_value Col2im(napi_env env, napi_callback_info info);
napi_value PermuteOp(napi_env env, napi_callback_info info);
napi_value MaxPool2dOp(napi_env env, napi_callback_info info);
napi_value MaxPool2dBackwardOp(napi_env env, napi_callback_info info);
napi_value AvgPool2dOp(napi_env env, napi_callback_info info);
napi_value AvgPool2dBackwardOp(napi_env env, napi_callback_info info);
napi_value BatchNormStatsOp(napi_env env, napi_callback_info info);
napi_value BatchNormForwardOp(napi_env env, napi_callback_info info);
napi_value BatchNormBackwardOp(napi_env env, napi_callback_info info);
napi_value ClipGradNormOp(napi_env env, napi_callback_info info);
napi_value ClipGradValueOp(napi_env env, napi_callback_info info);
napi_value SmoothActivationOp(napi_env env, napi_callback_info info);
napi_value NormalizeGroupsForwardOp(napi_env env, napi_callback_info info);
napi_value NormalizeGroupsBackwardOp(napi_env env, napi_callback_info info);
// A captured step's calls as one native program (plan.cc).
napi_value PlanCompile(napi_env env, napi_callback_info info);
napi_value PlanRun(napi_env env, napi_callback_info info);
napi_value PlanRelease(napi_env env, napi_callback_info info);
napi_value PlanKernels(napi_env env, napi_callback_info info);
// Not kernels: the signal flag the CLI polls during training (stop-signal.cc).
napi_value InstallStopSignals(napi_env env, napi_callback_info info);
napi_value RemoveStopSignals(napi_env env, napi_callback_info info);
napi_value PendingStopSignal(napi_env env, napi_callback_info info);

}  // namespace minima
