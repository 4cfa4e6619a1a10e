import { DTypeError, IndexError, ShapeError, showShape } from "../../errors.js";
import { normalizeDim, sizeOf } from "../../tensor/shape.js";
import type { IndexSpec, Tensor } from "../../tensor/tensor.js";
import { record } from "../tape.js";
import { promote } from "../../tensor/dtype.js";
import { convert } from "./convert.js";
import { reshape, unsqueeze } from "./shape.js";
import { empty, kernels } from "./util.js";

/**
 * Basic indexing, one spec per leading dim: a number picks one position and drops the dim,
 * [start, end, step] takes a slice (negative values count from the end, as in Python),
 * null keeps the whole dim. The result is a copy; its gradient lands in the picked places.
 * @example x.index(0, [1, 3]) // x[0, 1:3]
 */
export function index(x: Tensor, specs: readonly IndexSpec[]): Tensor {
  if (specs.length > x.ndim) {
    throw new IndexError({ where: "index", what: `too many indices (${specs.length}) for a tensor of shape ${showShape(x.shape)}` });
  }
  const starts: number[] = [];
  const steps: number[] = [];
  const window: number[] = [];
  const keep: number[] = [];
  x.shape.forEach((size, d) => {
    const spec = specs[d] ?? null;
    if (typeof spec === "number") {
      const i = spec < 0 ? spec + size : spec;
      if (!Number.isInteger(spec) || i < 0 || i >= size) {
        throw new IndexError({ where: "index", what: `index ${spec} is out of bounds for dim ${d} of size ${size}` });
      }
      starts.push(i); steps.push(1); window.push(1);
      return;
    }
    const [rawStart, rawEnd, step = 1] = spec ?? [];
    if (!Number.isInteger(step) || step <= 0) {
      throw new IndexError({ where: "index", what: `slice step must be a positive integer`, got: String(step) });
    }
    const clip = (v: number | undefined, dflt: number): number =>
      v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    const s = clip(rawStart, 0);
    const e = clip(rawEnd, size);
    starts.push(s); steps.push(step);
    window.push(Math.max(0, Math.ceil((e - s) / step)));
    keep.push(d);
  });
  const out = empty(window, x.dtype);
  kernels().slice(x.data, x.shape, starts, steps, out.data, window);
  const picked = record(out, "index", [x], (gy) => [sliceBackward(gy, x.shape, starts, steps, window)]);
  return reshape(picked, keep.map((d) => window[d]!));
}

/** Zeros of `shape` with g added into the window: itself differentiable (its gradient is the window of gg). */
function sliceBackward(g: Tensor, shape: readonly number[], starts: number[], steps: number[], window: number[]): Tensor {
  const out = empty(shape, g.dtype);
  kernels().sliceAdd(g.data, window, out.data, shape, starts, steps);
  return record(out, "indexBackward", [g], (gg) => {
    const back = empty(window, gg.dtype);
    kernels().slice(gg.data, shape, starts, steps, back.data, window);
    return [back];
  });
}

/** `length` entries of dim starting at start (negative start counts from the end). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim("narrow", dim, x.ndim);
  const size = x.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (s < 0 || length < 0 || s + length > size) {
    throw new IndexError({ where: "narrow", what: `start ${start} and length ${length} exceed dim ${d} of size ${size}` });
  }
  const specs: IndexSpec[] = x.shape.map(() => null);
  specs[d] = [s, s + length];
  return index(x, specs);
}

/** The slice at position i of dim, without that dim. */
export function select(x: Tensor, dim: number, i: number): Tensor {
  const d = normalizeDim("select", dim, x.ndim);
  const specs: IndexSpec[] = x.shape.map(() => null);
  specs[d] = i;
  return index(x, specs);
}

export function checkIndex(where: string, index: Tensor, size: number, dim: number): Int32Array {
  if (index.dtype !== "int32") {
    throw new DTypeError({ where, what: `index must be an int32 tensor`, got: index.dtype });
  }
  const data = index.data as Int32Array;
  for (let i = 0; i < data.length; i++) {
    if (data[i]! < 0 || data[i]! >= size) {
      throw new IndexError({ where, what: `index ${data[i]} is out of bounds for dim ${dim} of size ${size}` });
    }
  }
  return data;
}

/**
 * out[i][j] = x[i][index[i][j]] along dim 1 (and likewise for any dim), as torch.gather.
 * @example logProbs.gather(1, target.unsqueeze(1)) // pick each row's target class
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim("gather", dim, x.ndim);
  if (index.ndim !== x.ndim || index.shape.some((s, i) => i !== d && s > x.shape[i]!)) {
    throw new ShapeError({ where: "gather", what: `index of shape ${showShape(index.shape)} does not fit input ${showShape(x.shape)} along dim ${d}` });
  }
  const idx = checkIndex("gather", index, x.shape[d]!, d);
  const out = empty(index.shape, x.dtype);
  kernels().gather(x.data, x.shape, d, idx, index.shape, out.data);
  return record(out, "gather", [x], (gy) => [scatterAdd(empty(x.shape, gy.dtype), d, index, gy)]);
}

/** A copy of base with src added at the places index names along dim (torch.scatter_add). */
export function scatterAdd(base: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim("scatterAdd", dim, base.ndim);
  const idx = checkIndex("scatterAdd", index, base.shape[d]!, d);
  const out = empty(base.shape, base.dtype);
  out.data.set(base.data);
  kernels().scatterAdd(out.data, base.shape, d, idx, index.shape, src.data);
  return record(out, "scatterAdd", [base, src], (gy) => [gy, src.requiresGrad ? gather(gy, d, index) : null]);
}

/** The entries of x at the positions in a 1-D int32 index along dim. @example x.indexSelect(0, rows) */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim("indexSelect", dim, x.ndim);
  if (index.ndim !== 1) throw new ShapeError({ where: "indexSelect", what: `index must be 1-D`, got: showShape(index.shape) });
  const idx = checkIndex("indexSelect", index, x.shape[d]!, d);
  const outer = sizeOf(x.shape.slice(0, d));
  const inner = sizeOf(x.shape.slice(d + 1));
  const size = x.shape[d]!;
  const outShape = [...x.shape];
  outShape[d] = idx.length;
  const out = empty(outShape, x.dtype);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      const src = (o * size + idx[j]!) * inner;
      out.data.set(x.data.subarray(src, src + inner), (o * idx.length + j) * inner);
    }
  }
  return record(out, "indexSelect", [x], (gy) => {
    const shapeIdx = outShape.map(() => 1);
    shapeIdx[d] = idx.length;
    const full = empty(outShape, "int32");
    kernels().expand(idx, shapeIdx, full.data, outShape);
    return [scatterAdd(empty(x.shape, gy.dtype), d, full, gy)];
  });
}

/** Joins tensors along an existing dim. @example mn.cat([a, b], 0) */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError({ where: "cat", what: "needs at least one tensor" });
  const first = tensors[0]!;
  const d = normalizeDim("cat", dim, first.ndim);
  const dtype = tensors.map((t) => t.dtype).reduce(promote);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      throw new ShapeError({ where: "cat", what: `tensor ${i} has shape ${showShape(t.shape)}, which does not match ${showShape(first.shape)} outside dim ${d}` });
    }
  });
  const parts = tensors.map((t) => convert(t, dtype, false));
  const outShape = [...first.shape];
  outShape[d] = parts.reduce((n, t) => n + t.shape[d]!, 0);
  const out = empty(outShape, dtype);
  const outer = sizeOf(first.shape.slice(0, d));
  const inner = sizeOf(first.shape.slice(d + 1));
  let offset = 0;
  const offsets = parts.map((t) => {
    const at = offset;
    const run = t.shape[d]! * inner;
    for (let o = 0; o < outer; o++) out.data.set(t.data.subarray(o * run, (o + 1) * run), o * outShape[d]! * inner + at * inner);
    offset += t.shape[d]!;
    return at;
  });
  return record(out, "cat", parts, (gy) => parts.map((t, i) => (t.requiresGrad ? narrow(gy, d, offsets[i]!, t.shape[d]!) : null)));
}

/** Joins tensors of one shape along a new dim. @example mn.stack([a, b]) // [2, ...a.shape] */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError({ where: "stack", what: "needs at least one tensor" });
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new ShapeError({ where: "stack", what: `tensor ${i} has shape ${showShape(t.shape)}, expected ${showShape(first.shape)} like tensor 0` });
    }
  });
  const d = normalizeDim("stack", dim, first.ndim + 1);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

