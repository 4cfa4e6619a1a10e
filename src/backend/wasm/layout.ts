import type { TypedArray } from "../../tensor/dtype.js";
import { stridesOf } from "../../tensor/shape.js";
import type { WasmModule } from "./module.js";
import { allFloat32, withInts, type WasmKernelSet } from "./kernel.js";

/** Moves, and sums in double in js's order: js's bits. */
const exact = () => true;

/** The most dims native/wasm/layout.cc and elementwise.cc walk (their index arrays). */
const MAX_RANK = 32;

interface LayoutExports {
  strided_copy_32(x: number, out: number, rank: number, shape: number, strides: number, start: number): void;
  transpose_32(x: number, out: number, r: number, c: number): void;
  strided_add_f32(src: number, out: number, rank: number, shape: number, strides: number, start: number): void;
  gather_32(x: number, index: number, out: number, rank: number, shape: number, strides: number, dimStride: number): void;
  scatter_add_f32(out: number, index: number, src: number, rank: number, shape: number, strides: number, dimStride: number): void;
}
const w = (mod: WasmModule) => mod.exports as unknown as LayoutExports;

/** Moves of 32-bit elements serve float32 and int32 alike; float64 runs on js. */
const same32 = (x: TypedArray, out: TypedArray, rank: number) => x.BYTES_PER_ELEMENT === 4 && x.constructor === out.constructor && rank <= MAX_RANK;

/** The start and per-dim strides of a strided window (starts, steps) of an array of `shape`, as the js kernel walks it. */
function window(shape: readonly number[], starts: readonly number[], steps: readonly number[]): [number, number[]] {
  const strides = stridesOf(shape);
  let start = 0;
  for (let d = 0; d < shape.length; d++) start += starts[d]! * strides[d]!;
  return [start, strides.map((s, d) => s * steps[d]!)];
}

/** x's strides over index's shape with the gathered dim's own left out (it comes from the index), and that dim's stride. */
function gatherStrides(shape: readonly number[], dim: number, indexShape: readonly number[]): [number[], number] {
  const strides = stridesOf(shape);
  return [strides.map((s, d) => (d === dim ? 0 : s)).slice(0, indexShape.length), strides[dim]!];
}

/** permute, slice, sliceAdd, expand, gather and scatterAdd as strided walks (float32 and int32; the sums float32). */
export const layoutKernels: WasmKernelSet = {
  permute: {
    sameAsJs: exact,
    takes: (x, shape, _perm, out) => same32(x, out, shape.length),
    run(mod, io, x, shape, perm, out) {
      const px = io.read(x), po = io.write(out);
      if (shape.length === 2 && perm[0] === 1) return w(mod).transpose_32(px, po, shape[0]!, shape[1]!);
      const strides = stridesOf(shape);
      withInts(mod, (ints) => w(mod).strided_copy_32(px, po, shape.length, ints(perm.map((p) => shape[p]!)), ints(perm.map((p) => strides[p]!)), 0));
    },
  },
  slice: {
    sameAsJs: exact,
    takes: (x, shape, _starts, _steps, out) => same32(x, out, shape.length),
    run(mod, io, x, shape, starts, steps, out, outShape) {
      const [start, strides] = window(shape, starts, steps);
      withInts(mod, (ints) => w(mod).strided_copy_32(io.read(x), io.write(out), outShape.length, ints(outShape), ints(strides), start));
    },
  },
  sliceAdd: {
    sameAsJs: exact,
    takes: (src, _srcShape, out, shape) => allFloat32(src, out) && shape.length <= MAX_RANK,
    run(mod, io, src, srcShape, out, shape, starts, steps) {
      const [start, strides] = window(shape, starts, steps);
      withInts(mod, (ints) => w(mod).strided_add_f32(io.read(src), io.update(out), srcShape.length, ints(srcShape), ints(strides), start));
    },
  },
  expand: {
    sameAsJs: exact,
    takes: (x, _shape, out, outShape) => same32(x, out, outShape.length),
    run(mod, io, x, shape, out, outShape) {
      const strides = stridesOf(shape).map((s, d) => (shape[d] === 1 ? 0 : s));
      withInts(mod, (ints) => w(mod).strided_copy_32(io.read(x), io.write(out), outShape.length, ints(outShape), ints(strides), 0));
    },
  },
  gather: {
    sameAsJs: exact,
    takes: (x, shape, _dim, _index, indexShape, out) => same32(x, out, Math.max(shape.length, indexShape.length)),
    run(mod, io, x, shape, dim, index, indexShape, out) {
      const [strides, dimStride] = gatherStrides(shape, dim, indexShape);
      withInts(mod, (ints) => w(mod).gather_32(io.read(x), io.read(index), io.write(out), indexShape.length, ints(indexShape), ints(strides), dimStride));
    },
  },
  scatterAdd: {
    sameAsJs: exact,
    takes: (out, shape, _dim, _index, indexShape, src) => allFloat32(out, src) && Math.max(shape.length, indexShape.length) <= MAX_RANK,
    run(mod, io, out, shape, dim, index, indexShape, src) {
      const [strides, dimStride] = gatherStrides(shape, dim, indexShape);
      withInts(mod, (ints) => w(mod).scatter_add_f32(io.update(out), io.read(index), io.read(src), indexShape.length, ints(indexShape), ints(strides), dimStride));
    },
  },
};
