import type { FloatArray, TypedArray } from "../../tensor/dtype.js";
import { jsKernels } from "../js/index.js";
import type { BinaryOp, Kernels, UnaryOp } from "../kernels.js";

// Op codes: the order of the enums in native/src/elementwise-table.h.
const UNARY_OPS: readonly UnaryOp[] = ["neg", "exp", "log", "sqrt", "abs", "sign", "tanh", "sigmoid", "relu", "leakyRelu", "erf", "reciprocal", "square", "step"];
const BINARY_OPS: readonly BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "reluGrad"];
export const UNARY_CODE = new Map(UNARY_OPS.map((op, i) => [op, i]));
export const BINARY_CODE = new Map(BINARY_OPS.map((op, i) => [op, i]));

/** The addon's elementwise kernels (native/src/elementwise.cc), over one float dtype. */
export interface NativeElementwiseKernels {
  unary(op: number, x: FloatArray, out: FloatArray, param: number): void;
  binary(op: number, a: FloatArray, aShape: readonly number[], b: FloatArray, bShape: readonly number[], out: FloatArray, outShape: readonly number[]): void;
}

const isFloat = (a: TypedArray): a is FloatArray => a instanceof Float32Array || a instanceof Float64Array;
const sameKind = (a: TypedArray, b: TypedArray) => a.constructor === b.constructor;
/** Whether the addon runs unary on these arrays (one float dtype); js runs the rest. */
export const nativeTakesUnary = (x: TypedArray, out: TypedArray): boolean => isFloat(x) && isFloat(out) && sameKind(x, out);
/** Whether the addon runs binary on these arrays (one float dtype); js runs the rest. */
export const nativeTakesBinary = (a: TypedArray, b: TypedArray, out: TypedArray): boolean =>
  isFloat(a) && isFloat(b) && isFloat(out) && sameKind(a, b) && sameKind(a, out);

/** unary and binary on the addon where every array has the same float dtype; int32 and mixed dtypes stay on js. */
export function nativeElementwise(k: NativeElementwiseKernels): Pick<Kernels, "unary" | "binary"> {
  return {
    unary(op, x, out, param) {
      if (nativeTakesUnary(x, out)) k.unary(UNARY_CODE.get(op)!, x as FloatArray, out as FloatArray, param);
      else jsKernels.unary(op, x, out, param);
    },
    binary(op, a, aShape, b, bShape, out, outShape) {
      if (nativeTakesBinary(a, b, out)) k.binary(BINARY_CODE.get(op)!, a as FloatArray, aShape, b as FloatArray, bShape, out as FloatArray, outShape);
      else jsKernels.binary(op, a, aShape, b, bShape, out, outShape);
    },
  };
}
