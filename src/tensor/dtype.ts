/** The element types minima stores: float32 (default), float64, and int32 for labels and indices. */
export type DType = "float32" | "float64" | "int32";
export type FloatDType = "float32" | "float64";
export type FloatArray = Float32Array | Float64Array;
export type TypedArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int32"];

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype !== "int32";
}

export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Float32Array) return "float32";
  if (array instanceof Float64Array) return "float64";
  return "int32";
}

export function allocate(dtype: DType, size: number): TypedArray {
  if (dtype === "float32") return new Float32Array(size);
  if (dtype === "float64") return new Float64Array(size);
  return new Int32Array(size);
}

// Node's uninitialized allocation; absent in browsers, where every array comes zeroed.
const allocUnsafe = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): Uint8Array } }).Buffer?.allocUnsafeSlow;
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };

/**
 * An array whose contents are unspecified, for a kernel that writes every element. Large ones skip the
 * zero fill (under Node): the activations and gradients of a training step are tens of megabytes, and
 * filling them with zeros first was a fifth of a CNN step's time (measured on 2 cores).
 */
export function allocateUninitialized(dtype: DType, size: number): TypedArray {
  const bytes = size * BYTES[dtype];
  if (!allocUnsafe || bytes < 1 << 16) return allocate(dtype, size);
  const { buffer, byteOffset } = allocUnsafe(bytes);
  if (dtype === "float32") return new Float32Array(buffer, byteOffset, size);
  if (dtype === "float64") return new Float64Array(buffer, byteOffset, size);
  return new Int32Array(buffer, byteOffset, size);
}

/** PyTorch's promotion for two tensors: float64 > float32 > int32. */
export function promote(a: DType, b: DType): DType {
  if (a === "float64" || b === "float64") return "float64";
  if (a === "float32" || b === "float32") return "float32";
  return "int32";
}

/** The float type an integer tensor becomes where a float result is needed (mean, div, exp). */
export function floatOf(dtype: DType): FloatDType {
  return dtype === "int32" ? "float32" : dtype;
}
