import type { GradFn } from "../autograd/tape.js";
import { backward as runBackward, type BackwardOptions } from "../autograd/backward.js";
import * as arith from "../autograd/ops/arith.js";
import * as math from "../autograd/ops/math.js";
import * as red from "../autograd/ops/reduce.js";
import * as mm from "../autograd/ops/matmul.js";
import * as sh from "../autograd/ops/shape.js";
import * as ix from "../autograd/ops/indexing.js";
import * as sm from "../autograd/ops/softmax.js";
import { convert } from "../autograd/ops/convert.js";
import { IndexError, MinimaError } from "../errors.js";
import { dtypeOf, type DType, type TypedArray } from "./dtype.js";
import { sizeOf } from "./shape.js";
import { formatTensor } from "./format.js";

/** A nested array of numbers, as `toArray()` returns and `mn.tensor()` accepts. */
export type NestedArray = number | NestedArray[];
/** Where an op takes a tensor it also takes a plain number. */
export type TensorLike = Tensor | number;
/** One index of `Tensor.index`: a number picks (and drops the dim), [start, end, step] slices, null keeps all. */
export type IndexSpec = number | null | [(number | undefined)?, (number | undefined)?, (number | undefined)?];

/**
 * An n-dimensional array that owns a contiguous row-major typed array (views made by reshape
 * share it) and, when it requires grad, records how it was made so `backward()` can
 * differentiate through it. Methods mirror PyTorch's, in camelCase.
 * @example const x = mn.tensor([[1, 2], [3, 4]], { requiresGrad: true }); x.mul(x).sum().backward(); x.grad;
 */
export class Tensor {
  /** The elements, row-major. Writing into it changes the tensor (and its views). */
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Whether ops on this tensor are recorded and gradients flow into it. */
  requiresGrad: boolean;
  /** The accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /** The op that made this tensor, or null for a leaf. */
  gradFn: GradFn | null = null;

  constructor(data: TypedArray, shape: readonly number[], requiresGrad = false) {
    if (sizeOf(shape) !== data.length) {
      throw new MinimaError({ where: "Tensor", what: `shape [${shape.join(",")}] needs ${sizeOf(shape)} elements`, got: String(data.length) });
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
    this.requiresGrad = requiresGrad;
  }

  get ndim(): number { return this.shape.length; }
  /** The number of elements. */
  numel(): number { return this.data.length; }
  /** The shape, or one dim's size (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    const d = dim < 0 ? dim + this.ndim : dim;
    if (d < 0 || d >= this.ndim) throw new IndexError({ where: "Tensor.size", what: `dimension ${dim} out of range for a ${this.ndim}-d tensor` });
    return this.shape[d]!;
  }
  /** True for a tensor made by the user rather than by an op. */
  get isLeaf(): boolean { return this.gradFn === null; }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new MinimaError({ where: "Tensor.item", what: `only a one-element tensor has an item`, got: `shape [${this.shape.join(",")}]` });
    return this.data[0]!;
  }
  /** The elements as nested arrays of numbers (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const build = (dim: number, off: number): NestedArray => {
      if (dim === this.ndim) return this.data[off]!;
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, off + i * stride));
    };
    return build(0, 0);
  }
  toString(): string { return formatTensor(this); }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return formatTensor(this); }

  /** A tensor sharing this one's data, cut from the graph. */
  detach(): Tensor { return new Tensor(this.data, this.shape); }
  /** A copy with its own data, still in the graph. */
  clone(): Tensor { return convert(this, this.dtype, true); }
  /** This tensor in another dtype (itself when already of it). */
  to(dtype: DType): Tensor { return convert(this, dtype, false); }
  float(): Tensor { return this.to("float32"); }
  double(): Tensor { return this.to("float64"); }
  int(): Tensor { return this.to("int32"); }
  /** Sets requiresGrad in place and returns this, as torch's requires_grad_(). */
  requiresGrad_(flag = true): this { this.requiresGrad = flag; return this; }
  /** Differentiates this (scalar) tensor, accumulating into the leaves' `.grad`. */
  backward(options: BackwardOptions & { gradient?: Tensor } = {}): void { runBackward(this, options); }

  add(o: TensorLike): Tensor { return arith.add(this, o); }
  sub(o: TensorLike): Tensor { return arith.sub(this, o); }
  mul(o: TensorLike): Tensor { return arith.mul(this, o); }
  div(o: TensorLike): Tensor { return arith.div(this, o); }
  pow(o: TensorLike): Tensor { return arith.pow(this, o); }
  maximum(o: TensorLike): Tensor { return arith.maximum(this, o); }
  minimum(o: TensorLike): Tensor { return arith.minimum(this, o); }
  eq(o: TensorLike): Tensor { return arith.eq(this, o); }
  ne(o: TensorLike): Tensor { return arith.ne(this, o); }
  lt(o: TensorLike): Tensor { return arith.lt(this, o); }
  le(o: TensorLike): Tensor { return arith.le(this, o); }
  gt(o: TensorLike): Tensor { return arith.gt(this, o); }
  ge(o: TensorLike): Tensor { return arith.ge(this, o); }
  neg(): Tensor { return math.neg(this); }
  exp(): Tensor { return math.exp(this); }
  log(): Tensor { return math.log(this); }
  sqrt(): Tensor { return math.sqrt(this); }
  abs(): Tensor { return math.abs(this); }
  sign(): Tensor { return math.sign(this); }
  square(): Tensor { return math.square(this); }
  reciprocal(): Tensor { return math.reciprocal(this); }
  tanh(): Tensor { return math.tanh(this); }
  sigmoid(): Tensor { return math.sigmoid(this); }
  relu(): Tensor { return math.relu(this); }
  erf(): Tensor { return math.erf(this); }
  clamp(min: number | null, max?: number | null): Tensor { return math.clamp(this, min, max ?? null); }

  sum(dim?: number | number[], keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  max(dim?: number, keepdim = false): Tensor { return red.max(this, dim, keepdim); }
  min(dim?: number, keepdim = false): Tensor { return red.min(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return red.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return red.argmin(this, dim, keepdim); }
  var(dim?: number | number[], options: red.VarOptions = {}): Tensor { return red.variance(this, dim, options); }
  std(dim?: number | number[], options: red.VarOptions = {}): Tensor { return red.std(this, dim, options); }
  logsumexp(dim: number | number[], keepdim = false): Tensor { return red.logsumexp(this, dim, keepdim); }
  softmax(dim: number): Tensor { return sm.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return sm.logSoftmax(this, dim); }

  matmul(o: Tensor): Tensor { return mm.matmul(this, o); }
  reshape(shape: readonly number[]): Tensor { return sh.reshape(this, shape); }
  view(shape: readonly number[]): Tensor { return sh.reshape(this, shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return sh.flatten(this, startDim, endDim); }
  squeeze(dim?: number): Tensor { return sh.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return sh.unsqueeze(this, dim); }
  transpose(dim0: number, dim1: number): Tensor { return sh.transpose(this, dim0, dim1); }
  permute(dims: readonly number[]): Tensor { return sh.permute(this, dims); }
  /** The transpose of a 2-D tensor. */
  t(): Tensor { return sh.t(this); }
  expand(shape: readonly number[]): Tensor { return sh.expand(this, shape); }
  index(...specs: IndexSpec[]): Tensor { return ix.index(this, specs); }
  narrow(dim: number, start: number, length: number): Tensor { return ix.narrow(this, dim, start, length); }
  select(dim: number, i: number): Tensor { return ix.select(this, dim, i); }
  gather(dim: number, index: Tensor): Tensor { return ix.gather(this, dim, index); }
  indexSelect(dim: number, index: Tensor): Tensor { return ix.indexSelect(this, dim, index); }
}
