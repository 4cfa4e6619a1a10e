/**
 * A symmetric linear map on float64 vectors of length `size`, known only through its products: what the
 * eigen-solvers, the trace estimators and the spectral density need of a Hessian (or of any matrix in a test).
 */
export interface LinearOperator {
  readonly size: number;
  /** A·v, a new vector (v is not changed). */
  matvec(v: Float64Array): Float64Array;
}

/** A dense row-major n×n symmetric matrix as an operator (tests, and the exact spectrum of a small Hessian). */
export function denseOperator(matrix: Float64Array, n: number): LinearOperator {
  return {
    size: n,
    matvec(v) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += matrix[i * n + j]! * v[j]!;
        out[i] = s;
      }
      return out;
    },
  };
}
