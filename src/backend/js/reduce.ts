import type { FloatArray, TypedArray } from "../../tensor/dtype.js";
import type { ReduceOp } from "../kernels.js";

/** Reduces x viewed as [outer, size, inner] over its middle axis. Sums accumulate in float64. */
export function reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let j = 0; j < inner; j++) {
      let i = base + j;
      if (op === "sum") {
        let acc = 0;
        for (let s = 0; s < size; s++, i += inner) acc += x[i]!;
        out[o * inner + j] = acc;
      } else if (op === "max" || op === "min") {
        let best = size === 0 ? NaN : x[i]!;
        const isMax = op === "max";
        for (let s = 0; s < size; s++, i += inner) {
          const v = x[i]!;
          if (v !== v) { best = NaN; break; } // NaN wins, as in torch
          if (isMax ? v > best : v < best) best = v;
        }
        out[o * inner + j] = best;
      } else {
        // First index of the extreme value, as torch.argmax returns.
        let best = x[i]!;
        let at = 0;
        const isMax = op === "argmax";
        for (let s = 0; s < size; s++, i += inner) {
          const v = x[i]!;
          if (v !== v) { at = s; break; }
          if (isMax ? v > best : v < best) { best = v; at = s; }
        }
        out[o * inner + j] = at;
      }
    }
  }
}

/** Numerically stable softmax / log-softmax over the middle axis of [outer, size, inner]. */
export function softmax(x: FloatArray, outer: number, size: number, inner: number, out: FloatArray, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const start = o * size * inner + j;
      const end = start + size * inner;
      let max = -Infinity;
      for (let i = start; i < end; i += inner) if (x[i]! > max) max = x[i]!;
      if (max === -Infinity || max !== max) max = 0;
      let sum = 0;
      for (let i = start; i < end; i += inner) sum += Math.exp(x[i]! - max);
      if (log) {
        const lse = max + Math.log(sum);
        for (let i = start; i < end; i += inner) out[i] = x[i]! - lse;
      } else {
        for (let i = start; i < end; i += inner) out[i] = Math.exp(x[i]! - max) / sum;
      }
    }
  }
}

// The chunk whose partial sums every backend adds in order (see Kernels.sumOfSquares).
export const SUM_OF_SQUARES_CHUNK = 1 << 14;

export function sumOfSquares(x: FloatArray): number {
  let total = 0;
  for (let start = 0; start < x.length; start += SUM_OF_SQUARES_CHUNK) {
    const end = Math.min(x.length, start + SUM_OF_SQUARES_CHUNK);
    // Four accumulators, in this order, as the native loop keeps them; V8 runs this twice as fast as one.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = start;
    for (; i + 3 < end; i += 4) {
      const a = x[i]!, b = x[i + 1]!, c = x[i + 2]!, d = x[i + 3]!;
      s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
    }
    for (; i < end; i++) s0 += x[i]! * x[i]!;
    total += (s0 + s1) + (s2 + s3);
  }
  return total;
}
