import type { FloatArray, TypedArray } from "../../tensor/dtype.js";
import { jsKernels } from "../js/index.js";
import type { Kernels, ReduceOp } from "../kernels.js";

/** The addon's reductions (native/src/reduce.cc): sum, max, min (codes 0–2) and softmax over [outer, size, inner]. */
export interface NativeReduceKernels {
  reduce(op: number, x: FloatArray, outer: number, size: number, inner: number, out: FloatArray): void;
  softmax(x: FloatArray, outer: number, size: number, inner: number, out: FloatArray, log: boolean): void;
  sumOfSquares(x: FloatArray): number;
}

export const REDUCE_CODE: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };
const isFloat = (a: TypedArray): a is FloatArray => a instanceof Float32Array || a instanceof Float64Array;
/** Whether the addon runs this reduction (sum, max or min over one float dtype); js runs the rest. */
export const nativeTakesReduce = (op: ReduceOp, x: TypedArray, out: TypedArray): boolean =>
  REDUCE_CODE[op] !== undefined && isFloat(x) && isFloat(out) && x.constructor === out.constructor;

/** Sums, max, min and softmax on the addon for float arrays of one dtype; argmax/argmin and int32 stay on js. */
export function nativeReduce(k: NativeReduceKernels): Pick<Kernels, "reduce" | "softmax" | "sumOfSquares"> {
  return {
    sumOfSquares: (x) => k.sumOfSquares(x),
    reduce(op, x, outer, size, inner, out) {
      if (nativeTakesReduce(op, x, out)) k.reduce(REDUCE_CODE[op]!, x as FloatArray, outer, size, inner, out as FloatArray);
      else jsKernels.reduce(op, x, outer, size, inner, out);
    },
    softmax(x, outer, size, inner, out, log) {
      if (x.constructor === out.constructor) k.softmax(x, outer, size, inner, out, log);
      else jsKernels.softmax(x, outer, size, inner, out, log);
    },
  };
}
