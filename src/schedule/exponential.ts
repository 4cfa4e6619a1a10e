import { atLeast, required, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const EXPONENTIAL_LR_OPTIONS = {
  /** Multiplicative decay per step (required). */
  gamma: required<number>(atLeast(0)),
};

/** ExponentialLR's options. */
export interface ExponentialLROptions extends SchedulerOptions, OptionsOf<typeof EXPONENTIAL_LR_OPTIONS> {}

/**
 * Exponential decay (torch.optim.lr_scheduler.ExponentialLR): lr_t = base · γ^t.
 * @example const f = mn.optim.lrScheduler.exponentialDecay({ gamma: 0.9 }); f(2, 1); // 0.81
 */
export function exponentialDecay(options: ExponentialLROptions): Schedule {
  const o = scheduleOptions("ExponentialLR", options, EXPONENTIAL_LR_OPTIONS);
  return (t, base) => base * o.gamma ** t;
}

/**
 * Multiplies every group's lr by `gamma` each step; see {@link exponentialDecay}.
 * @example const sched = new mn.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.98 });
 */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: ExponentialLROptions) {
    super(optimizer, exponentialDecay(options), options);
  }
}
