/**
 * Eigenvalues and eigenvectors of a real symmetric tridiagonal matrix by the implicit QL algorithm with
 * Wilkinson-type shifts (EISPACK's tql2, as in JAMA): symmetric throughout, so the eigenvalues are real and
 * the eigenvectors orthonormal — the solver stochastic Lanczos quadrature needs (PyHessian's non-symmetric
 * `eig` made its density wrong until 2024).
 *
 * `rows` picks which rows of the eigenvector matrix to accumulate: every rotation acts on all rows alike,
 * so row 0 alone (the Gauss quadrature weights) or the last row alone (Lanczos residuals) costs O(m²)
 * instead of O(m³).
 */
export function tridiagonalEigen(
  diagonal: readonly number[],
  offDiagonal: readonly number[],
  rows: readonly number[] = diagonal.map((_, i) => i),
): { values: number[]; rows: Float64Array[] } {
  const m = diagonal.length;
  const d = [...diagonal];
  const e = Array.from({ length: m }, (_, i) => (i < m - 1 ? offDiagonal[i]! : 0));
  // z[r][j]: component `rows[r]` of eigenvector j, starting from the identity's rows.
  const z = rows.map((row) => { const r = new Float64Array(m); r[row] = 1; return r; });
  let f = 0, tst1 = 0;
  for (let l = 0; l < m; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let k = l;
    while (k < m - 1 && Math.abs(e[k]!) > Number.EPSILON * tst1) k++;
    let iterations = 0;
    while (k > l && Math.abs(e[l]!) > Number.EPSILON * tst1) {
      if (++iterations > 60) throw new Error(`tridiagonalEigen: no convergence at eigenvalue ${l} after 60 QL iterations`);
      // Implicit shift from the leading 2×2 block.
      let g = d[l]!;
      let p = (d[l + 1]! - g) / (2 * e[l]!);
      let r = Math.hypot(p, 1);
      if (p < 0) r = -r;
      d[l] = e[l]! / (p + r);
      d[l + 1] = e[l]! * (p + r);
      const dl1 = d[l + 1]!;
      let h = g - d[l]!;
      for (let i = l + 2; i < m; i++) d[i]! -= h;
      f += h;
      // One QL sweep of Givens rotations from the bottom of the block up.
      p = d[k]!;
      let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
      const el1 = e[l + 1]!;
      for (let i = k - 1; i >= l; i--) {
        c3 = c2; c2 = c; s2 = s;
        g = c * e[i]!;
        h = c * p;
        r = Math.hypot(p, e[i]!);
        e[i + 1] = s * r;
        s = e[i]! / r;
        c = p / r;
        p = c * d[i]! - s * g;
        d[i + 1] = h + s * (c * g + s * d[i]!);
        for (const row of z) {
          const t = row[i + 1]!;
          row[i + 1] = s * row[i]! + c * t;
          row[i] = c * row[i]! - s * t;
        }
      }
      p = -s * s2 * c3 * el1 * e[l]! / dl1;
      e[l] = s * p;
      d[l] = c * p;
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  // Ascending order, the eigenvector columns with their values.
  const order = d.map((_, i) => i).sort((a, b) => d[a]! - d[b]! || a - b);
  return { values: order.map((i) => d[i]!), rows: z.map((row) => Float64Array.from(order, (i) => row[i]!)) };
}
