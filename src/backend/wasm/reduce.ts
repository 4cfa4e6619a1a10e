import type { ReduceOp } from "../kernels.js";
import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelTable } from "./placement.js";

// Op codes of native/wasm/reduce.cc.
const REDUCE_CODE: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 };
const isIndex = (op: ReduceOp) => op === "argmax" || op === "argmin";
/** Sums in double in js's order, comparisons and the cross-entropy gradient's arithmetic: js's bits (softmax and the loss take exp). */
const exact = () => true;

interface ReduceExports {
  reduce_f32(op: number, x: number, outer: number, size: number, inner: number, out: number, outIndex: number): void;
  softmax_f32(x: number, outer: number, size: number, inner: number, out: number, log: number): void;
  sum_of_squares_f32(x: number, n: number): number;
  cross_entropy_f32(x: number, n: number, c: number, target: number, smoothing: number, loss: number, probs: number): void;
  cross_entropy_backward_f32(probs: number, target: number, n: number, c: number, smoothing: number, gLoss: number, gx: number): void;
}

/**
 * reduce (sum, max, min into float32; argmax, argmin into int32), softmax, sumOfSquares and the fused cross-entropy
 * with its backward, on float32 inputs; other dtypes run on js.
 */
export function wasmReduce(mod: WasmModule): WasmKernelTable {
  const w = mod.exports as unknown as ReduceExports;
  return {
    reduce: {
      sameAsJs: exact,
      takes: (op, x, _o, _s, _i, out) => x instanceof Float32Array && (isIndex(op) ? out instanceof Int32Array : out instanceof Float32Array),
      run(place, op, x, outer, size, inner, out) {
        const px = place.input(x), po = place.output(out);
        w.reduce_f32(REDUCE_CODE[op], px, outer, size, inner, isIndex(op) ? 0 : po, isIndex(op) ? po : 0);
      },
    },
    softmax: {
      takes: (x, _o, _s, _i, out) => allFloat32(x, out),
      run: (place, x, outer, size, inner, out, log) => w.softmax_f32(place.input(x), outer, size, inner, place.output(out), log ? 1 : 0),
    },
    sumOfSquares: {
      sameAsJs: exact,
      takes: (x) => allFloat32(x),
      run: (place, x) => w.sum_of_squares_f32(place.input(x), x.length),
    },
    crossEntropy: {
      takes: (x, _n, _c, _t, _s, loss, probs) => allFloat32(x, loss, probs),
      run: (place, x, n, c, target, smoothing, loss, probs) =>
        w.cross_entropy_f32(place.input(x), n, c, place.input(target), smoothing, place.output(loss), place.output(probs)),
    },
    crossEntropyBackward: {
      sameAsJs: exact,
      takes: (probs, _t, _n, _c, _s, gLoss, gx) => allFloat32(probs, gLoss, gx),
      run: (place, probs, target, n, c, smoothing, gLoss, gx) =>
        w.cross_entropy_backward_f32(place.input(probs), place.input(target), n, c, smoothing, place.input(gLoss), place.output(gx)),
    },
  };
}
