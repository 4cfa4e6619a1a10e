import type { FloatArray } from "../../tensor/dtype.js";
import { clipGradNorm as jsClipGradNorm, clipGradValue as jsClipGradValue } from "../js/clip-grad.js";
import type { Kernels } from "../kernels.js";

/** The addon's clipping (native/src/clip-grad.cc): the contract's, for gradients of one float dtype and p 1, 2 or ∞. */
export type ClipGradKernel = "clipGradNorm" | "clipGradValue";

/** Whether the addon takes these gradients: all Float32Arrays or all Float64Arrays. */
export function nativeTakesGrads(grads: readonly FloatArray[]): boolean {
  const type = grads[0]?.constructor;
  return grads.every((g) => (g instanceof Float32Array || g instanceof Float64Array) && g.constructor === type);
}

/** Whether the addon takes this norm type: 1, 2 or ∞ (other p take V8's pow, which C++ does not reproduce to the bit). */
export const nativeTakesNormType = (p: number): boolean => p === 1 || p === 2 || p === Infinity;

/** The clipping kernels on the addon, on js for what it does not take (the same bits either way). */
export function nativeClipGrad(k: Pick<Kernels, ClipGradKernel>): Pick<Kernels, ClipGradKernel> {
  return {
    clipGradNorm: (grads, maxNorm, p, total) =>
      (nativeTakesNormType(p) && nativeTakesGrads(grads) ? k.clipGradNorm : jsClipGradNorm)(grads, maxNorm, p, total),
    clipGradValue: (grads, clipValue) => (nativeTakesGrads(grads) ? k.clipGradValue : jsClipGradValue)(grads, clipValue),
  };
}
