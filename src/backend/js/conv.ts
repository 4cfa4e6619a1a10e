import type { FloatArray } from "../../tensor/dtype.js";
import type { ConvGeometry } from "../kernels.js";

/**
 * im2col (src/backend/kernels.ts has the layout): for each kernel offset (i, j) and output row y, the
 * input row it reads is fixed, so the inner loop over output columns is a strided copy with the
 * out-of-bounds ends zeroed.
 */
export function im2col(x: FloatArray, n: number, g: ConvGeometry, cols: FloatArray): void {
  const [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = g;
  const L = oh * ow, width = n * L;
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < c; ci++) {
      const plane = (b * c + ci) * h * w;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const row = ((ci * kh + i) * kw + j) * width + b * L;
          for (let y = 0; y < oh; y++) {
            const iy = y * sh - ph + i * dh;
            const dst = row + y * ow;
            if (iy < 0 || iy >= h) { cols.fill(0, dst, dst + ow); continue; }
            const src = plane + iy * w - pw + j * dw;
            for (let xo = 0, ix = j * dw - pw; xo < ow; xo++, ix += sw) cols[dst + xo] = ix >= 0 && ix < w ? x[src + xo * sw]! : 0;
          }
        }
      }
    }
  }
}

/** col2im: the adjoint of im2col, summing each column entry back into the place it was read from. */
export function col2im(cols: FloatArray, n: number, g: ConvGeometry, out: FloatArray): void {
  const [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = g;
  const L = oh * ow, width = n * L;
  out.fill(0);
  for (let b = 0; b < n; b++) {
    for (let ci = 0; ci < c; ci++) {
      const plane = (b * c + ci) * h * w;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const row = ((ci * kh + i) * kw + j) * width + b * L;
          for (let y = 0; y < oh; y++) {
            const iy = y * sh - ph + i * dh;
            if (iy < 0 || iy >= h) continue;
            const src = row + y * ow;
            const dst = plane + iy * w - pw + j * dw;
            for (let xo = 0, ix = j * dw - pw; xo < ow; xo++, ix += sw) if (ix >= 0 && ix < w) out[dst + xo * sw] += cols[src + xo]!;
          }
        }
      }
    }
  }
}
