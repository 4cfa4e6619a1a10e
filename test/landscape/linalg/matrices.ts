/**
 * Symmetric test matrices with a spectrum known in closed form: A = U·diag(λ)·Uᵀ with U = I − 2uuᵀ/uᵀu
 * (a Householder reflection: orthogonal and symmetric), so A's eigenvalues are λ and its eigenvectors U's columns.
 */
export function withSpectrum(lambda: readonly number[]): { matrix: Float64Array; n: number; eigenvector: (i: number) => Float64Array } {
  const n = lambda.length;
  const u = Float64Array.from({ length: n }, (_, i) => Math.cos(1.7 * i + 0.3) + 0.1);
  const uu = u.reduce((s, x) => s + x * x, 0);
  const c = 2 / uu;
  const U = (i: number, j: number) => (i === j ? 1 : 0) - c * u[i]! * u[j]!;
  // UΛU = Λ − c·u(Λu)ᵀ − c·(Λu)uᵀ + c²·(uᵀΛu)·uuᵀ, in O(n²).
  const lu = u.map((x, i) => lambda[i]! * x);
  const ulu = u.reduce((s, x, i) => s + x * lu[i]!, 0);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    matrix[i * n + j] = (i === j ? lambda[i]! : 0) - c * (u[i]! * lu[j]! + lu[i]! * u[j]!) + c * c * ulu * u[i]! * u[j]!;
  }
  return { matrix, n, eigenvector: (k) => Float64Array.from({ length: n }, (_, i) => U(i, k)) };
}

/** |a·b| for unit vectors: 1 when they span the same line (eigenvectors are defined up to sign). */
export function alignment(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return Math.abs(s);
}

/**
 * The eigenvalues of a symmetric row-major n×n matrix, ascending, by cyclic Jacobi rotations (Golub & Van Loan
 * §8.5): a reference that shares nothing with Lanczos or the QL solver under test.
 */
export function jacobiEigenvalues(matrix: Float64Array, n: number): number[] {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p * n + q]!;
      if (apq === 0) continue;
      const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) { // columns p, q
        const akp = a[k * n + p]!, akq = a[k * n + q]!;
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) { // rows p, q
        const apk = a[p * n + k]!, aqk = a[q * n + k]!;
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]!).sort((x, y) => x - y);
}
