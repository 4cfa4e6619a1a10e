import { applyBatchNorm, checkBatchNormInput } from "../autograd/ops/batch-norm.js";
import { OptionError, ShapeError, showShape } from "../errors.js";
import { atLeast, checkOptions, choice, isBoolean, option, type OptionsOf } from "../options.js";
import { ones, tensor, zeros } from "../tensor/create.js";
import type { FloatDType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { guardValue } from "../backend/capture/record.js";
import { kernels } from "../backend/select.js";
import { Module } from "./module.js";
import { runningStatsFrozen } from "./running-stats.js";

const BATCH_NORM_LAYER_OPTIONS = {
  /** Added to the variance before the square root (default 1e-5). */
  eps: option(1e-5, atLeast(0)),
  /** The batch's weight in the running statistics (default 0.1); null: their cumulative average over the batches seen. */
  momentum: option<number | null>(0.1, (v) => (v === null || (typeof v === "number" && v >= 0 && v <= 1) ? null : "a number in [0, 1] or null")),
  /** Learn a per-channel weight (ones at first) and bias (zeros) (default true). */
  affine: option(true, isBoolean),
  /** Keep running statistics for evaluation (default true); false normalizes by the batch's statistics always. */
  trackRunningStats: option(true, isBoolean),
  /** The dtype of the weight, bias and running statistics (default "float32"). */
  dtype: choice<FloatDType[]>("float32", "float64"),
};

/** The options of BatchNorm1d and BatchNorm2d (torch's, in camelCase). */
export interface BatchNormLayerOptions extends OptionsOf<typeof BATCH_NORM_LAYER_OPTIONS> {}

/**
 * What BatchNorm1d and BatchNorm2d share (torch's _BatchNorm): a per-channel weight and bias, and the
 * buffers running_mean (zeros at first), running_var (ones) and num_batches_tracked, under torch's
 * state-dict names so a PyTorch checkpoint's keys fit. In training each forward normalizes by the
 * batch's statistics and folds them into the running ones with weight momentum (1/numBatchesTracked when
 * momentum is null); in evaluation the running statistics normalize.
 */
abstract class BatchNorm extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  /** Mutable, as in torch: swaUtils.updateBn sets it to null for its pass. */
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(readonly numFeatures: number, options: BatchNormLayerOptions) {
    super();
    const where = new.target.name;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new OptionError({ where, what: "invalid numFeatures", expected: "a positive integer", got: String(numFeatures) });
    }
    const o = checkOptions(where, options, BATCH_NORM_LAYER_OPTIONS);
    ({ eps: this.eps, momentum: this.momentum, affine: this.affine, trackRunningStats: this.trackRunningStats } = o);
    const dtype = o.dtype;
    this.weight = o.affine ? this.registerParameter("weight", ones([numFeatures], { dtype })) : null;
    this.bias = o.affine ? this.registerParameter("bias", zeros([numFeatures], { dtype })) : null;
    const track = o.trackRunningStats;
    this.runningMean = track ? this.registerBuffer("running_mean", zeros([numFeatures], { dtype })) : null;
    this.runningVar = track ? this.registerBuffer("running_var", ones([numFeatures], { dtype })) : null;
    this.numBatchesTracked = track ? this.registerBuffer("num_batches_tracked", tensor(0, { dtype: "int32" })) : null;
  }

  /** Throws unless x has a rank this layer takes. */
  protected abstract checkRank(x: Tensor): void;

  forward(x: Tensor): Tensor {
    const where = this.constructor.name;
    this.checkRank(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError({ where, what: `wrong number of channels in input ${showShape(x.shape)} (dim 1)`, expected: `${this.numFeatures}, the layer's numFeatures`, got: String(x.shape[1]) });
    }
    // Without running statistics the batch's own normalize, in evaluation too (as in torch).
    const batchStats = this.training || !this.trackRunningStats;
    checkBatchNormInput(where, x, batchStats); // before counting the batch
    // Inside frozenRunningStats a training pass normalizes by the batch's statistics and neither counts nor keeps them.
    const keep = !(this.training && runningStatsFrozen());
    guardValue(() => this.training, `${where}'s training mode changed`);
    // The count and this step's momentum (1/count when momentum is null), a kernel call a captured step replays.
    let momentumCell: Float64Array | null = null;
    if (this.training && keep && this.numBatchesTracked) {
      guardValue(() => this.momentum, `${where}'s momentum changed`);
      momentumCell = new Float64Array(1);
      kernels().batchNormCount(this.numBatchesTracked.data as Int32Array, this.momentum, momentumCell);
    }
    return applyBatchNorm(where, x, keep ? this.runningMean : null, keep ? this.runningVar : null, this.weight, this.bias,
      { training: batchStats, momentum: momentumCell?.[0] ?? this.momentum ?? 0, eps: this.eps }, momentumCell);
  }

  /** Running mean 0, variance 1, no batches tracked. */
  resetRunningStats(): void {
    this.runningMean?.data.fill(0);
    this.runningVar?.data.fill(1);
    this.numBatchesTracked?.data.fill(0);
  }

  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalization over [N, C] or [N, C, L] input (torch.nn.BatchNorm1d): per channel,
 * y = (x − mean) / √(var + eps) · weight + bias, with the batch's mean and biased variance over N (and L)
 * in training, the running ones in evaluation; see F.batchNorm.
 * @example const bn = new mn.nn.BatchNorm1d(256); // after new mn.nn.Linear(784, 256)
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) { super(numFeatures, options); }
  protected checkRank(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError({ where: "BatchNorm1d", what: "invalid input shape", expected: "a 2-D [N,C] or 3-D [N,C,L] tensor", got: showShape(x.shape) });
  }
}

/**
 * Batch normalization over [N, C, H, W] input (torch.nn.BatchNorm2d): statistics per channel over N, H
 * and W; see BatchNorm1d and F.batchNorm.
 * @example const bn = new mn.nn.BatchNorm2d(32); // after new mn.nn.Conv2d(1, 32, 3)
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) { super(numFeatures, options); }
  protected checkRank(x: Tensor): void {
    if (x.ndim !== 4) throw new ShapeError({ where: "BatchNorm2d", what: "invalid input shape", expected: "a 4-D [N,C,H,W] tensor", got: showShape(x.shape) });
  }
}
