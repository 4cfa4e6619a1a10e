import type { FloatArray } from "../../tensor/dtype.js";
import type { PoolWindows } from "../kernels.js";

// 2-D pooling over planes [planes, inH, inW], one window per output (i, j): rows window i by
// columns window j, both from the op layer's tables, so no bounds checks run in the loops.

/** Zeros gx, then adds each plane's gy at its indices (the contract's maxPool2dBackward). */
export function maxPool2dBackward(gy: FloatArray, indices: Int32Array, planes: number, inPlane: number, outPlane: number,
  gx: FloatArray): void {
  gx.fill(0);
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let end = o + outPlane; o < end; o++) gx[base + indices[o]!]! += gy[o]!;
  }
}

/** Max over each window with the flat in-plane index of the winner (first max; a NaN wins, the last one). */
export function maxPool2d(x: FloatArray, planes: number, inH: number, inW: number, rows: PoolWindows, cols: PoolWindows,
  out: FloatArray, indices: Int32Array): void {
  const outH = rows.start.length, outW = cols.start.length;
  const rowStep = rows.step * inW, colStep = cols.step;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * inH * inW;
    for (let i = 0; i < outH; i++) {
      const r0 = rows.start[i]! * inW, r1 = rows.end[i]! * inW;
      for (let j = 0; j < outW; j++, o++) {
        const c0 = cols.start[j]!, c1 = cols.end[j]!;
        let at = r0 + c0;
        let max = x[plane + at]!;
        for (let r = r0; r < r1; r += rowStep) {
          for (let q = r + c0, end = r + c1; q < end; q += colStep) {
            const v = x[plane + q]!;
            if (v > max || v !== v) { max = v; at = q; }
          }
        }
        out[o] = max;
        indices[o] = at;
      }
    }
  }
}

/**
 * Calls visit once per output o (row-major over planes, rows, columns) of an average: its
 * window spans the flat offsets r0 … r1 (exclusive, step inW) of its rows' starts and columns
 * c0 … c1 (exclusive); its divisor is the override when non-zero, else the product of the counts.
 */
function eachMeanWindow(planes: number, inH: number, inW: number, rows: PoolWindows, cols: PoolWindows, divisorOverride: number,
  visit: (o: number, r0: number, r1: number, c0: number, c1: number, divisor: number) => void): void {
  const outH = rows.start.length, outW = cols.start.length;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * inH * inW;
    for (let i = 0; i < outH; i++) {
      const r0 = plane + rows.start[i]! * inW, r1 = plane + rows.end[i]! * inW;
      for (let j = 0; j < outW; j++, o++) {
        visit(o, r0, r1, cols.start[j]!, cols.end[j]!, divisorOverride !== 0 ? divisorOverride : rows.count[i]! * cols.count[j]!);
      }
    }
  }
}

/** Sum of each window over its divisor. */
export function avgPool2d(x: FloatArray, planes: number, inH: number, inW: number, rows: PoolWindows, cols: PoolWindows,
  divisorOverride: number, out: FloatArray): void {
  eachMeanWindow(planes, inH, inW, rows, cols, divisorOverride, (o, r0, r1, c0, c1, divisor) => {
    let sum = 0;
    for (let r = r0; r < r1; r += inW) for (let at = r + c0, end = r + c1; at < end; at++) sum += x[at]!;
    out[o] = sum / divisor;
  });
}

/** Spreads each gy[p,i,j]/divisor over its window, summing where windows overlap. */
export function avgPool2dBackward(gy: FloatArray, planes: number, inH: number, inW: number, rows: PoolWindows,
  cols: PoolWindows, divisorOverride: number, gx: FloatArray): void {
  gx.fill(0);
  eachMeanWindow(planes, inH, inW, rows, cols, divisorOverride, (o, r0, r1, c0, c1, divisor) => {
    const g = gy[o]! / divisor;
    for (let r = r0; r < r1; r += inW) for (let at = r + c0, end = r + c1; at < end; at++) gx[at] += g;
  });
}
