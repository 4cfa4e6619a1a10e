import { DTypeError, OptionError, ShapeError, showShape } from "../../errors.js";
import { atLeast, checkOptions, isBoolean, option, unitInterval, type OptionsOf } from "../../options.js";
import type { FloatArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { inPlan } from "../../backend/capture/record.js";
import { isGradEnabled, record } from "../tape.js";
import { reshape } from "./shape.js";
import { empty, kernels, requireFloat } from "./util.js";

// Batch normalization (Ioffe & Szegedy 2015) over x [N, C, *], viewed as [n, c, s] with s the product
// of the spatial dims: each channel is normalized by its mean and variance over the batch and the
// spatial positions, then scaled and shifted per channel:
//   y = (x − mean) / √(var + eps) · weight + bias.
// Training uses the batch's own statistics (the biased variance) and folds them into the running ones;
// evaluation uses the running statistics.

const BATCH_NORM_OPTIONS = {
  /** Normalize with the batch's statistics and update the running ones (default false: use the running ones). */
  training: option(false, isBoolean),
  /** The weight of the batch in the running statistics' update (default 0.1). */
  momentum: option(0.1, unitInterval),
  /** Added to the variance before the square root (default 1e-5). */
  eps: option(1e-5, atLeast(0)),
};

/** The options of batchNorm (torch.nn.functional.batch_norm's, in camelCase). */
export interface BatchNormOptions extends OptionsOf<typeof BATCH_NORM_OPTIONS> {}
type Resolved = Required<BatchNormOptions>;

/** [n, c, s]: the batch, the channels and the product of the remaining dims. */
function view(x: Tensor): [number, number, number] {
  return [x.shape[0]!, x.shape[1]!, x.shape.slice(2).reduce((a, b) => a * b, 1)];
}

/**
 * Throws unless x can be batch-normalized: a float tensor [N, C, *], and, when it is normalized by its own
 * statistics, more than one value per channel (one value has no variance; torch refuses it too).
 */
export function checkBatchNormInput(where: string, x: Tensor, batchStats: boolean): void {
  requireFloat(where, x);
  if (x.ndim < 2) throw new ShapeError({ where, what: "invalid input shape", expected: "a tensor [N,C,*] of at least 2 dims", got: showShape(x.shape) });
  const [n, , s] = view(x);
  if (batchStats && n * s === 1) {
    throw new ShapeError({ where, what: "Expected more than 1 value per channel when training", got: `input size ${showShape(x.shape)}` });
  }
}

/** Throws unless t is null or a 1-D tensor of c values (of x's dtype where the kernels read it as x's). */
function checkPerChannel(where: string, name: string, t: Tensor | null, c: number, x: Tensor, sameDType: boolean): void {
  if (!t) return;
  if (t.ndim !== 1 || t.shape[0] !== c) {
    throw new ShapeError({ where, what: `${name} must hold one value per channel of input ${showShape(x.shape)}`, expected: `[${c}]`, got: showShape(t.shape) });
  }
  requireFloat(where, t, name);
  if (sameDType && t.dtype !== x.dtype) throw new DTypeError({ where, what: `${name} must have the input's dtype`, expected: x.dtype, got: t.dtype });
}

/**
 * Batch normalization (torch.nn.functional.batch_norm) of x [N, C, *]. In training (options.training)
 * x is normalized by its own per-channel mean and biased variance, and runningMean / runningVar (when
 * given) are updated in place: running ← (1 − momentum)·running + momentum·batch, with the unbiased
 * batch variance for runningVar. In evaluation the running statistics normalize x and must be given.
 * weight and bias (affine, [C] each) are optional. Gradients reach x, weight and bias; the backward is
 * one fused kernel, or, when the backward is itself recorded (createGraph), tensor ops that
 * differentiate again.
 * @example const y = mn.nn.functional.batchNorm(x, runningMean, runningVar, weight, bias, { training: true });
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null = null,
  bias: Tensor | null = null, options: BatchNormOptions = {}): Tensor {
  const o = checkOptions("batchNorm", options, BATCH_NORM_OPTIONS);
  return applyBatchNorm("batchNorm", x, runningMean, runningVar, weight, bias, o);
}

/**
 * batchNorm with its options resolved, its errors naming `where` (the layers call this). A layer that counts its
 * batches passes the momentum of this step in `momentumCell` ([1]), which its batchNormCount call writes each step.
 */
export function applyBatchNorm(where: string, x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  weight: Tensor | null, bias: Tensor | null, o: Resolved, momentumCell: Float64Array | null = null): Tensor {
  checkBatchNormInput(where, x, o.training);
  const [n, c, s] = view(x);
  checkPerChannel(where, "runningMean", runningMean, c, x, false);
  checkPerChannel(where, "runningVar", runningVar, c, x, false);
  checkPerChannel(where, "weight", weight, c, x, true);
  checkPerChannel(where, "bias", bias, c, x, true);
  if (!o.training && (!runningMean || !runningVar)) {
    throw new OptionError({ where, what: "runningMean and runningVar must be given in evaluation mode (training false)" });
  }
  // The running statistics' update and 1/√(var + eps) are kernels too, so a captured step replays them among the others.
  const mean = new Float64Array(c), invstd = new Float64Array(c), eps = o.eps;
  if (o.training) {
    const variance = new Float64Array(c);
    // An empty batch leaves the running statistics alone, as in torch.
    if (n * s > 0) {
      kernels().batchNormStats(x.data as FloatArray, n, c, s, mean, variance);
      const rm = (runningMean?.data ?? null) as FloatArray | null, rv = (runningVar?.data ?? null) as FloatArray | null;
      if (rm || rv) kernels().batchNormRunning(rm, rv, mean, variance, n * s, momentumCell ?? Float64Array.of(o.momentum));
    }
    kernels().batchNormInverseStd(variance, eps, invstd);
  } else {
    const rm = runningMean!.data as FloatArray, rv = runningVar!.data as FloatArray;
    // JavaScript in its place in a captured step (inPlan): the running mean copied to float64.
    inPlan("batchNorm's running mean", () => mean.set(rm), [rm, mean]);
    kernels().batchNormInverseStd(rv, eps, invstd);
  }
  const out = empty(x.shape, x.dtype);
  kernels().batchNormForward(x.data as FloatArray, n, c, s, mean, invstd, (weight?.data ?? null) as FloatArray | null,
    (bias?.data ?? null) as FloatArray | null, out.data as FloatArray);
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  const stats: Stats = { n, c, s, mean, invstd, training: o.training, eps: o.eps };
  return record(out, "batchNorm", inputs, (gy) => {
    const [gx, gWeight, gBias] = isGradEnabled() ? composedBackward(gy, x, weight, stats) : fusedBackward(gy, x, weight, bias, stats);
    return [gx, ...(weight ? [gWeight] : []), ...(bias ? [gBias] : [])];
  });
}

interface Stats {
  n: number; c: number; s: number;
  mean: Float64Array; invstd: Float64Array;
  training: boolean; eps: number;
}

/** The gradients in one kernel call, outside the graph (the usual backward). */
function fusedBackward(gy: Tensor, x: Tensor, weight: Tensor | null, bias: Tensor | null, st: Stats): (Tensor | null)[] {
  const gx = x.requiresGrad ? empty(x.shape, x.dtype) : null;
  const gWeight = weight?.requiresGrad ? empty(weight.shape, weight.dtype) : null;
  const gBias = bias?.requiresGrad ? empty(bias.shape, bias.dtype) : null;
  const data = (t: Tensor | null) => (t?.data ?? null) as FloatArray | null;
  kernels().batchNormBackward(gy.data as FloatArray, x.data as FloatArray, st.n, st.c, st.s, st.mean, st.invstd, data(weight), st.training,
    data(gx), data(gWeight), data(gBias));
  return [gx, gWeight, gBias];
}

/**
 * The same gradients in differentiable tensor ops, for a recorded backward (createGraph): in training
 * the statistics are recomputed from x so that their dependence on x is in the graph.
 */
function composedBackward(gy: Tensor, x: Tensor, weight: Tensor | null, st: Stats): Tensor[] {
  const { n, c, s } = st;
  const dims = [0, 2];
  const x3 = reshape(x, [n, c, s]), g3 = reshape(gy, [n, c, s]);
  const constant = (values: Float64Array) => { const t = empty([1, c, 1], x.dtype); t.data.set(values); return t; };
  let centred: Tensor, invstd: Tensor;
  if (st.training) {
    centred = x3.sub(x3.mean(dims, true));
    invstd = centred.square().mean(dims, true).add(st.eps).sqrt().reciprocal();
  } else {
    centred = x3.sub(constant(st.mean));
    invstd = constant(st.invstd);
  }
  const xhat = centred.mul(invstd);
  const scale = weight ? reshape(weight, [1, c, 1]).mul(invstd) : invstd;
  const gyXhat = g3.mul(xhat);
  const gx = st.training ? g3.sub(g3.mean(dims, true)).sub(xhat.mul(gyXhat.mean(dims, true))).mul(scale) : g3.mul(scale);
  return [reshape(gx, x.shape), gyXhat.sum(dims), g3.sum(dims)];
}
