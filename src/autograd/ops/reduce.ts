import type { ReduceOp } from "../../backend/kernels.js";
import { normalizeDim, normalizeDims, sizeOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { MinimaError, showShape } from "../../errors.js";
import { noGrad } from "../no-grad.js";
import { record } from "../tape.js";
import { convert } from "./convert.js";
import { gather } from "./indexing.js";
import { expand, reshape } from "./shape.js";
import { empty, floatOf, kernels } from "./util.js";

/** The shape after reducing `dims` with keepdim (sizes 1 where reduced). */
function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

function finalShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? keptShape(shape, dims) : shape.filter((_, i) => !dims.includes(i));
}

/** Applies a kernel reduction over each of dims in turn, outside the graph; returns the keepdim-shaped result. */
function reduceData(op: ReduceOp, x: Tensor, dims: readonly number[], dtype = x.dtype): Tensor {
  let cur = x;
  let shape = [...x.shape];
  for (const d of dims) {
    const outer = sizeOf(shape.slice(0, d));
    const inner = sizeOf(shape.slice(d + 1));
    const next = [...shape];
    next[d] = 1;
    const out = empty(next, op === "argmax" || op === "argmin" ? "int32" : dtype);
    kernels().reduce(op, cur.data, outer, shape[d]!, inner, out.data);
    cur = out;
    shape = next;
  }
  return cur;
}

/** Sum over dims (all when omitted). @example x.sum(1, true) */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = normalizeDims("sum", dim, x.ndim);
  const kept = reduceData("sum", x, dims);
  const out = reshape(kept.detach(), finalShape(x.shape, dims, keepdim));
  return record(out, "sum", [x], (gy) => [expand(reshape(gy, keptShape(x.shape, dims)), x.shape)]);
}

/** Mean over dims (all when omitted); integer input gives float32. */
export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = normalizeDims("mean", dim, x.ndim);
  const count = dims.reduce((n, d) => n * x.shape[d]!, 1);
  return sum(convert(x, floatOf(x.dtype), false), dims, keepdim).div(count);
}

/** The largest (or smallest) value along a dim and the index where it is: torch.return_types.max. */
export interface ValuesAndIndices {
  /** The extreme values; their gradient flows to the element each index names. */
  values: Tensor;
  /** Where along the dim each value is (the first, on ties; a NaN's, when the row has one), as int32. */
  indices: Tensor;
}

/**
 * The largest element (no dim), or the largest along `dim` with where it is, as torch.max: `{ values,
 * indices }` (indices int32, the first on ties, NaN wins). The gradient of the values goes to the indexed
 * element; of the all-element max, it is shared evenly among tied maxima (as torch). `amax` reduces over
 * dims without indices.
 * @example const { values, indices } = mn.max(logits, 1);
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesAndIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesAndIndices {
  return dim === undefined ? extreme("max", x, undefined, false) : extremeWithIndex("max", x, dim, keepdim);
}

/** The smallest element (no dim), or the smallest along `dim` with where it is, as torch.min (see `max`). */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesAndIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesAndIndices {
  return dim === undefined ? extreme("min", x, undefined, false) : extremeWithIndex("min", x, dim, keepdim);
}

/**
 * Max over dims (all when omitted), values only, as torch.amax: ties share the gradient evenly.
 * @example x.amax([1, 2], true)
 */
export function amax(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extreme("max", x, dim, keepdim);
}

/** Min over dims (all when omitted), values only, as torch.amin: ties share the gradient evenly. */
export function amin(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extreme("min", x, dim, keepdim);
}

function extreme(op: "max" | "min", x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  if (x.numel() === 0) throw new MinimaError({ where: op, what: "cannot reduce an empty tensor" });
  const dims = normalizeDims(op, dim, x.ndim);
  const kept = reduceData(op, x, dims);
  const out = reshape(kept, finalShape(x.shape, dims, keepdim));
  return record(out, op, [x], (gy) => {
    const hits = noGrad(() => x.eq(expand(kept, x.shape)));
    const share = noGrad(() => hits.div(expand(sum(hits, dims, true), x.shape)));
    return [expand(reshape(gy, kept.shape), x.shape).mul(share)];
  });
}

/** The values picked by their index (gather), so the gradient reaches that element alone, as in torch. */
function extremeWithIndex(op: "max" | "min", x: Tensor, dim: number, keepdim: boolean): ValuesAndIndices {
  if (x.ndim === 0) {
    normalizeDim(op, dim, 1);
    const one = extremeWithIndex(op, reshape(x, [1]), 0, false);
    return { values: reshape(one.values, []), indices: reshape(one.indices, []) };
  }
  const d = normalizeDim(op, dim, x.ndim);
  if (x.shape[d] === 0) throw new MinimaError({ where: op, what: `cannot reduce dim ${dim} of size 0`, got: `shape ${showShape(x.shape)}` });
  const indices = argExtreme(op === "max" ? "argmax" : "argmin", x, d, true);
  const values = gather(x, d, indices);
  const shape = finalShape(x.shape, [d], keepdim);
  return { values: reshape(values, shape), indices: reshape(indices, shape) };
}

/** Index of the first maximum along dim (of the flattened tensor when dim is omitted), as int32. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme("argmax", x, dim, keepdim);
}

/** Index of the first minimum along dim (of the flattened tensor when dim is omitted), as int32. */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme("argmin", x, dim, keepdim);
}

function argExtreme(op: "argmax" | "argmin", x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (dim === undefined) {
    const flat = reduceData(op, reshape(x.detach(), [x.numel()]), [0]);
    return reshape(flat, keepdim ? x.shape.map(() => 1) : []);
  }
  const dims = normalizeDims(op, dim, x.ndim);
  return reshape(reduceData(op, x, dims), finalShape(x.shape, dims, keepdim));
}

export interface VarOptions {
  /** Subtracted from the count in the denominator: 1 (default) is Bessel's unbiased estimate, 0 the population variance. */
  correction?: number;
  keepdim?: boolean;
}

/** Variance over dims: Σ(x − mean)² / (N − correction). */
export function variance(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor {
  const { correction = 1, keepdim = false } = options;
  const dims = normalizeDims("var", dim, x.ndim);
  const count = dims.reduce((n, d) => n * x.shape[d]!, 1);
  const centered = x.sub(mean(x, dims, true));
  return sum(centered.mul(centered), dims, keepdim).div(Math.max(count - correction, 0));
}

/** Standard deviation: the square root of `variance`. */
export function std(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor {
  return variance(x, dim, options).sqrt();
}

/** log Σ exp(x) over dims, shifted by the max so it never overflows. */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  const dims = normalizeDims("logsumexp", dim, x.ndim);
  const m = noGrad(() => {
    const k = reduceData("max", x, dims);
    return kernelsMapNonFinite(k);
  });
  const lse = sum(x.sub(m).exp(), dims, true).log().add(m);
  return keepdim ? lse : reshape(lse, finalShape(x.shape, dims, false));
}

/** Infinite maxima shift by 0 instead, so −∞ rows give −∞ rather than NaN. */
function kernelsMapNonFinite(t: Tensor): Tensor {
  for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i]!)) t.data[i] = 0;
  return t;
}
