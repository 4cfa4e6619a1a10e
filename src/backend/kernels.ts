import type { FloatArray, TypedArray } from "../tensor/dtype.js";

/**
 * Elementwise binary operations, NumPy-broadcast. Comparisons write 1 or 0. reluGrad is a where b > 0 or NaN,
 * else 0: relu's backward (gradient a, input b) in one pass instead of a mask and a product.
 */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "reluGrad";

/** Elementwise unary operations; `param` carries the slope of leakyRelu. */
export type UnaryOp =
  | "neg" | "exp" | "log" | "sqrt" | "abs" | "sign" | "tanh" | "sigmoid" | "relu"
  | "leakyRelu" | "erf" | "reciprocal" | "square" | "step";

/** The smooth activations of src/autograd/ops/smooth-activations.ts, one kernel for their forward (and f'). */
export type SmoothActivation = "silu" | "softplus" | "elu" | "mish";

export type ReduceOp = "sum" | "max" | "min" | "argmax" | "argmin";

/** A 2-D convolution's geometry: [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] (channels, input, kernel, stride, padding, dilation, output). */
export type ConvGeometry = readonly [number, number, number, number, number, number, number, number, number, number, number, number, number];

/**
 * The windows of a 2-D pooling along one axis (rows or columns), one per output position i:
 * it reads the input positions start[i], start[i] + step, … below end[i], all inside the input
 * (padding is never read), and an average counts count[i] positions in its divisor (more than
 * it reads where padding counts). The op layer builds these from kernel size, stride, padding,
 * dilation (the step) and ceilMode, or from the adaptive rule, so one kernel serves all.
 */
export interface PoolWindows {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly count: Int32Array;
  readonly step: number;
}

/**
 * Whole float32 convolutions by a library (the native backend's oneDNN), with the geometry of im2col and
 * weight [cOut, c/groups, kh, kw], x [n, c, h, w], out [n, cOut, oh, ow]. Each returns false when it
 * does not take the geometry, and the op then runs im2col and matmul; outputs are fully overwritten.
 * forward adds the bias (null: none) and applies a ReLU when relu is set.
 */
export interface Convolution {
  forward(x: Float32Array, weight: Float32Array, bias: Float32Array | null, n: number, cOut: number, groups: number, g: ConvGeometry,
    relu: boolean, out: Float32Array): boolean;
  /** gx = the gradient with respect to x of the convolution (without bias or ReLU) given gy, its output's. */
  backwardData(gy: Float32Array, weight: Float32Array, n: number, cOut: number, groups: number, g: ConvGeometry, gx: Float32Array): boolean;
  /** gw and gb (null: not wanted) = the gradients with respect to the weight and the bias given gy. */
  backwardWeights(gy: Float32Array, x: Float32Array, n: number, cOut: number, groups: number, g: ConvGeometry, gw: Float32Array,
    gb: Float32Array | null): boolean;
  /**
   * Optional: the convolution, a ReLU and a max pooling over rows × cols in one pass, out and indices [n, cOut,
   * rows.length, cols.length] with the values and in-plane indices of maxPool2d over relu(forward(...)); the
   * convolution's own output stays in the library's layout. False where it declines (then the three run apart).
   */
  forwardReluMaxPool?(x: Float32Array, weight: Float32Array, bias: Float32Array | null, n: number, cOut: number, groups: number,
    g: ConvGeometry, rows: PoolWindows, cols: PoolWindows, out: Float32Array, indices: Int32Array): boolean;
  /**
   * forwardReluMaxPool's backward from gy [n, cOut, outPlane] and its out and indices: gx (null: not wanted),
   * gw and gb (null: not wanted; gb only with gw), equal to backwardData and backwardWeights given
   * reluGrad(maxPool2dBackward(gy), relu output).
   */
  backwardReluMaxPool?(gy: Float32Array, out: Float32Array, indices: Int32Array, outPlane: number, x: Float32Array, weight: Float32Array,
    n: number, cOut: number, groups: number, g: ConvGeometry, gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null): boolean;
}

/**
 * The kernel contract: every backend implements these over typed arrays, shapes and scalars,
 * never Tensors. The js backend implements them all and is the reference; a faster backend
 * overrides some and keeps the rest (`{ ...js, ...fast }`).
 * Output arrays are allocated by the caller and fully overwritten.
 */
export interface Kernels {
  readonly name: string;
  /**
   * out[b] = op(A[b]) · op(B[b]) for each batch b, op = transpose when the flag is set.
   * A[b] starts at b·aBatchStride (0 when A is shared by all batches), likewise B.
   * Shapes after op: [m,k] and [k,n]; out is [batch,m,n].
   */
  matmul(
    a: FloatArray, b: FloatArray, out: FloatArray,
    batch: number, m: number, n: number, k: number,
    transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number,
  ): void;
  binary(op: BinaryOp, a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[],
    out: TypedArray, outShape: readonly number[]): void;
  unary(op: UnaryOp, x: TypedArray, out: TypedArray, param: number): void;
  /**
   * A layer's bias and activation in one pass: out [n, c, l] = act(x + bias[c]) with x [n, c, l], or x
   * [c, n, l] when channelsFirst (a convolution's product, moved batch-first on the way). bias may be
   * null; act is relu (a NaN stays NaN) when relu is set, the identity otherwise.
   */
  biasActivation(x: FloatArray, n: number, c: number, l: number, channelsFirst: boolean, bias: FloatArray | null, relu: boolean,
    out: FloatArray): void;
  /**
   * biasActivation's backward in one pass over gy [n, c, l]: g = relu ? (out ≤ 0 ? 0 : gy) : gy, out being the forward's
   * output (a NaN there passes gy, as reluGrad); gx, when not null, = g in x's layout ([c, n, l] when channelsFirst);
   * gBias, when not null, [c] = g summed over n, rounded to the dtype, then over l: the bits of reduce's sum over dim
   * 0 and then dim 2, the composition it stands for.
   */
  biasActivationBackward(gy: FloatArray, out: FloatArray, n: number, c: number, l: number, channelsFirst: boolean, relu: boolean,
    gx: FloatArray | null, gBias: FloatArray | null): void;
  /**
   * A smooth activation, computed in double and rounded once to out's dtype (float): out = f(x) and, when
   * deriv is not null, deriv = f'(x), which its backward multiplies by. p0 is softplus's β or elu's α, p1
   * softplus's threshold (unused otherwise). A NaN stays NaN; ±Infinity gives torch's limits.
   */
  smoothActivation(op: SmoothActivation, x: TypedArray, out: FloatArray, deriv: FloatArray | null, p0: number, p1: number): void;
  /** out = min(max(x, lo), hi); either bound may be ±Infinity. */
  clamp(x: TypedArray, out: TypedArray, lo: number, hi: number): void;
  /** out[i] = cond[i] ≠ 0 ? a[i] : b[i], all three already of the output's shape. */
  where(cond: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray): void;
  /**
   * Σ x² in double precision, for the training log's gradient norms. Summed in fixed chunks of 2¹⁴
   * elements whose partial sums are added in order, so the result does not depend on the thread count.
   */
  sumOfSquares(x: FloatArray): number;
  /** Reduces x viewed as [outer, size, inner] over the middle axis into out [outer, inner]. */
  reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;
  /** Softmax or log-softmax of x viewed as [outer, size, inner] over the middle axis. */
  softmax(x: FloatArray, outer: number, size: number, inner: number, out: FloatArray, log: boolean): void;
  /**
   * Cross-entropy of logits x [n, c] against class indices target [n] with label smoothing s, row by
   * row in one pass (sums in double): with logp the row's log-softmax,
   * loss[i] = −(1 − s)·logp[i, target[i]] − s/c·Σⱼ logp[i, j], and probs [n, c] = the row's softmax, which
   * the backward reads. Targets are in [0, c).
   */
  crossEntropy(x: FloatArray, n: number, c: number, target: Int32Array, smoothing: number, loss: FloatArray, probs: FloatArray): void;
  /** The gradient of crossEntropy: gx[i, j] = gLoss[i]·(probs[i, j] − (1 − s)·[j = target[i]] − s/c). */
  crossEntropyBackward(probs: FloatArray, target: Int32Array, n: number, c: number, smoothing: number, gLoss: FloatArray, gx: FloatArray): void;
  /** out = x permuted: out's dim i is x's dim perm[i]. */
  permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void;
  /** Copies a strided window (start, step per dim) of x into out of shape outShape. */
  slice(x: TypedArray, shape: readonly number[], starts: readonly number[], steps: readonly number[],
    out: TypedArray, outShape: readonly number[]): void;
  /** Adds src into the strided window of out (the backward of slice). */
  sliceAdd(src: TypedArray, srcShape: readonly number[], out: TypedArray, shape: readonly number[],
    starts: readonly number[], steps: readonly number[]): void;
  /** Broadcasts x to outShape (x's shape already padded to the same rank). */
  expand(x: TypedArray, shape: readonly number[], out: TypedArray, outShape: readonly number[]): void;
  /** out[..., i, ...] = x[..., index[..., i, ...], ...] along dim (torch.gather). */
  gather(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array,
    indexShape: readonly number[], out: TypedArray): void;
  /** out[..., index[..., i, ...], ...] += src[..., i, ...] along dim (torch.scatter_add_, in place). */
  scatterAdd(out: TypedArray, shape: readonly number[], dim: number, index: Int32Array,
    indexShape: readonly number[], src: TypedArray): void;
  /**
   * im2col for 2-D convolution: x [n, c, h, w] (NCHW, contiguous) to cols [c·kh·kw, n·oh·ow], where row
   * (ci·kh + i)·kw + j, column (b·oh + y)·ow + x holds x[b, ci, y·sh − ph + i·dh, x·sw − pw + j·dw] (0 outside
   * the input). The batch sits in the columns so a convolution is one matrix product for the whole batch
   * (torch's unfold layout [n, c·kh·kw, oh·ow] is a permute of this). g = geometry
   * [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow].
   */
  im2col(x: FloatArray, n: number, g: ConvGeometry, cols: FloatArray): void;
  /** col2im, im2col's adjoint: out [n, c, h, w] = the sum of every cols entry into the input place it was read from (out is overwritten). */
  col2im(cols: FloatArray, n: number, g: ConvGeometry, out: FloatArray): void;
  /**
   * Max pooling of x [planes, inH, inW] (planes = N·C, each a contiguous inH·inW block) into
   * out [planes, rows.length, cols.length]. indices gets, for each output, the flat position
   * h·inW + w of its maximum within its plane (torch's return_indices): the first in row-major
   * window order among equal values, and the last NaN where there is one (NaN wins, as in torch).
   * Every window must read at least one position.
   */
  maxPool2d(x: FloatArray, planes: number, inH: number, inW: number, rows: PoolWindows, cols: PoolWindows,
    out: FloatArray, indices: Int32Array): void;
  /**
   * Max pooling's backward: gx [planes, inPlane] is zero but for gy [planes, outPlane] added at the
   * in-plane positions indices [planes, outPlane] (maxPool2d's), summed where windows share a maximum.
   */
  maxPool2dBackward(gy: FloatArray, indices: Int32Array, planes: number, inPlane: number, outPlane: number, gx: FloatArray): void;
  /**
   * Average pooling of x [planes, inH, inW] into out [planes, rows.length, cols.length]:
   * out[p,i,j] = Σ x[p,h,w] over window (i, j), divided by divisorOverride when it is non-zero,
   * else by rows.count[i]·cols.count[j]. Windows have step 1.
   */
  avgPool2d(x: FloatArray, planes: number, inH: number, inW: number, rows: PoolWindows, cols: PoolWindows,
    divisorOverride: number, out: FloatArray): void;
  /**
   * The transpose of avgPool2d (its backward): gx [planes, inH, inW] receives gy[p,i,j]/divisor
   * at every position of window (i, j), summed where windows overlap.
   */
  avgPool2dBackward(gy: FloatArray, planes: number, inH: number, inW: number, rows: PoolWindows, cols: PoolWindows,
    divisorOverride: number, gx: FloatArray): void;
  /**
   * Batch-norm statistics of x viewed as [n, c, s] (s = the product of the spatial dims, 1 for [N, C]):
   * for each channel j, mean[j] and the biased variance[j] = Σ (x − mean[j])² / (n·s) over its n·s values.
   * Two passes, both accumulated in float64 in the order b = 0…n−1, k = 0…s−1, so every backend gives the
   * same bits; the statistics are float64 whatever x's dtype.
   */
  batchNormStats(x: FloatArray, n: number, c: number, s: number, mean: Float64Array, variance: Float64Array): void;
  /**
   * Batch-norm normalization of x viewed as [n, c, s]: out = (x − mean[j])·invstd[j]·weight[j] + bias[j] for
   * channel j, computed in float64; a null weight counts as 1, a null bias as 0. The statistics are the
   * batch's own (batchNormStats, training) or the running ones (evaluation): invstd = 1/√(variance + eps).
   */
  batchNormForward(x: FloatArray, n: number, c: number, s: number, mean: Float64Array, invstd: Float64Array,
    weight: FloatArray | null, bias: FloatArray | null, out: FloatArray): void;
  /**
   * The backward of batchNormForward for gy [n, c, s], with x̂ = (x − mean)·invstd and m = n·s per channel:
   * gWeight[j] = Σ gy·x̂, gBias[j] = Σ gy (float64 sums, in batchNormStats's order), and
   * gx = weight·invstd·(gy − Σgy/m − x̂·Σ(gy·x̂)/m) when training (the statistics depend on x), else
   * gx = weight·invstd·gy (constant running statistics). A null output is not computed.
   */
  batchNormBackward(gy: FloatArray, x: FloatArray, n: number, c: number, s: number, mean: Float64Array, invstd: Float64Array,
    weight: FloatArray | null, training: boolean, gx: FloatArray | null, gWeight: FloatArray | null, gBias: FloatArray | null): void;
  /**
   * Batch norm's count of training batches (num_batches_tracked) and this step's momentum: count[0] += 1 (wrapping as an
   * Int32Array does), then cell[0] = momentum, or 1/count[0] when momentum is null (a cumulative average).
   */
  batchNormCount(count: Int32Array, momentum: number | null, cell: Float64Array): void;
  /**
   * Folds a batch's statistics (batchNormStats's, over m = n·s values per channel) into the running ones in place, per
   * channel: runningMean ← k·mean + (1 − k)·runningMean and runningVar ← k·(variance·m/(m − 1)) + (1 − k)·runningVar,
   * in float64 in that order (torch's) and rounded once to the arrays' dtype, with k = momentum[0] read at each call
   * (batchNormCount writes it). A null array is left out.
   */
  batchNormRunning(runningMean: FloatArray | null, runningVar: FloatArray | null, mean: Float64Array, variance: Float64Array,
    m: number, momentum: Float64Array): void;
  /** invstd[j] = 1/√(variance[j] + eps) in float64 for each of invstd's channels (batchNormForward's invstd). */
  batchNormInverseStd(variance: FloatArray, eps: number, invstd: Float64Array): void;
  /**
   * GroupNorm's and LayerNorm's normalization of x viewed as [n, groups, cpg, spatial], each (sample, group) a
   * contiguous row of cpg·spatial values: mean[r] and invstd[r] = 1/√(biased variance + eps) per row r, summed in
   * float64 in index order, and out = (x − mean)·invstd·weight[ch] + bias[ch] computed in float64 (ch the channel
   * g·cpg + c; a null weight counts as 1, a null bias as 0).
   */
  normalizeGroupsForward(x: FloatArray, n: number, groups: number, cpg: number, spatial: number, weight: FloatArray | null,
    bias: FloatArray | null, eps: number, mean: Float64Array, invstd: Float64Array, out: FloatArray): void;
  /**
   * Its backward for gy, with x̂ = (x − mean)·invstd: gWeight[ch] = Σ gy·x̂ and gBias[ch] = Σ gy (float64; each
   * row's partial sum added in row order, so every backend and thread count gives the same bits; always
   * written), and gx = invstd·(gy·w − mean(gy·w) − x̂·mean(gy·w·x̂)) over each row unless gx is null.
   */
  normalizeGroupsBackward(gy: FloatArray, x: FloatArray, n: number, groups: number, cpg: number, spatial: number, weight: FloatArray | null,
    mean: Float64Array, invstd: Float64Array, gx: FloatArray | null, gWeight: Float64Array, gBias: Float64Array): void;
  /**
   * Gradient clipping by norm (torch.nn.utils.clip_grad_norm_), in place: writes the gradients' total p-norm (p > 0, or
   * Infinity for the largest |g|, a NaN staying NaN) to total[0], then multiplies every element by
   * c = min(maxNorm/(total + 1e-6), 1) in float64, rounded to the array's dtype, unless c is 1. The total is the norm of
   * the per-array norms, (Σ (Σ|g|ᵖ)^(1/p)ᵖ)^(1/p), as PyTorch takes it, each Σ|g|ᵖ summed in float64 in index order.
   */
  clipGradNorm(grads: readonly FloatArray[], maxNorm: number, p: number, total: Float64Array): void;
  /** Gradient clipping by value (torch.nn.utils.clip_grad_value_): every element clamped into [−clipValue, clipValue] in place, a NaN kept. */
  clipGradValue(grads: readonly FloatArray[], clipValue: number): void;
  /** Optional whole convolutions; without them convolutions are im2col and matmul. */
  convolution?: Convolution;
  /**
   * One optimizer step of one parameter in a fused kernel, in place: p, its gradient g, the rule's state
   * buffers (in the order the rule declares them, null for one its options leave off) and the coefficients
   * the rule computed for this step (src/optim/<rule>.ts, `coefficients`), which its own loop reads too.
   * Returns false when this backend fuses no loop for the rule, which then runs its own. Absent: none fused.
   */
  optimizerStep?(rule: string, p: FloatArray, g: FloatArray, buffers: readonly (FloatArray | null)[], coefficients: readonly number[]): boolean;
  /**
   * Prepares a captured step's kernel calls (src/backend/capture, mn.compile) to run again and again, in order, on the same arrays:
   * the native backend in one addon call per run, the wasm backend on arrays kept in its memory. Returns the
   * runner, or the reason it cannot take these calls (a kernel it does not replay, a "js" call); absent, or on a reason,
   * the calls are replayed by a JavaScript loop over this table (src/backend/capture/replay-js.ts).
   * `hostWritten` lists the arrays JavaScript rewrites before every run (mn.compile passes the step's inputs and its
   * host ops' arrays: coefficients, dropout masks), which a backend keeping copies must copy in each run; the "js"
   * calls' touched arrays are in their args.
   */
  compilePlan?(calls: readonly PlanCall[], hostWritten?: readonly TypedArray[]): PlanRunner | { unsupported: string };
  /** Sets the threads of a backend that has its own (native's pool); absent: it runs on the calling thread. */
  setNumThreads?(n: number): void;
  /** The threads it runs its kernels on; absent: 1. */
  numThreads?(): number;
  /** Resolves once its threads are running (wasm starts its workers, which join asynchronously); absent: ready now. */
  ready?(): Promise<void>;
}

/** The kernels a plan can call: every method of the contract but the plan and thread ones, and convolution's. */
export type PlanKernel =
  | Exclude<keyof Kernels, "name" | "convolution" | "compilePlan" | "setNumThreads" | "numThreads" | "ready">
  | `convolution.${keyof Convolution}`
  /**
   * Not a kernel: JavaScript work in its place among the calls (src/backend/capture/record.ts `inPlan`); args
   * [label, fn, touches], touches being every typed array fn reads or writes.
   */
  | "js";

/**
 * One kernel call of a captured step, as it was made: the arguments are the very objects passed (typed arrays
 * by identity, so a replay reads and writes the same memory; numbers, shapes, PoolWindows and geometries as
 * they were). `result` is what the call returned (convolution's and optimizerStep's booleans, sumOfSquares's
 * number), which a replay does not use.
 */
export interface PlanCall {
  readonly kernel: PlanKernel;
  readonly args: readonly unknown[];
  readonly result: unknown;
}

/** A captured step's kernel calls, ready to run again on their arrays (Kernels.compilePlan). */
export interface PlanRunner {
  /**
   * Runs every call once, in order, and leaves every array as the calls would have: a backend that keeps
   * copies in memory of its own (wasm) copies in what JavaScript may have written since (the batch, host-op
   * coefficients and masks) and copies out what the calls wrote.
   */
  run(): void;
  /** Frees what the runner holds (the wasm backend's memory); absent: the garbage collector does. */
  dispose?(): void;
}
