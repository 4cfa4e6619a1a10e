import type { FloatArray, TypedArray } from "../../tensor/dtype.js";
import { jsKernels } from "../js/index.js";
import type { Kernels } from "../kernels.js";

/**
 * The addon's permute and max pooling with its backward (native/src/layout.cc), and average pooling with its
 * backward (native/src/pool-avg.cc); window tables go as their arrays and step, or for averages (step 1) their
 * arrays and counts.
 */
export interface NativeLayoutKernels {
  permute(x: FloatArray, shape: readonly number[], perm: readonly number[], out: FloatArray): void;
  maxPool2d(x: FloatArray, planes: number, inH: number, inW: number, rowStart: Int32Array, rowEnd: Int32Array, rowStep: number,
    colStart: Int32Array, colEnd: Int32Array, colStep: number, out: FloatArray, indices: Int32Array): void;
  maxPool2dBackward: Kernels["maxPool2dBackward"];
  avgPool2d(x: FloatArray, planes: number, inH: number, inW: number, rowStart: Int32Array, rowEnd: Int32Array, rowCount: Int32Array,
    colStart: Int32Array, colEnd: Int32Array, colCount: Int32Array, divisorOverride: number, out: FloatArray): void;
  avgPool2dBackward(gy: FloatArray, planes: number, inH: number, inW: number, rowStart: Int32Array, rowEnd: Int32Array,
    rowCount: Int32Array, colStart: Int32Array, colEnd: Int32Array, colCount: Int32Array, divisorOverride: number, gx: FloatArray): void;
}

const isFloat = (a: TypedArray): a is FloatArray => a instanceof Float32Array || a instanceof Float64Array;
/** Whether the addon runs permute on these arrays (one float dtype, rank ≥ 1); js runs the rest. */
export const nativeTakesPermute = (x: TypedArray, shape: readonly number[], out: TypedArray): boolean =>
  isFloat(x) && x.constructor === out.constructor && shape.length > 0;

export function nativeLayout(k: NativeLayoutKernels): Pick<Kernels, "permute" | "maxPool2d" | "maxPool2dBackward" | "avgPool2d" | "avgPool2dBackward"> {
  return {
    permute(x, shape, perm, out) {
      if (nativeTakesPermute(x, shape, out)) k.permute(x as FloatArray, shape, perm, out as FloatArray);
      else jsKernels.permute(x, shape, perm, out);
    },
    maxPool2d(x, planes, inH, inW, rows, cols, out, indices) {
      k.maxPool2d(x, planes, inH, inW, rows.start, rows.end, rows.step, cols.start, cols.end, cols.step, out, indices);
    },
    maxPool2dBackward: k.maxPool2dBackward,
    avgPool2d(x, planes, inH, inW, rows, cols, divisorOverride, out) {
      k.avgPool2d(x, planes, inH, inW, rows.start, rows.end, rows.count, cols.start, cols.end, cols.count, divisorOverride, out);
    },
    avgPool2dBackward(gy, planes, inH, inW, rows, cols, divisorOverride, gx) {
      k.avgPool2dBackward(gy, planes, inH, inW, rows.start, rows.end, rows.count, cols.start, cols.end, cols.count, divisorOverride, gx);
    },
  };
}
