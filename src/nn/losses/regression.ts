import { requireFloat } from "../../autograd/ops/util.js";
import { where } from "../../autograd/ops/arith.js";
import { above, atLeast, checkOptions, option, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { REDUCTION_OPTIONS, checkSameShape, reduce, withReduction, type ReductionOptions } from "./reduction.js";

/**
 * Distances between a prediction and a target of the same shape, elementwise, as torch.nn.functional
 * computes them: squared (mse), absolute (l1), and the two that are quadratic near 0 and linear beyond a
 * threshold (smoothL1, huber). Nothing is broadcast: input and target must have the same shape.
 */

/**
 * Mean squared error (x − y)², as torch.nn.functional.mse_loss.
 * @example const loss = F.mseLoss(model.forward(x), y);
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const { reduction } = checkOptions("mseLoss", options, REDUCTION_OPTIONS);
  checkSameShape("mseLoss", input, target);
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

/**
 * Mean absolute error |x − y|, as torch.nn.functional.l1_loss; its gradient is sign(x − y) (0 at a tie).
 * @example const loss = F.l1Loss(model.forward(x), y, { reduction: "sum" });
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const { reduction } = checkOptions("l1Loss", options, REDUCTION_OPTIONS);
  return reduce(distance("l1Loss", input, target).abs(), reduction);
}

export const SMOOTH_L1_OPTIONS = withReduction({
  /** β ≥ 0: where the loss turns from quadratic to linear (default 1); β = 0 is l1Loss. */
  beta: option(1, atLeast(0)),
});

/** The options of smoothL1Loss. */
export interface SmoothL1Options extends OptionsOf<typeof SMOOTH_L1_OPTIONS> {}

/**
 * Smooth L1 (Girshick 2015, Fast R-CNN), as torch.nn.functional.smooth_l1_loss: with z = |x − y|,
 * 0.5·z²/β where z < β, z − 0.5·β elsewhere. Its slope is bounded by 1; huberLoss is β times it, with δ = β.
 * @example const loss = F.smoothL1Loss(boxes, targets, { beta: 0.5 });
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  const { reduction, beta } = checkOptions("smoothL1Loss", options, SMOOTH_L1_OPTIONS);
  const d = distance("smoothL1Loss", input, target);
  // β = 0 would divide by zero in the unused branch, and its NaN would reach the gradient. l1Loss it is, as torch ≥ 2.0
  // takes it; torch 1.13's kernel gave −1 instead of 0 as the gradient at a tie (x = y).
  if (beta === 0) return reduce(d.abs(), reduction);
  const z = d.abs();
  return reduce(where(z.lt(beta), d.mul(d).mul(0.5).div(beta), z.sub(0.5 * beta)), reduction);
}

export const HUBER_OPTIONS = withReduction({
  /** δ > 0: where the loss turns from quadratic to linear (default 1). */
  delta: option(1, above(0)),
});

/** The options of huberLoss. */
export interface HuberOptions extends OptionsOf<typeof HUBER_OPTIONS> {}

/**
 * The Huber loss (Huber 1964), as torch.nn.functional.huber_loss: with z = |x − y|, 0.5·z² where
 * z < δ, δ·(z − 0.5·δ) elsewhere; its slope is bounded by δ.
 * @example const loss = F.huberLoss(model.forward(x), y, { delta: 2 });
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  const { reduction, delta } = checkOptions("huberLoss", options, HUBER_OPTIONS);
  const d = distance("huberLoss", input, target);
  const z = d.abs();
  return reduce(where(z.lt(delta), d.mul(d).mul(0.5), z.sub(0.5 * delta).mul(delta)), reduction);
}

/** x − y after the checks the distance losses share. The quadratic branches square d itself, not |d|, so their second derivative is 1 at d = 0 too. */
function distance(loss: string, input: Tensor, target: Tensor): Tensor {
  requireFloat(loss, input, "input");
  requireFloat(loss, target, "target");
  checkSameShape(loss, input, target);
  return input.sub(target);
}
