import type { Kernels } from "../kernels.js";

/** The batch-norm kernels, which the addon (native/src/batch-norm.cc) exports with the contract's arguments as they are. */
export type BatchNormKernel = "batchNormStats" | "batchNormForward" | "batchNormBackward";

export function nativeBatchNorm(k: Pick<Kernels, BatchNormKernel>): Pick<Kernels, BatchNormKernel> {
  return { batchNormStats: k.batchNormStats, batchNormForward: k.batchNormForward, batchNormBackward: k.batchNormBackward };
}
