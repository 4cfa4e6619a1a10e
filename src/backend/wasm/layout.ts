import type { TypedArray } from "../../tensor/dtype.js";
import { stridesOf } from "../../tensor/shape.js";
import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelTable } from "./placement.js";

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
export function wasmLayout(mod: WasmModule): WasmKernelTable {
  const w = mod.exports as unknown as LayoutExports;
  return {
    permute: {
      sameAsJs: exact,
      takes: (x, shape, _perm, out) => same32(x, out, shape.length),
      run(place, x, shape, perm, out) {
        const px = place.input(x), po = place.output(out);
        if (shape.length === 2 && perm[0] === 1) return w.transpose_32(px, po, shape[0]!, shape[1]!);
        const strides = stridesOf(shape);
        w.strided_copy_32(px, po, shape.length, place.ints(perm.map((p) => shape[p]!)), place.ints(perm.map((p) => strides[p]!)), 0);
      },
    },
    slice: {
      sameAsJs: exact,
      takes: (x, shape, _starts, _steps, out) => same32(x, out, shape.length),
      run(place, x, shape, starts, steps, out, outShape) {
        const [start, strides] = window(shape, starts, steps);
        w.strided_copy_32(place.input(x), place.output(out), outShape.length, place.ints(outShape), place.ints(strides), start);
      },
    },
    sliceAdd: {
      sameAsJs: exact,
      takes: (src, _srcShape, out, shape) => allFloat32(src, out) && shape.length <= MAX_RANK,
      run(place, src, srcShape, out, shape, starts, steps) {
        const [start, strides] = window(shape, starts, steps);
        w.strided_add_f32(place.input(src), place.update(out), srcShape.length, place.ints(srcShape), place.ints(strides), start);
      },
    },
    expand: {
      sameAsJs: exact,
      takes: (x, _shape, out, outShape) => same32(x, out, outShape.length),
      run(place, x, shape, out, outShape) {
        const strides = stridesOf(shape).map((s, d) => (shape[d] === 1 ? 0 : s));
        w.strided_copy_32(place.input(x), place.output(out), outShape.length, place.ints(outShape), place.ints(strides), 0);
      },
    },
    gather: {
      sameAsJs: exact,
      takes: (x, shape, _dim, _index, indexShape, out) => same32(x, out, Math.max(shape.length, indexShape.length)),
      run(place, x, shape, dim, index, indexShape, out) {
        const [strides, dimStride] = gatherStrides(shape, dim, indexShape);
        w.gather_32(place.input(x), place.input(index), place.output(out), indexShape.length, place.ints(indexShape), place.ints(strides), dimStride);
      },
    },
    scatterAdd: {
      sameAsJs: exact,
      takes: (out, shape, _dim, _index, indexShape, src) => allFloat32(out, src) && Math.max(shape.length, indexShape.length) <= MAX_RANK,
      run(place, out, shape, dim, index, indexShape, src) {
        const [strides, dimStride] = gatherStrides(shape, dim, indexShape);
        w.scatter_add_f32(place.update(out), place.input(index), place.input(src), indexShape.length, place.ints(indexShape), place.ints(strides), dimStride);
      },
    },
  };
}
