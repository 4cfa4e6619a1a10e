import { IndexError, ShapeError, showShape } from "../errors.js";

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting: align from the right; each pair of sizes must be equal or contain a 1. */
export function broadcastShapes(where: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError({
        where,
        what: `shapes ${showShape(a)} and ${showShape(b)} do not broadcast: ${da} != ${db} at dim ${i - n}`,
      });
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Turns a possibly negative dimension into 0..ndim-1, or throws naming the op. */
export function normalizeDim(where: string, dim: number, ndim: number): number {
  if (!Number.isInteger(dim) || dim < -Math.max(ndim, 1) || dim >= Math.max(ndim, 1)) {
    throw new IndexError({
      where,
      what: `dimension out of range`,
      expected: `an integer in [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}]`,
      got: String(dim),
    });
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalizes a list of dims (undefined means all), sorted and without repeats. */
export function normalizeDims(where: string, dims: number | readonly number[] | undefined, ndim: number): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === "number" ? [dims] : dims;
  if (!Array.isArray(list)) {
    throw new IndexError({ where, what: "dims must be a number or a list of numbers", got: JSON.stringify(dims) });
  }
  const out = list.map((d) => normalizeDim(where, d, ndim));
  if (new Set(out).size !== out.length) {
    throw new IndexError({ where, what: `dimension repeated in ${JSON.stringify(list)}` });
  }
  return out.sort((x, y) => x - y);
}

/** Validates a shape given by a user: non-negative integers, at most one -1 (inferred). */
export function resolveShape(where: string, shape: readonly number[], size: number): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1 && infer < 0) infer = i;
    else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError({ where, what: `invalid size ${d} at dim ${i} of ${showShape(shape)}` });
    } else known *= d;
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError({ where, what: `shape ${showShape(shape)} is invalid for a tensor of ${size} elements` });
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw new ShapeError({ where, what: `shape ${showShape(shape)} is invalid for a tensor of ${size} elements` });
  }
  return out;
}
