import { anything, required, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type PerGroup, type Schedule, type SchedulerOptions } from "./scheduler.js";
import { lambdasFor, type LrLambda } from "./lambda.js";

const isFn = (v: unknown) => (typeof v === "function" ? null : "a function of the step");

const MULTIPLICATIVE_LR_OPTIONS = {
  /** The factor λ(t) applied at step t, one for every group or one per group (required). */
  lrLambda: required<LrLambda>(isFn),
};

/** MultiplicativeLR's options. */
export interface MultiplicativeLROptions extends SchedulerOptions, PerGroup<OptionsOf<typeof MULTIPLICATIVE_LR_OPTIONS>, "lrLambda"> {}

/**
 * Multiplicative schedule (torch.optim.lr_scheduler.MultiplicativeLR): lr_t = base · Π_{k=1..t} λ(k).
 * PyTorch multiplies the current lr step by step; here the products are cached, so any step is a
 * lookup and a resumed run gives the same lrs as an uninterrupted one.
 * @example const f = mn.optim.lrScheduler.multiplicativeSchedule({ lrLambda: () => 0.9 }); f(2, 1); // 0.81
 */
export function multiplicativeSchedule(options: { lrLambda: LrLambda }): Schedule {
  const o = scheduleOptions("MultiplicativeLR", options, MULTIPLICATIVE_LR_OPTIONS);
  const products = [1];
  return (t, base) => {
    while (products.length <= t) products.push(products[products.length - 1]! * o.lrLambda(products.length));
    return base * products[t]!;
  };
}

/**
 * Multiplies each group's lr by λ(t) at every step; see {@link multiplicativeSchedule}.
 * In a SequentialLR segment it restarts from the base lr (PyTorch's continues from the lr the
 * previous segment left, because it has no closed form).
 * @example const sched = new mn.optim.lrScheduler.MultiplicativeLR(opt, { lrLambda: () => 0.99 });
 */
export class MultiplicativeLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: MultiplicativeLROptions) {
    const { lrLambda, ...rest } = options;
    // Unknown keys and a missing lrLambda fail before the split into one lambda per group.
    scheduleOptions("MultiplicativeLR", options, { lrLambda: required(anything) });
    super(optimizer, lambdasFor("MultiplicativeLR", lrLambda, optimizer).map((fn) => multiplicativeSchedule({ ...rest, lrLambda: fn })), options);
  }
}
