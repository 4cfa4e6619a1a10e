import { DTypeError, ShapeError, showShape } from "../errors.js";
import { gather } from "../autograd/ops/indexing.js";
import { classCrossEntropy } from "../autograd/ops/cross-entropy.js";
import { logSoftmax } from "../autograd/ops/softmax.js";
import { requireFloat } from "../autograd/ops/util.js";
import { atLeast, checkOptions, choice, inRange, option, type OptionsOf } from "../options.js";
import type { Tensor } from "../tensor/tensor.js";

export type Reduction = "mean" | "sum" | "none";

const REDUCTION_OPTIONS = {
  /** "mean" (default) averages over the batch, "sum" adds, "none" returns one loss per sample. */
  reduction: choice<Reduction[]>("mean", "sum", "none"),
};

/** The options every loss takes. */
export interface ReductionOptions extends OptionsOf<typeof REDUCTION_OPTIONS> {}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? loss.mean() : reduction === "sum" ? loss.sum() : loss;
}

/** Checks [N, C] scores against N int32 class indices. */
function checkClassTarget(where: string, input: Tensor, target: Tensor): void {
  requireFloat(where, input, "input");
  if (input.ndim !== 2) throw new ShapeError({ where, what: `input must be [batch, classes]`, got: showShape(input.shape) });
  if (target.dtype !== "int32") {
    throw new DTypeError({ where, what: `target must hold class indices as int32`, got: target.dtype });
  }
  if (target.ndim !== 1 || target.shape[0] !== input.shape[0]) {
    throw new ShapeError({ where, what: `target of shape ${showShape(target.shape)} does not match input ${showShape(input.shape)}`, expected: `[${input.shape[0]}]` });
  }
}

/**
 * The negative log-likelihood of each target class under log-probabilities [N, C].
 * @example mn.nn.functional.nllLoss(logits.logSoftmax(1), y)
 */
export function nllLoss(logProbs: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const { reduction } = checkOptions("nllLoss", options, REDUCTION_OPTIONS);
  checkClassTarget("nllLoss", logProbs, target);
  return reduce(gather(logProbs, 1, target.reshape([-1, 1])).reshape([-1]).neg(), reduction);
}

const CROSS_ENTROPY_OPTIONS = {
  ...REDUCTION_OPTIONS,
  /** ε in [0, 1): the target becomes (1 − ε)·one-hot + ε/C (Szegedy et al. 2016) (default 0). */
  labelSmoothing: option(0, inRange(0, 1)),
};

/** The options of crossEntropy. */
export interface CrossEntropyOptions extends OptionsOf<typeof CROSS_ENTROPY_OPTIONS> {}

/**
 * Softmax cross-entropy of scores [N, C] against int32 class indices [N], or against class
 * probabilities of the input's shape (soft targets), as torch.nn.functional.cross_entropy.
 * @example const loss = F.crossEntropy(model.forward(x), y, { labelSmoothing: 0.1 });
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const o = checkOptions("crossEntropy", options, CROSS_ENTROPY_OPTIONS);
  const classes = input.shape[input.ndim - 1]!;
  if (target.dtype !== "int32") {
    const logp = logSoftmax(input, -1);
    // Soft targets: −Σ p·log q per sample.
    if (target.ndim === 1 && input.ndim === 2 && target.shape[0] === input.shape[0]) {
      throw new DTypeError({ where: "crossEntropy", what: `target of shape ${showShape(target.shape)} looks like class indices, but its dtype is ${target.dtype}`,
        expected: `int32 class indices: { dtype: "int32" } when you make it (mn.tensor(labels, { dtype: "int32" })), or target.int(); `
          + `probabilities would have the input's shape ${showShape(input.shape)}` });
    }
    if (target.shape.length !== input.shape.length || target.shape.some((d, i) => d !== input.shape[i])) {
      throw new ShapeError({ where: "crossEntropy", what: `probability target of shape ${showShape(target.shape)} does not match input ${showShape(input.shape)}; class-index targets must be int32` });
    }
    const p = o.labelSmoothing > 0 ? target.mul(1 - o.labelSmoothing).add(o.labelSmoothing / classes) : target;
    return reduce(logp.mul(p).sum(-1).neg(), o.reduction);
  }
  checkClassTarget("crossEntropy", input, target);
  return reduce(classCrossEntropy(input, target, o.labelSmoothing), o.reduction);
}

/** Mean squared error; input and target must have the same shape (nothing is broadcast silently). */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const { reduction } = checkOptions("mseLoss", options, REDUCTION_OPTIONS);
  if (input.shape.length !== target.shape.length || input.shape.some((d, i) => d !== target.shape[i])) {
    throw new ShapeError({ where: "mseLoss", what: `input ${showShape(input.shape)} and target ${showShape(target.shape)} differ in shape` });
  }
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

const MULTI_MARGIN_OPTIONS = {
  ...REDUCTION_OPTIONS,
  /** 1 (hinge, the multiclass SVM loss, default) or 2 (squared hinge). */
  p: choice(1, 2),
  /** The margin by which the target's score must beat every other (default 1). */
  margin: option(1, atLeast(-Infinity)),
};

/** The options of multiMarginLoss. */
export interface MultiMarginOptions extends OptionsOf<typeof MULTI_MARGIN_OPTIONS> {}

/**
 * The multiclass hinge loss (Weston & Watkins; CS231n's SVM loss, averaged over classes as
 * torch does): Σ_{j≠y} max(0, margin − x_y + x_j)^p / C per sample.
 */
export function multiMarginLoss(input: Tensor, target: Tensor, options: MultiMarginOptions = {}): Tensor {
  const o = checkOptions("multiMarginLoss", options, MULTI_MARGIN_OPTIONS);
  checkClassTarget("multiMarginLoss", input, target);
  const classes = input.shape[1]!;
  const correct = gather(input, 1, target.reshape([-1, 1]));
  let margins = input.sub(correct).add(o.margin).relu();
  if (o.p === 2) margins = margins.mul(margins);
  // The j = y term is max(0, margin)^p for every sample; take it back out.
  const self = Math.pow(Math.max(0, o.margin), o.p);
  return reduce(margins.sum(1).sub(self).div(classes), o.reduction);
}
