import { DTypeError, ShapeError, showShape } from "../../errors.js";
import { gather } from "../../autograd/ops/indexing.js";
import { classCrossEntropy } from "../../autograd/ops/cross-entropy.js";
import { logSoftmax } from "../../autograd/ops/softmax.js";
import { requireFloat } from "../../autograd/ops/util.js";
import { checkOptions, inRange, option, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { REDUCTION_OPTIONS, reduce, withReduction, type ReductionOptions } from "./reduction.js";

/** Checks [N, C] scores against N int32 class indices. */
export function checkClassTarget(where: string, input: Tensor, target: Tensor): void {
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

export const CROSS_ENTROPY_OPTIONS = withReduction({
  /** ε in [0, 1): the target becomes (1 − ε)·one-hot + ε/C (Szegedy et al. 2016) (default 0). */
  labelSmoothing: option(0, inRange(0, 1)),
});

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
