import { where } from "../../autograd/ops/arith.js";
import { requireFloat } from "../../autograd/ops/util.js";
import { checkOptions, choice, isBoolean, option, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkSameShape } from "./reduction.js";

export const KL_DIV_OPTIONS = {
  /**
   * "mean" (default, as torch) averages over every element; "batchmean" sums and divides by the batch size
   * (the first dim), which is the KL divergence itself; "sum" adds; "none" keeps every element's term.
   */
  reduction: choice("mean", "batchmean", "sum", "none"),
  /** Whether the target holds log-probabilities rather than probabilities (default false). */
  logTarget: option(false, isBoolean),
};

/** The options of klDiv. */
export interface KLDivOptions extends OptionsOf<typeof KL_DIV_OPTIONS> {}

/**
 * The Kullback–Leibler divergence KL(target ‖ input) of a target distribution from log-probabilities
 * input, as torch.nn.functional.kl_div: y·(log y − x) per element (0 where y = 0), or e^y·(y − x) when
 * logTarget. The input holds log-probabilities (a logSoftmax's output), as in torch. Use "batchmean" for
 * the divergence per sample: "mean" also divides by the number of classes (torch warns about it).
 * @example const loss = F.klDiv(F.logSoftmax(student, 1), F.softmax(teacher, 1), { reduction: "batchmean" });
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  const { reduction, logTarget } = checkOptions("klDiv", options, KL_DIV_OPTIONS);
  requireFloat("klDiv", input, "input");
  requireFloat("klDiv", target, "target");
  checkSameShape("klDiv", input, target);
  const loss = logTarget ? target.exp().mul(target.sub(input)) : xlogx(target).sub(target.mul(input));
  switch (reduction) {
    case "none": return loss;
    case "sum": return loss.sum();
    case "mean": return loss.mean();
    case "batchmean": return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]!);
  }
}

/** y·log y, taken as 0 at y = 0 (torch's xlogy(y, y)); the log reads 1 there, so neither value nor gradient is NaN. */
function xlogx(y: Tensor): Tensor {
  const zero = y.eq(0);
  return where(zero, 0, y.mul(where(zero, 1, y).log()));
}
