/** The few float64 vector operations the Krylov methods need, summed in index order (deterministic). */
import type { Check } from "../../options.js";
import { Generator } from "../../tensor/random.js";

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export const norm = (a: Float64Array) => Math.sqrt(dot(a, a));

/** y ← y + α·x, in place. */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

/** x ← x / ‖x‖ in place; returns ‖x‖. */
export function normalize(x: Float64Array): number {
  const n = norm(x);
  for (let i = 0; i < x.length; i++) x[i]! /= n;
  return n;
}

/** v minus its projections on `basis` (orthonormal vectors), in place: one pass of Gram–Schmidt. */
export function orthogonalize(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const b of basis) axpy(-dot(v, b), b, v);
}

/** A vector of standard normal draws from `generator`. */
export function gaussian(n: number, generator: Generator): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = generator.normal();
  return out;
}

/** A vector of ±1 with equal probability (Rademacher), from `generator`. */
export function rademacher(n: number, generator: Generator): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = generator.random() < 0.5 ? -1 : 1;
  return out;
}

/** The options check of a `generator` option. */
export const isGenerator: Check = (v) => (v instanceof Generator ? null : "an mn.Generator");
