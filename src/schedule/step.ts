import { atLeast, option, positiveInt, required, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const STEP_LR_OPTIONS = {
  /** Steps between two decays (required). */
  stepSize: required<number>(positiveInt),
  /** Multiplicative decay (default 0.1). */
  gamma: option(0.1, atLeast(0)),
};

/** StepLR's options. */
export interface StepLROptions extends SchedulerOptions, OptionsOf<typeof STEP_LR_OPTIONS> {}

/**
 * Step decay (torch.optim.lr_scheduler.StepLR): lr_t = base · γ^⌊t / stepSize⌋.
 * @example const f = mn.optim.lrScheduler.stepDecay({ stepSize: 30 }); f(45, 0.1); // 0.01
 */
export function stepDecay(options: StepLROptions): Schedule {
  const o = scheduleOptions("StepLR", options, STEP_LR_OPTIONS);
  return (t, base) => base * o.gamma ** Math.floor(t / o.stepSize);
}

/**
 * Decays every group's lr by `gamma` every `stepSize` steps; see {@link stepDecay}.
 * @example const sched = new mn.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: StepLROptions) {
    super(optimizer, stepDecay(options), options);
  }
}
