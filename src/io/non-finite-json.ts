/**
 * JSON cannot hold NaN or ±Infinity, and a diverging run's losses are exactly those: run files
 * write them as the strings "NaN", "Infinity", "-Infinity" (JSON.stringify(x, nonFiniteReplacer))
 * and read them back with nonFiniteReviver.
 */
export function nonFiniteReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

export function nonFiniteReviver(_key: string, value: unknown): unknown {
  return value === "NaN" ? NaN : value === "Infinity" ? Infinity : value === "-Infinity" ? -Infinity : value;
}
