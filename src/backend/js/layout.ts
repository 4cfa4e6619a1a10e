import type { TypedArray } from "../../tensor/dtype.js";
import { stridesOf } from "../../tensor/shape.js";

/** Calls visit(outIndex, srcOffset) for every element, srcOffset following srcStrides. */
function walk(shape: readonly number[], srcStrides: readonly number[], srcStart: number,
  visit: (o: number, s: number) => void): void {
  const rank = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  const idx = new Array<number>(rank).fill(0);
  let off = srcStart;
  for (let o = 0; o < total; o++) {
    visit(o, off);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      off += srcStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= srcStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const srcStrides = perm.map((p) => inStrides[p]!);
  // Fast path for the 2D transpose, the case matmul backward and data layout hit most.
  if (shape.length === 2 && perm[0] === 1) {
    const [r, c] = shape as [number, number];
    const B = 32;
    for (let i0 = 0; i0 < r; i0 += B) {
      for (let j0 = 0; j0 < c; j0 += B) {
        const iEnd = Math.min(i0 + B, r), jEnd = Math.min(j0 + B, c);
        for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[j * r + i] = x[i * c + j]!;
      }
    }
    return;
  }
  // The last dim stays last ([O, N, L] → [N, O, L] in conv2d): copy whole rows.
  const rank = shape.length;
  if (rank >= 2 && perm[rank - 1] === rank - 1) {
    const row = shape[rank - 1]!;
    walk(outShape.slice(0, -1), srcStrides.slice(0, -1), 0, (o, s) => { out.set(x.subarray(s, s + row), o * row); });
    return;
  }
  walk(outShape, srcStrides, 0, (o, s) => { out[o] = x[s]!; });
}

function windowStrides(shape: readonly number[], starts: readonly number[], steps: readonly number[]): [number, number[]] {
  const strides = stridesOf(shape);
  let start = 0;
  for (let d = 0; d < shape.length; d++) start += starts[d]! * strides[d]!;
  return [start, strides.map((s, d) => s * steps[d]!)];
}

export function slice(x: TypedArray, shape: readonly number[], starts: readonly number[], steps: readonly number[],
  out: TypedArray, outShape: readonly number[]): void {
  const [start, strides] = windowStrides(shape, starts, steps);
  walk(outShape, strides, start, (o, s) => { out[o] = x[s]!; });
}

export function sliceAdd(src: TypedArray, srcShape: readonly number[], out: TypedArray, shape: readonly number[],
  starts: readonly number[], steps: readonly number[]): void {
  const [start, strides] = windowStrides(shape, starts, steps);
  walk(srcShape, strides, start, (o, s) => { out[s] += src[o]!; });
}

export function expand(x: TypedArray, shape: readonly number[], out: TypedArray, outShape: readonly number[]): void {
  const strides = stridesOf(shape).map((s, d) => (shape[d] === 1 ? 0 : s));
  const last = outShape.length - 1;
  // A row repeated over leading dims (a bias, say) is a run of block copies.
  if (last >= 0 && strides.slice(0, last).every((s) => s === 0) && shape[last] === outShape[last]) {
    const row = outShape[last]!;
    for (let o = 0; o < out.length; o += row) out.set(x.subarray(0, row), o);
    return;
  }
  walk(outShape, strides, 0, (o, s) => { out[o] = x[s]!; });
}

function gatherLayout(shape: readonly number[], dim: number, indexShape: readonly number[]): number[] {
  // Offsets into x for every position of index, less the gathered dim's own contribution.
  return stridesOf(shape).map((s, d) => (d === dim ? 0 : s)).slice(0, indexShape.length);
}

export function gather(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array,
  indexShape: readonly number[], out: TypedArray): void {
  const strides = gatherLayout(shape, dim, indexShape);
  const dimStride = stridesOf(shape)[dim]!;
  walk(indexShape, strides, 0, (o, s) => { out[o] = x[s + index[o]! * dimStride]!; });
}

export function scatterAdd(out: TypedArray, shape: readonly number[], dim: number, index: Int32Array,
  indexShape: readonly number[], src: TypedArray): void {
  // Rows of a 2-D table scattered along dim 1 (max pooling's backward, per plane): a plain loop.
  if (shape.length === 2 && dim === 1 && indexShape.length === 2 && indexShape[0] === shape[0]) {
    const [rows, width] = shape as [number, number], n = indexShape[1]!;
    for (let r = 0, o = 0; r < rows; r++) for (let j = 0; j < n; j++, o++) out[r * width + index[o]!] += src[o]!;
    return;
  }
  const strides = gatherLayout(shape, dim, indexShape);
  const dimStride = stridesOf(shape)[dim]!;
  walk(indexShape, strides, 0, (o, s) => { out[s + index[o]! * dimStride] += src[o]!; });
}
