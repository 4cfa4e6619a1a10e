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
import { noteReadBack } from "../backend/capture/record.js";
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
  /** The size of each dim, outermost first (torch's `shape`); frozen. */
  readonly shape: readonly number[];
  /** The element type: "float32", "float64" or "int32". */
  readonly dtype: DType;
  /** Whether ops on this tensor are recorded and gradients flow into it. */
  requiresGrad: boolean;
  /** The accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /** The op that made this tensor, or null for a leaf (torch's `grad_fn`). */
  gradFn: GradFn | null = null;

  /**
   * Wraps a typed array (not copied) as a tensor of `shape`; its dtype follows the array's type. Most code
   * makes tensors with `mn.tensor`, `mn.zeros`, `mn.randn` and their kin instead.
   * @example new mn.Tensor(new Float32Array([1, 2, 3, 4]), [2, 2])
   */
  constructor(data: TypedArray, shape: readonly number[], requiresGrad = false) {
    if (sizeOf(shape) !== data.length) {
      throw new MinimaError({ where: "Tensor", what: `shape [${shape.join(",")}] needs ${sizeOf(shape)} elements`, got: String(data.length) });
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
    this.requiresGrad = requiresGrad;
  }

  /** The number of dims (torch's `ndim` / `dim()`). */
  get ndim(): number { return this.shape.length; }
  /** The number of elements. */
  numel(): number { return this.data.length; }
  /** The shape, or one dim's size (negative dims count from the end). @example x.size(-1) */
  size(): number[];
  /** One dim's size (negative dims count from the end). */
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    const d = dim < 0 ? dim + this.ndim : dim;
    if (d < 0 || d >= this.ndim) throw new IndexError({ where: "Tensor.size", what: `dimension ${dim} out of range for a ${this.ndim}-d tensor` });
    return this.shape[d]!;
  }
  /** True for a tensor made by the user rather than by an op (torch's `is_leaf`). */
  get isLeaf(): boolean { return this.gradFn === null; }

  /** The value of a one-element tensor, as a number. @example loss.item() */
  item(): number {
    if (this.data.length !== 1) throw new MinimaError({ where: "Tensor.item", what: `only a one-element tensor has an item`, got: `shape [${this.shape.join(",")}]` });
    noteReadBack("item()");
    return this.data[0]!;
  }
  /** The elements as nested arrays of numbers, a number for a 0-d tensor (torch's `tolist()`). */
  toArray(): NestedArray {
    noteReadBack("toArray()");
    const build = (dim: number, off: number): NestedArray => {
      if (dim === this.ndim) return this.data[off]!;
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, off + i * stride));
    };
    return build(0, 0);
  }
  /** The values as torch prints them: `tensor([[1.0000, 2.0000], …], dtype=float64)`, long dims elided. */
  toString(): string { return formatTensor(this); }
  /** What Node's console.log and util.inspect show: the same as toString(). */
  [Symbol.for("nodejs.util.inspect.custom")](): string { return formatTensor(this); }

  /** A tensor sharing this one's data, cut from the graph (it never requires grad). */
  detach(): Tensor { return new Tensor(this.data, this.shape); }
  /** A copy with its own data, still in the graph (gradients flow back through it). */
  clone(): Tensor { return convert(this, this.dtype, true); }
  /** This tensor in another dtype (itself when already of it); to "int32" truncates toward zero. @example labels.to("int32") */
  to(dtype: DType): Tensor { return convert(this, dtype, false); }
  /** This tensor as float32: `to("float32")`. */
  float(): Tensor { return this.to("float32"); }
  /** This tensor as float64: `to("float64")`. */
  double(): Tensor { return this.to("float64"); }
  /** This tensor as int32 (truncated toward zero): `to("int32")`. */
  int(): Tensor { return this.to("int32"); }
  /** Sets requiresGrad in place and returns this, as torch's requires_grad_(). @example const w = mn.randn([3]).requiresGrad_(); */
  requiresGrad_(flag = true): this { this.requiresGrad = flag; return this; }
  /**
   * Differentiates this tensor, accumulating d(this)/d(leaf) into each leaf's `.grad`. A non-scalar needs
   * `gradient` (the seed, shaped like this); `createGraph` records the backward pass for second derivatives.
   * @example loss.backward(); w.grad
   */
  backward(options: BackwardOptions & { gradient?: Tensor } = {}): void { runBackward(this, options); }

  /** Elementwise this + o, broadcasting. @example x.add(1) */
  add(o: TensorLike): Tensor { return arith.add(this, o); }
  /** Elementwise this − o, broadcasting. */
  sub(o: TensorLike): Tensor { return arith.sub(this, o); }
  /** Elementwise this · o, broadcasting. */
  mul(o: TensorLike): Tensor { return arith.mul(this, o); }
  /** Elementwise this / o, broadcasting (true division: int32 inputs give float32). */
  div(o: TensorLike): Tensor { return arith.div(this, o); }
  /** Elementwise this raised to o, broadcasting. @example x.pow(2) */
  pow(o: TensorLike): Tensor { return arith.pow(this, o); }
  /** Elementwise larger of this and o (torch.maximum); at ties each side gets half the gradient. */
  maximum(o: TensorLike): Tensor { return arith.maximum(this, o); }
  /** Elementwise smaller of this and o (torch.minimum); at ties each side gets half the gradient. */
  minimum(o: TensorLike): Tensor { return arith.minimum(this, o); }
  /** 1 where this == o, else 0, in the inputs' float type (minima has no bool dtype). */
  eq(o: TensorLike): Tensor { return arith.eq(this, o); }
  /** 1 where this ≠ o, else 0 (a float mask, like `eq`). */
  ne(o: TensorLike): Tensor { return arith.ne(this, o); }
  /** 1 where this < o, else 0 (a float mask, like `eq`). */
  lt(o: TensorLike): Tensor { return arith.lt(this, o); }
  /** 1 where this ≤ o, else 0 (a float mask, like `eq`). */
  le(o: TensorLike): Tensor { return arith.le(this, o); }
  /** 1 where this > o, else 0 (a float mask, like `eq`). @example logits.argmax(1).eq(labels).mean() // accuracy */
  gt(o: TensorLike): Tensor { return arith.gt(this, o); }
  /** 1 where this ≥ o, else 0 (a float mask, like `eq`). */
  ge(o: TensorLike): Tensor { return arith.ge(this, o); }
  /** Elementwise −this. */
  neg(): Tensor { return math.neg(this); }
  /** Elementwise eˣ. */
  exp(): Tensor { return math.exp(this); }
  /** Elementwise natural logarithm. */
  log(): Tensor { return math.log(this); }
  /** Elementwise square root. */
  sqrt(): Tensor { return math.sqrt(this); }
  /** Elementwise |x|; the gradient at 0 is 0, as torch's. */
  abs(): Tensor { return math.abs(this); }
  /** Elementwise sign, −1, 0 or 1; its gradient is zero. */
  sign(): Tensor { return math.sign(this); }
  /** Elementwise x². */
  square(): Tensor { return math.square(this); }
  /** Elementwise 1/x. */
  reciprocal(): Tensor { return math.reciprocal(this); }
  /** Elementwise hyperbolic tangent. */
  tanh(): Tensor { return math.tanh(this); }
  /** Elementwise logistic sigmoid 1/(1 + e⁻ˣ). */
  sigmoid(): Tensor { return math.sigmoid(this); }
  /** Elementwise max(x, 0), NaN kept; the derivative at 0 is 0, as torch's. */
  relu(): Tensor { return math.relu(this); }
  /** Elementwise error function. */
  erf(): Tensor { return math.erf(this); }
  /**
   * Clamps into [min, max]; either bound may be null (torch.clamp). The gradient passes where min ≤ x ≤ max.
   * @example probs.clamp(1e-7, 1 - 1e-7)
   */
  clamp(min: number | null, max?: number | null): Tensor { return math.clamp(this, min, max ?? null); }

  /** Sum over dims (all when omitted), dims kept as size 1 with keepdim. @example x.sum(1, true) */
  sum(dim?: number | number[], keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  /** Mean over dims (all when omitted); int32 input gives float32. */
  mean(dim?: number | number[], keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  /**
   * The largest element, as a 0-d tensor (torch's max()); tied maxima share the gradient evenly.
   * @example x.max().item()
   */
  max(): Tensor;
  /**
   * The largest values along `dim` and where they are, as torch's max(dim, keepdim): `{ values, indices }`
   * (indices int32: the first on ties; a NaN wins). The gradient reaches the indexed elements. For the
   * values alone over one or more dims, `amax`.
   * @example const { values, indices } = logits.max(1);
   */
  max(dim: number, keepdim?: boolean): red.ValuesAndIndices;
  max(dim?: number, keepdim = false): Tensor | red.ValuesAndIndices { return dim === undefined ? red.max(this) : red.max(this, dim, keepdim); }
  /** The smallest element, as a 0-d tensor (torch's min()); tied minima share the gradient evenly. */
  min(): Tensor;
  /**
   * The smallest values along `dim` and where they are, as torch's min(dim, keepdim): `{ values, indices }`
   * (see `max`). For the values alone over one or more dims, `amin`.
   * @example const { values, indices } = distances.min(1);
   */
  min(dim: number, keepdim?: boolean): red.ValuesAndIndices;
  min(dim?: number, keepdim = false): Tensor | red.ValuesAndIndices { return dim === undefined ? red.min(this) : red.min(this, dim, keepdim); }
  /** Max over dims (all when omitted), values only (torch.amax): tied maxima share the gradient evenly. @example x.amax([2, 3]) */
  amax(dim?: number | number[], keepdim = false): Tensor { return red.amax(this, dim, keepdim); }
  /** Min over dims (all when omitted), values only (torch.amin): tied minima share the gradient evenly. */
  amin(dim?: number | number[], keepdim = false): Tensor { return red.amin(this, dim, keepdim); }
  /** Index of the first maximum along dim (of the flattened tensor when dim is omitted), as int32. @example logits.argmax(1) */
  argmax(dim?: number, keepdim = false): Tensor { return red.argmax(this, dim, keepdim); }
  /** Index of the first minimum along dim (of the flattened tensor when dim is omitted), as int32. */
  argmin(dim?: number, keepdim = false): Tensor { return red.argmin(this, dim, keepdim); }
  /** Variance over dims, Σ(x − mean)² / (N − correction); correction 1 (Bessel) by default, as torch. */
  var(dim?: number | number[], options: red.VarOptions = {}): Tensor { return red.variance(this, dim, options); }
  /** Standard deviation over dims: the square root of `var`, with the same options. @example x.std(0, { correction: 0 }) */
  std(dim?: number | number[], options: red.VarOptions = {}): Tensor { return red.std(this, dim, options); }
  /** log Σ exp(x) over dims, computed without overflow. */
  logsumexp(dim: number | number[], keepdim = false): Tensor { return red.logsumexp(this, dim, keepdim); }
  /** exp(x) / Σ exp(x) along dim, computed stably. @example logits.softmax(-1) */
  softmax(dim: number): Tensor { return sm.softmax(this, dim); }
  /** log softmax along dim, computed stably (torch's log_softmax). */
  logSoftmax(dim: number): Tensor { return sm.logSoftmax(this, dim); }

  /** Matrix product (torch.matmul): 1-D·1-D is a dot product, and leading dims batch and broadcast. @example x.matmul(w.t()) */
  matmul(o: Tensor): Tensor { return mm.matmul(this, o); }
  /** The same data seen with another shape, shared, not copied (one dim may be -1). @example x.reshape([x.size(0), -1]) */
  reshape(shape: readonly number[]): Tensor { return sh.reshape(this, shape); }
  /** The same as `reshape` (storage here is always contiguous, so a view never needs a copy). */
  view(shape: readonly number[]): Tensor { return sh.reshape(this, shape); }
  /** Merges dims startDim..endDim (all by default) into one. @example images.flatten(1) // [N, C·H·W] */
  flatten(startDim = 0, endDim = -1): Tensor { return sh.flatten(this, startDim, endDim); }
  /** Drops size-1 dims (only `dim` when given, and only if its size is 1). */
  squeeze(dim?: number): Tensor { return sh.squeeze(this, dim); }
  /** Inserts a size-1 dim at `dim`. @example target.unsqueeze(1) */
  unsqueeze(dim: number): Tensor { return sh.unsqueeze(this, dim); }
  /** Swaps two dims (a copy). */
  transpose(dim0: number, dim1: number): Tensor { return sh.transpose(this, dim0, dim1); }
  /** Reorders dims: the output's dim i is this one's dims[i] (a copy). @example images.permute([0, 2, 3, 1]) // NCHW → NHWC */
  permute(dims: readonly number[]): Tensor { return sh.permute(this, dims); }
  /** The transpose of a tensor of at most 2 dims (a 1-D or 0-d tensor is returned as is). */
  t(): Tensor { return sh.t(this); }
  /** Broadcasts to `shape`: size-1 dims stretch, new dims go on the left, -1 keeps a size (a copy; its gradient sums back). */
  expand(shape: readonly number[]): Tensor { return sh.expand(this, shape); }
  /**
   * Python-style indexing, one spec per leading dim: a number picks (and drops the dim), [start, end, step]
   * slices (negative values count from the end), null keeps the dim. A copy; its gradient lands in the picked places.
   * @example x.index(0, [1, 3]) // x[0, 1:3]
   */
  index(...specs: IndexSpec[]): Tensor { return ix.index(this, specs); }
  /** `length` entries of `dim` from `start` (negative counts from the end), as torch.narrow. @example theta.narrow(0, 0, 20) */
  narrow(dim: number, start: number, length: number): Tensor { return ix.narrow(this, dim, start, length); }
  /** The slice at position i of `dim`, without that dim (torch.select: x[:, i] is x.select(1, i)). */
  select(dim: number, i: number): Tensor { return ix.select(this, dim, i); }
  /**
   * Picks along `dim` by an int32 index of the same number of dims: out[i][j] = x[i][index[i][j]] for dim 1 (torch.gather).
   * @example logProbs.gather(1, target.unsqueeze(1)) // each row's target class
   */
  gather(dim: number, index: Tensor): Tensor { return ix.gather(this, dim, index); }
  /** The entries of `dim` at the positions of a 1-D int32 index, in its order (torch.index_select). @example x.indexSelect(0, perm) */
  indexSelect(dim: number, index: Tensor): Tensor { return ix.indexSelect(this, dim, index); }
}
