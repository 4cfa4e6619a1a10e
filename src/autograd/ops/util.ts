import { kernels } from "../../backend/select.js";
import type { Kernels } from "../../backend/kernels.js";
import { allocate, allocateUninitialized, floatOf, isFloat, type DType } from "../../tensor/dtype.js";
import { DTypeError } from "../../errors.js";
import { sizeOf } from "../../tensor/shape.js";
import { Tensor, type TensorLike } from "../../tensor/tensor.js";

export { kernels };
export type { Kernels };

/** A new tensor of the given shape and dtype, zero-filled, for a kernel to write into. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/** A new tensor whose contents are unspecified, for a kernel that overwrites every element (src/backend/kernels.ts). */
export function scratch(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(allocateUninitialized(dtype, sizeOf(shape)), shape);
}

/** The dtype a plain number takes next to a tensor: the tensor's, or float32 for a fraction next to int32. */
export function scalarDType(like: DType, value: number): DType {
  return like === "int32" && !Number.isInteger(value) ? "float32" : like;
}

/** Wraps a number as a 0-d tensor fit to stand next to `like`. */
export function asTensor(x: TensorLike, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  const t = empty([], scalarDType(like.dtype, x));
  t.data[0] = x;
  return t;
}

/** Throws unless t holds floats: ops with gradients or fractional results need them. */
export function requireFloat(where: string, t: Tensor, what = "input"): void {
  if (!isFloat(t.dtype)) {
    throw new DTypeError({ where, what: `${what} must be a floating-point tensor`, expected: "float32 or float64", got: t.dtype });
  }
}

/** The float dtype an op that needs floats computes in. */
export { floatOf };
