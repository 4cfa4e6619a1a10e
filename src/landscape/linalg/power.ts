import { Generator } from "../../tensor/random.js";
import type { LinearOperator } from "../linear-operator.js";
import { dot, gaussian, normalize, orthogonalize } from "./vector.js";

export interface PowerOptions {
  /** How many eigenpairs, found one after another, each orthogonal to those before (deflation by Gram–Schmidt). */
  k?: number;
  /** Stop when |Δλ| / (|λ| + 1e-6) falls below this (PyHessian's test). */
  tol?: number;
  maxIter?: number;
  generator?: Generator;
  /** Where the warning of an eigenvalue stopped by maxIter before meeting tol goes (default console.warn). */
  onWarning?: (message: string) => void;
}

/**
 * The k eigenvalues of largest magnitude by power iteration, as PyHessian's `eigenvalues(maxIter=100, tol=1e-3)`
 * computes them: a Gaussian start, re-orthogonalized against the eigenvectors found before at every
 * iteration; the value kept is the Rayleigh quotient vᵀAv of the last iteration that moved it by more than tol.
 * Power iteration finds the largest |λ|, which is λmin when the most negative eigenvalue is the larger in size.
 */
export function powerIteration(op: LinearOperator, options: PowerOptions = {}): { values: number[]; vectors: Float64Array[] } {
  const { k = 1, tol = 1e-3, maxIter = 100, generator = new Generator(0), onWarning = (m: string) => console.warn(`minima: ${m}`) } = options;
  const values: number[] = [], vectors: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    let value: number | null = null, converged = false;
    let v = gaussian(op.size, generator);
    normalize(v);
    for (let it = 0; it < maxIter; it++) {
      orthogonalize(v, vectors);
      normalize(v);
      const av = op.matvec(v);
      const estimate = dot(av, v);
      v = av;
      normalize(v);
      if (value !== null && Math.abs(value - estimate) / (Math.abs(value) + 1e-6) < tol) { converged = true; break; }
      value = estimate;
    }
    if (!converged) onWarning(`topEigen: power iteration stopped at maxIter = ${maxIter} iterations before eigenvalue ${i + 1} met tol ${tol.toExponential()} (|Δλ|/(|λ| + 1e-6) per iteration)`);
    values.push(value!);
    vectors.push(v);
  }
  return { values, vectors };
}
