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
