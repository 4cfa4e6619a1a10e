import { ShapeError, showShape } from "../../errors.js";
import { broadcastShapes, normalizeDim, resolveShape, sameShape } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { record } from "../tape.js";
import { sum } from "./reduce.js";
import { empty, kernels, scratch } from "./util.js";

/** The same data seen with another shape (one dim may be -1). Shares storage. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = resolveShape("reshape", shape, x.numel());
  if (sameShape(target, x.shape)) return x;
  const out = new Tensor(x.data, target);
  return record(out, "reshape", [x], (gy) => [reshape(gy, x.shape)]);
}

/** Merges dims startDim..endDim into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim("flatten", startDim, x.ndim);
  const e = normalizeDim("flatten", endDim, x.ndim);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Drops size-1 dims (only `dim` when given). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const d = normalizeDim("squeeze", dim, x.ndim);
  if (x.shape[d] !== 1) return x;
  return reshape(x, x.shape.filter((_, i) => i !== d));
}

/** Inserts a size-1 dim at `dim`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim("unsqueeze", dim, x.ndim + 1);
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** Reorders dims: the output's dim i is the input's dim dims[i]. Materializes the result. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const perm = dims.map((d) => normalizeDim("permute", d, x.ndim));
  if (perm.length !== x.ndim || new Set(perm).size !== perm.length) {
    throw new ShapeError({ where: "permute", what: `dims ${JSON.stringify(dims)} are not a permutation of the ${x.ndim} dims of ${showShape(x.shape)}` });
  }
  if (perm.every((p, i) => p === i)) return x;
  const out = scratch(perm.map((p) => x.shape[p]!), x.dtype);
  kernels().permute(x.data, x.shape, perm, out.data);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => { inverse[p] = i; });
  return record(out, "permute", [x], (gy) => [permute(gy, inverse)]);
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim("transpose", dim0, x.ndim);
  const b = normalizeDim("transpose", dim1, x.ndim);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** The transpose of a tensor of at most 2 dims. */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new ShapeError({ where: "t", what: `expects a tensor of at most 2 dims`, got: showShape(x.shape) });
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/**
 * Broadcasts x to `shape` (new dims on the left; size-1 dims stretch; -1 keeps a size).
 * Materializes the result; its gradient sums back.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - x.ndim;
  if (lead < 0) throw new ShapeError({ where: "expand", what: `cannot expand ${showShape(x.shape)} to fewer dims ${showShape(shape)}` });
  const target = shape.map((d, i) => (d === -1 ? (x.shape[i - lead] ?? 1) : d));
  const padded = [...new Array<number>(lead).fill(1), ...x.shape];
  padded.forEach((d, i) => {
    if (d !== 1 && d !== target[i]) {
      throw new ShapeError({ where: "expand", what: `cannot expand ${showShape(x.shape)} to ${showShape(shape)}: ${d} != ${target[i]} at dim ${i}` });
    }
  });
  if (sameShape(target, x.shape)) return x;
  const out = empty(target, x.dtype);
  kernels().expand(x.data, padded, out.data, target);
  return record(out, "expand", [x], (gy) => [sumTo(gy, x.shape)]);
}

/** Broadcasts a and b against each other. */
export function broadcastTensors(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const shape = broadcastShapes("broadcastTensors", a.shape, b.shape);
  return [expand(a, shape), expand(b, shape)];
}

/** Sums g down to `shape`, undoing a broadcast: the gradient of every broadcasting op. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  return reshape(sum(g, dims, true), shape);
}
