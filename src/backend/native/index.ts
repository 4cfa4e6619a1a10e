import { BackendError } from "../../errors.js";
import { jsKernels } from "../js/index.js";
import type { Convolution, Kernels } from "../kernels.js";
import { loadNative, type NativeAddon, type NativeStatus } from "./addon.js";
import { nativeBatchNorm } from "./batch-norm.js";
import { nativeClipGrad } from "./clip-grad.js";
import { nativeElementwise } from "./elementwise.js";
import { nativeLayout } from "./layout.js";
import { nativeNormalizeGroups } from "./normalize-groups.js";
import { nativeOptimizerStep } from "./optimizer-step.js";
import { compileNativePlan } from "./plan.js";
import { nativeReduce } from "./reduce.js";
import { nativeSmoothActivation } from "./smooth-activations.js";

/** The addon, loaded once at import (of the Node entry); `nativeStatus.loaded` false carries the reason and the fix. */
export const nativeStatus: NativeStatus = loadNative();

/** The fused convolution, ReLU and max pooling, where the addon has them (oneDNN builds). */
function convPool(addon: NativeAddon): Pick<Convolution, "forwardReluMaxPool" | "backwardReluMaxPool"> {
  const forward = addon.conv2dForwardReluMaxPool, backward = addon.conv2dBackwardReluMaxPool;
  if (!forward || !backward) return {};
  return {
    forwardReluMaxPool: (x, w, bias, n, cOut, groups, g, rows, cols, out, indices) =>
      forward(x, w, bias, n, cOut, groups, g, rows.start, rows.end, rows.step, cols.start, cols.end, cols.step, out, indices),
    backwardReluMaxPool: backward,
  };
}

/**
 * The native backend's kernels: the addon's functions, which take the contract's arguments as they are,
 * so a call costs one Node-API crossing. Kernels it lacks come from the js table (registerBackend).
 */
export function nativeKernels(): Partial<Kernels> & { name: string } {
  if (!nativeStatus.loaded) throw new BackendError({ where: "native backend", what: nativeStatus.reason });
  const addon = nativeStatus.addon;
  const convolution = addon.conv2dForward && addon.conv2dBackwardData && addon.conv2dBackwardWeights
    ? { forward: addon.conv2dForward, backwardData: addon.conv2dBackwardData, backwardWeights: addon.conv2dBackwardWeights, ...convPool(addon) }
    : undefined;
  const own = { name: "native", ...(convolution ? { convolution } : {}), matmul: addon.matmul, im2col: addon.im2col, col2im: addon.col2im, biasActivation: addon.biasActivation, biasActivationBackward: addon.biasActivationBackward, crossEntropy: addon.crossEntropy, crossEntropyBackward: addon.crossEntropyBackward, ...nativeElementwise(addon), ...nativeReduce(addon), ...nativeLayout(addon), ...nativeBatchNorm(addon), ...nativeClipGrad(addon), ...nativeSmoothActivation(addon), ...nativeNormalizeGroups(addon), optimizerStep: nativeOptimizerStep(addon) };
  // The whole table as registerBackend completes it: the calls a plan runs in JavaScript go through it, as eager ones do.
  const table: Kernels = { ...jsKernels, ...own };
  return { ...own, compilePlan: (calls) => compileNativePlan(addon, table, calls) };
}
