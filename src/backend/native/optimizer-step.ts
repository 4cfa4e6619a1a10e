import type { FloatArray } from "../../tensor/dtype.js";
import type { Kernels } from "../kernels.js";

/**
 * The addon's optimizerStep (native/src/optim.cc): the contract's, with the coefficients in a Float64Array
 * (the first `count` of it) and the buffers as arguments of their own, because reading a JavaScript array
 * costs a Node-API call per element, which was half the cost of a small parameter's step.
 */
export interface NativeOptimizerKernel {
  optimizerStep(rule: string, p: FloatArray, g: FloatArray, coefficients: Float64Array, count: number,
    b0: FloatArray | null, b1: FloatArray | null, b2: FloatArray | null): boolean;
}

/** The contract's optimizerStep on the addon's fused loops (SGD, Adam, AdamW, RMSprop, Adagrad; false for other rules). */
export function nativeOptimizerStep(k: NativeOptimizerKernel): NonNullable<Kernels["optimizerStep"]> {
  const scratch = new Float64Array(16);
  return (rule, p, g, buffers, coefficients) => {
    scratch.set(coefficients);
    return k.optimizerStep(rule, p, g, scratch, coefficients.length, buffers[0] ?? null, buffers[1] ?? null, buffers[2] ?? null);
  };
}
