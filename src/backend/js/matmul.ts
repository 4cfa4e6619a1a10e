import type { FloatArray } from "../../tensor/dtype.js";

// Blocking sizes: a KC-deep panel of 4 columns of B is 4·KC doubles (4 KiB), so the
// micro-kernel's working set stays in L1 while it sweeps a 4-row panel of A.
const KC = 128;
const MR = 4;
const NR = 4;

/**
 * Cache-blocked GEMM in the GotoBLAS shape: for each KC-deep slice of k, pack B into
 * 4-column panels and A into 4-row panels (applying the transposes while packing, in
 * float64), then a 4×4 register-tiled micro-kernel accumulates each tile of C.
 */
export function matmul(
  a: FloatArray, b: FloatArray, out: FloatArray,
  batch: number, m: number, n: number, k: number,
  transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number,
): void {
  const nPanels = Math.ceil(n / NR);
  const mPanels = Math.ceil(m / MR);
  const bPack = new Float64Array(nPanels * NR * Math.min(KC, Math.max(k, 1)));
  const aPack = new Float64Array(MR * Math.min(KC, Math.max(k, 1)));
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * aBatchStride;
    const bOff = bi * bBatchStride;
    const cOff = bi * m * n;
    out.fill(0, cOff, cOff + m * n);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(b, bOff, bPack, p0, kc, n, k, transB);
      for (let ip = 0; ip < mPanels; ip++) {
        const i0 = ip * MR;
        packA(a, aOff, aPack, i0, p0, kc, m, k, transA);
        for (let jp = 0; jp < nPanels; jp++) {
          microKernel(aPack, bPack, jp * NR * kc, kc, out, cOff, i0, jp * NR, m, n);
        }
      }
    }
  }
}

/** bPack[panel][p][0..3] = op(B)[p0+p][panel·4 + 0..3], zero beyond n. */
function packB(b: FloatArray, off: number, bPack: Float64Array, p0: number, kc: number, n: number, k: number, trans: boolean): void {
  const nPanels = Math.ceil(n / NR);
  for (let jp = 0; jp < nPanels; jp++) {
    const base = jp * NR * kc;
    for (let jj = 0; jj < NR; jj++) {
      const j = jp * NR + jj;
      if (j >= n) {
        for (let p = 0; p < kc; p++) bPack[base + p * NR + jj] = 0;
      } else if (trans) {
        const row = off + j * k + p0; // B stored [n,k]
        for (let p = 0; p < kc; p++) bPack[base + p * NR + jj] = b[row + p]!;
      } else {
        let idx = off + p0 * n + j; // B stored [k,n]
        for (let p = 0; p < kc; p++, idx += n) bPack[base + p * NR + jj] = b[idx]!;
      }
    }
  }
}

/** aPack[p][0..3] = op(A)[i0 + 0..3][p0+p], zero beyond m. */
function packA(a: FloatArray, off: number, aPack: Float64Array, i0: number, p0: number, kc: number, m: number, k: number, trans: boolean): void {
  for (let ii = 0; ii < MR; ii++) {
    const i = i0 + ii;
    if (i >= m) {
      for (let p = 0; p < kc; p++) aPack[p * MR + ii] = 0;
    } else if (trans) {
      let idx = off + p0 * m + i; // A stored [k,m]
      for (let p = 0; p < kc; p++, idx += m) aPack[p * MR + ii] = a[idx]!;
    } else {
      const row = off + i * k + p0; // A stored [m,k]
      for (let p = 0; p < kc; p++) aPack[p * MR + ii] = a[row + p]!;
    }
  }
}

function microKernel(
  aPack: Float64Array, bPack: Float64Array, bBase: number, kc: number,
  c: FloatArray, cOff: number, i0: number, j0: number, m: number, n: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0, ai = 0, bi = bBase; p < kc; p++, ai += 4, bi += 4) {
    const a0 = aPack[ai]!, a1 = aPack[ai + 1]!, a2 = aPack[ai + 2]!, a3 = aPack[ai + 3]!;
    const b0 = bPack[bi]!, b1 = bPack[bi + 1]!, b2 = bPack[bi + 2]!, b3 = bPack[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  const rows = Math.min(MR, m - i0);
  const cols = Math.min(NR, n - j0);
  if (rows === 4 && cols === 4) {
    let r = cOff + i0 * n + j0;
    c[r] += c00; c[r + 1] += c01; c[r + 2] += c02; c[r + 3] += c03; r += n;
    c[r] += c10; c[r + 1] += c11; c[r + 2] += c12; c[r + 3] += c13; r += n;
    c[r] += c20; c[r + 1] += c21; c[r + 2] += c22; c[r + 3] += c23; r += n;
    c[r] += c30; c[r + 1] += c31; c[r + 2] += c32; c[r + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let ii = 0; ii < rows; ii++) {
    for (let jj = 0; jj < cols; jj++) c[cOff + (i0 + ii) * n + j0 + jj] += tile[ii * 4 + jj]!;
  }
}
