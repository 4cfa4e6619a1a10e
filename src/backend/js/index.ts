import type { Kernels } from "../kernels.js";
import { batchNormBackward, batchNormForward, batchNormStats } from "./batch-norm.js";
import { batchNormCount, batchNormInverseStd, batchNormRunning } from "./batch-norm-running.js";
import { biasActivation, biasActivationBackward } from "./bias-activation.js";
import { clipGradNorm, clipGradValue } from "./clip-grad.js";
import { col2im, im2col } from "./conv.js";
import { crossEntropy, crossEntropyBackward } from "./cross-entropy.js";
import { binary, clamp, unary, where } from "./elementwise.js";
import { expand, gather, permute, scatterAdd, slice, sliceAdd } from "./layout.js";
import { matmul } from "./matmul.js";
import { normalizeGroupsBackward, normalizeGroupsForward } from "./normalize-groups.js";
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from "./pool.js";
import { reduce, softmax, sumOfSquares } from "./reduce.js";
import { smoothActivation } from "./smooth-activations.js";

/** The pure TypeScript backend: every kernel, runs anywhere, the reference for all others. */
export const jsKernels: Kernels = {
  name: "js",
  matmul, binary, unary, smoothActivation, biasActivation, biasActivationBackward, crossEntropy, crossEntropyBackward, clamp, where, reduce, softmax, sumOfSquares, permute, slice, sliceAdd, expand, gather, scatterAdd, im2col, col2im,
  maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward,
  batchNormStats, batchNormForward, batchNormBackward, batchNormCount, batchNormRunning, batchNormInverseStd, normalizeGroupsForward, normalizeGroupsBackward,
  clipGradNorm, clipGradValue,
};
