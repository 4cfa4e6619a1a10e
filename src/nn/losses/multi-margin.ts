import { gather } from "../../autograd/ops/indexing.js";
import { atLeast, checkOptions, choice, option, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkClassTarget } from "./cross-entropy.js";
import { reduce, withReduction } from "./reduction.js";

export const MULTI_MARGIN_OPTIONS = withReduction({
  /** 1 (hinge, the multiclass SVM loss, default) or 2 (squared hinge). */
  p: choice(1, 2),
  /** The margin by which the target's score must beat every other (default 1). */
  margin: option(1, atLeast(-Infinity)),
});

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
