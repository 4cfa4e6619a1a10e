import type { ReduceOp } from "../kernels.js";
import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelSet } from "./kernel.js";

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
const w = (mod: WasmModule) => mod.exports as unknown as ReduceExports;

/**
 * reduce (sum, max, min into float32; argmax, argmin into int32), softmax, sumOfSquares and the fused cross-entropy
 * with its backward, on float32 inputs; other dtypes run on js.
 */
export const reduceKernels: WasmKernelSet = {
  reduce: {
    sameAsJs: exact,
    takes: (op, x, _o, _s, _i, out) => x instanceof Float32Array && (isIndex(op) ? out instanceof Int32Array : out instanceof Float32Array),
    run(mod, io, op, x, outer, size, inner, out) {
      const px = io.read(x), po = io.write(out);
      w(mod).reduce_f32(REDUCE_CODE[op], px, outer, size, inner, isIndex(op) ? 0 : po, isIndex(op) ? po : 0);
    },
  },
  softmax: {
    takes: (x, _o, _s, _i, out) => allFloat32(x, out),
    run: (mod, io, x, outer, size, inner, out, log) => w(mod).softmax_f32(io.read(x), outer, size, inner, io.write(out), log ? 1 : 0),
  },
  sumOfSquares: {
    sameAsJs: exact,
    takes: (x) => allFloat32(x),
    run: (mod, io, x) => w(mod).sum_of_squares_f32(io.read(x), x.length),
  },
  crossEntropy: {
    takes: (x, _n, _c, _t, _s, loss, probs) => allFloat32(x, loss, probs),
    run: (mod, io, x, n, c, target, smoothing, loss, probs) =>
      w(mod).cross_entropy_f32(io.read(x), n, c, io.read(target), smoothing, io.write(loss), io.write(probs)),
  },
  crossEntropyBackward: {
    sameAsJs: exact,
    takes: (probs, _t, _n, _c, _s, gLoss, gx) => allFloat32(probs, gLoss, gx),
    run: (mod, io, probs, target, n, c, smoothing, gLoss, gx) =>
      w(mod).cross_entropy_backward_f32(io.read(probs), io.read(target), n, c, smoothing, io.read(gLoss), io.write(gx)),
  },
};
