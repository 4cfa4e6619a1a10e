import { binaryCrossEntropyElementwise, binaryCrossEntropyWithLogitsElementwise } from "../../autograd/ops/binary-cross-entropy.js";
import { requireFloat } from "../../autograd/ops/util.js";
import { DTypeError } from "../../errors.js";
import { checkOptions, optional, type Check, type OptionsOf } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import { checkSameShape, checkValues, checkWeight, reduce, withReduction } from "./reduction.js";

/** A tensor option's check. */
const isTensor: Check = (v) => (v instanceof Tensor ? null : "a tensor");

const WEIGHT_OPTION = {
  /** A rescaling weight per element, of a shape that broadcasts to the input's (default none). */
  weight: optional<Tensor>(isTensor),
};

export const BCE_OPTIONS = withReduction({ ...WEIGHT_OPTION });

/** The options of binaryCrossEntropy. */
export interface BCEOptions extends OptionsOf<typeof BCE_OPTIONS> {}

/**
 * Binary cross-entropy of probabilities x ∈ [0, 1] against targets y ∈ [0, 1] of the same shape, as
 * torch.nn.functional.binary_cross_entropy: −w·(y·log x + (1 − y)·log(1 − x)), each log floored at −100 as
 * torch floors it. Values outside [0, 1] are refused, naming the first; a NaN passes through to the loss.
 * On logits, binaryCrossEntropyWithLogits is the stable form: sigmoid then log loses the tails.
 * @example const loss = F.binaryCrossEntropy(model.forward(x).sigmoid(), y, { weight });
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  const o = checkOptions("binaryCrossEntropy", options, BCE_OPTIONS);
  checkBinaryTarget("binaryCrossEntropy", input, target, o.weight);
  checkValues("binaryCrossEntropy", input, inUnitInterval, "input holds a value outside [0, 1]",
    "probabilities (for logits, use binaryCrossEntropyWithLogits)");
  const loss = binaryCrossEntropyElementwise(input, target);
  return reduce(o.weight ? loss.mul(o.weight) : loss, o.reduction);
}

export const BCE_WITH_LOGITS_OPTIONS = withReduction({
  ...WEIGHT_OPTION,
  /**
   * The weight of the positive term, per class (the last dim), broadcast to the input's shape (default
   * none, i.e. 1): negatives ÷ positives balances a class whose positives are rare.
   */
  posWeight: optional<Tensor>(isTensor),
});

/** The options of binaryCrossEntropyWithLogits. */
export interface BCEWithLogitsOptions extends OptionsOf<typeof BCE_WITH_LOGITS_OPTIONS> {}

/**
 * Binary cross-entropy on logits z, as torch.nn.functional.binary_cross_entropy_with_logits:
 * −w·(p·y·log σ(z) + (1 − y)·log(1 − σ(z))) with p the posWeight, computed as torch computes it, never
 * exponentiating a positive number: with m = max(−z, 0),
 *   (1 − y)·z + (1 + (p − 1)·y)·(log(e^(−m) + e^(−z−m)) + m).
 * Targets must lie in [0, 1].
 * @example const loss = F.binaryCrossEntropyWithLogits(model.forward(x), y, { posWeight: mn.tensor([3]) });
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsOptions = {}): Tensor {
  const where = "binaryCrossEntropyWithLogits";
  const o = checkOptions(where, options, BCE_WITH_LOGITS_OPTIONS);
  checkBinaryTarget(where, input, target, o.weight);
  if (o.posWeight) checkWeight(where, "posWeight", o.posWeight, input);
  return reduce(binaryCrossEntropyWithLogitsElementwise(input, target, o.posWeight ?? null, o.weight ?? null), o.reduction);
}

const inUnitInterval = (v: number) => !(v < 0 || v > 1);

/** The checks both forms share: float tensors of one dtype and shape, targets in [0, 1], a weight that fits. */
function checkBinaryTarget(where: string, input: Tensor, target: Tensor, weight: Tensor | undefined): void {
  requireFloat(where, input, "input");
  requireFloat(where, target, "target");
  if (target.dtype !== input.dtype) {
    throw new DTypeError({ where, what: "target and input differ in dtype", expected: `${input.dtype} (the input's)`, got: target.dtype });
  }
  checkSameShape(where, input, target);
  if (weight) checkWeight(where, "weight", weight, input);
  checkValues(where, target, inUnitInterval, "target holds a value outside [0, 1]", "probabilities");
}
