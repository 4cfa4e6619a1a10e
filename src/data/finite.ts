import type { TypedArray } from "../tensor/dtype.js";

/** The index of the first NaN or ±Infinity in values, or -1 when all are finite. */
export function firstNonFinite(values: TypedArray): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) return i;  // NaN and ±Infinity: the only values whose difference with themselves is not 0
  }
  return -1;
}
