import type { FloatArray, TypedArray } from "../../tensor/dtype.js";
import { jsKernels } from "../js/index.js";
import type { Kernels, SmoothActivation } from "../kernels.js";

// Op codes: the order of enum Smooth in native/src/smooth-activations.cc.
const SMOOTH_OPS: readonly SmoothActivation[] = ["silu", "softplus", "elu", "mish"];
export const SMOOTH_CODE = new Map(SMOOTH_OPS.map((op, i) => [op, i]));

/** The addon's smooth-activation kernel (native/src/smooth-activations.cc), over one float dtype. */
export interface NativeSmoothActivationKernel {
  smoothActivation(op: number, x: FloatArray, out: FloatArray, deriv: FloatArray | null, p0: number, p1: number): void;
}

const sameFloat = (a: TypedArray, b: TypedArray | null) =>
  b === null || ((a instanceof Float32Array || a instanceof Float64Array) && a.constructor === b.constructor);
/** Whether the addon runs smoothActivation on these arrays (one float dtype); js runs the rest. */
export const nativeTakesSmooth = (x: TypedArray, out: TypedArray, deriv: TypedArray | null): boolean => sameFloat(x, out) && sameFloat(out, deriv);

/** smoothActivation on the addon where x, out and deriv share a float dtype; an int32 input stays on js. */
export function nativeSmoothActivation(k: NativeSmoothActivationKernel): Pick<Kernels, "smoothActivation"> {
  return {
    smoothActivation(op, x, out, deriv, p0, p1) {
      if (nativeTakesSmooth(x, out, deriv)) k.smoothActivation(SMOOTH_CODE.get(op)!, x as FloatArray, out, deriv, p0, p1);
      else jsKernels.smoothActivation(op, x, out, deriv, p0, p1);
    },
  };
}
