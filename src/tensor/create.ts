import { DTypeError, MinimaError, OptionError, ShapeError } from "../errors.js";
import { allocate, DTYPES, dtypeOf, isFloat, type DType, type TypedArray } from "./dtype.js";
import { defaultGenerator, type Generator } from "./random.js";
import { sizeOf } from "./shape.js";
import { Tensor, type NestedArray } from "./tensor.js";

export interface TensorOptions {
  /** float32 unless given (a typed array keeps its own type). */
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends TensorOptions {
  /** The stream to draw from; the default generator (seeded by mn.manualSeed) otherwise. */
  generator?: Generator;
}

function checkOptions(where: string, options: TensorOptions): DType {
  const dtype = options.dtype ?? "float32";
  if (!DTYPES.includes(dtype)) {
    throw new DTypeError({ where, what: `unknown dtype "${String(dtype)}"`, expected: DTYPES.join(", ") });
  }
  if (options.requiresGrad && !isFloat(dtype)) {
    throw new DTypeError({ where, what: "only floating-point tensors can require gradients", got: dtype });
  }
  return dtype;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

function checkShape(where: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError({ where, what: `shape must be a list of non-negative integers`, got: JSON.stringify(shape) });
  }
}

/**
 * A tensor from a number, nested arrays of numbers, or a typed array (which is used as is,
 * without a copy, unless a different dtype is asked for).
 * @example mn.tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true })
 */
export function tensor(data: NestedArray | TypedArray, options: TensorOptions = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const own = dtypeOf(data);
    const dtype = checkOptions("tensor", { ...options, dtype: options.dtype ?? own });
    const arr = dtype === own ? data : allocate(dtype, data.length);
    if (arr !== data) arr.set(data);
    return finish(new Tensor(arr, [data.length]), options);
  }
  const dtype = checkOptions("tensor", options);
  const shape: number[] = [];
  for (let level: NestedArray = data; Array.isArray(level); level = level[0] ?? 0) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const out = allocate(dtype, sizeOf(shape));
  let k = 0;
  const fill = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== "number") throw new ShapeError({ where: "tensor", what: `ragged nested array at ${path || "top"}`, expected: "a number" });
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError({ where: "tensor", what: `ragged nested array at ${path || "top"}`, expected: `a list of ${shape[dim]}`, got: Array.isArray(v) ? `a list of ${v.length}` : typeof v });
    }
    v.forEach((x, i) => fill(x, dim + 1, `${path}[${i}]`));
  };
  fill(data, 0, "");
  return finish(new Tensor(out, shape), options);
}

/** A tensor of the given shape filled with value. @example mn.full([2, 3], 7) */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkShape("full", shape);
  const data = allocate(checkOptions("full", options), sizeOf(shape));
  data.fill(value);
  return finish(new Tensor(data, shape), options);
}

/** A tensor of zeros (torch.zeros). @example mn.zeros([2, 3], { dtype: "float64" }) */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor { return full(shape, 0, options); }
/** A tensor of ones (torch.ones). @example mn.ones([4]) */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor { return full(shape, 1, options); }
/** Zeros of t's shape and dtype unless options say otherwise (torch.zeros_like). */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor { return full(t.shape, 0, { dtype: t.dtype, ...options }); }
/** Ones of t's shape and dtype unless options say otherwise (torch.ones_like). */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor { return full(t.shape, 1, { dtype: t.dtype, ...options }); }

/**
 * start, start+step, ... up to (not including) end. With one argument, 0..end-1.
 * Integer arguments give int32 unless a dtype is given, as in torch.
 * @example mn.arange(5) // [0, 1, 2, 3, 4]
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new OptionError({ where: "arange", what: "step must be a finite non-zero number", got: String(step) });
  const n = Math.max(0, Math.ceil((e - s) / step));
  const allInts = [s, e, step].every(Number.isInteger);
  const dtype = checkOptions("arange", { ...options, dtype: options.dtype ?? (allInts ? "int32" : "float32") });
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = s + i * step;
  return finish(new Tensor(data, [n]), options);
}

/** `steps` evenly spaced values from start to end inclusive. @example mn.linspace(0, 1, 5) */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new OptionError({ where: "linspace", what: "steps must be a non-negative integer", got: String(steps) });
  const data = allocate(checkOptions("linspace", options), steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill the second half from the end, as torch does, so the last value is exactly `end`.
  for (let i = 0; i < steps; i++) data[i] = i < steps / 2 ? start + i * delta : end - (steps - 1 - i) * delta;
  return finish(new Tensor(data, [steps]), options);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

function randomTensor(where: string, shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number): Tensor {
  checkShape(where, shape);
  const dtype = checkOptions(where, options);
  const g = options.generator ?? defaultGenerator;
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return finish(new Tensor(data, shape), options);
}

/** Uniform on [0, 1). @example mn.rand([2, 3]) */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return randomTensor("rand", shape, options, (g) => g.random());
}

/** Standard normal. @example mn.randn([2, 3], { generator: new mn.Generator(1) }) */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return randomTensor("randn", shape, options, (g) => g.normal());
}

/** Uniform integers in [low, high), int32 unless a dtype is given. @example mn.randint(0, 10, [5]) */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new MinimaError({ where: "randint", what: `needs integers low < high`, got: `low=${low}, high=${high}` });
  }
  return randomTensor("randint", shape, { dtype: "int32", ...options }, (g) => g.integer(low, high));
}

/** A random permutation of 0..n-1 as int32. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return new Tensor(g.permutation(n), [n]);
}
