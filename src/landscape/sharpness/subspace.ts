import { ValueError } from "../../errors.js";
import type { Generator } from "../../tensor/random.js";
import { dot, gaussian } from "../linalg/vector.js";

/** p columns of standard normal draws, each of length n: the random A ∈ ℝⁿˣᵖ of Keskar et al.'s subspace sharpness. */
export function randomColumns(n: number, p: number, generator: Generator): Float64Array[] {
  return Array.from({ length: p }, () => gaussian(n, generator));
}

/** A·z for A given by its columns. */
export function applyColumns(columns: readonly Float64Array[], z: Float64Array): Float64Array {
  const out = new Float64Array(columns[0]!.length);
  columns.forEach((a, j) => {
    for (let i = 0; i < out.length; i++) out[i]! += z[j]! * a[i]!;
  });
  return out;
}

/** Aᵀ·v for A given by its columns. */
export const transposeColumns = (columns: readonly Float64Array[], v: Float64Array): Float64Array => Float64Array.from(columns, (a) => dot(a, v));

/**
 * A⁺x, the pseudo-inverse of A (full column rank) applied to x: the least-squares solution of Az = x, by the
 * normal equations AᵀAz = Aᵀx and a Cholesky factorization of the p×p Gram matrix. `where` names the caller.
 */
export function pseudoInverseTimes(columns: readonly Float64Array[], x: Float64Array, where: string): Float64Array {
  const p = columns.length;
  const gram = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) gram[i * p + j] = gram[j * p + i] = dot(columns[i]!, columns[j]!);
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = gram[j * p + j]!;
    for (let k = 0; k < j; k++) d -= l[j * p + k]! ** 2;
    if (!(d > 1e-12 * gram[j * p + j]!)) throw new ValueError({ where, what: `the subspace's columns are linearly dependent (column ${j} lies in the span of those before it)`, expected: "columns of full rank" });
    l[j * p + j] = Math.sqrt(d);
    for (let i = j + 1; i < p; i++) {
      let s = gram[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = s / l[j * p + j]!;
    }
  }
  const b = transposeColumns(columns, x);
  const w = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * w[k]!;
    w[i] = s / l[i * p + i]!;
  }
  const z = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = w[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * z[k]!;
    z[i] = s / l[i * p + i]!;
  }
  return z;
}
