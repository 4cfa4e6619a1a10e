import { atLeast, option, required, type Check, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const stepList: Check = (v) => (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0) ? null : "a list of non-negative integers");

const MULTI_STEP_LR_OPTIONS = {
  /** Steps at which to decay (required); unsorted is fine, a repeated milestone decays twice, as in torch. */
  milestones: required<readonly number[]>(stepList),
  /** Multiplicative decay (default 0.1). */
  gamma: option(0.1, atLeast(0)),
};

/** MultiStepLR's options. */
export interface MultiStepLROptions extends SchedulerOptions, OptionsOf<typeof MULTI_STEP_LR_OPTIONS> {}

/**
 * Piecewise-constant decay (torch.optim.lr_scheduler.MultiStepLR): lr_t = base · γ^#{m ∈ milestones : m ≤ t}.
 * @example const f = mn.optim.lrScheduler.multiStepDecay({ milestones: [30, 80] }); f(50, 0.1); // 0.01
 */
export function multiStepDecay(options: MultiStepLROptions): Schedule {
  const o = scheduleOptions("MultiStepLR", options, MULTI_STEP_LR_OPTIONS);
  const sorted = [...o.milestones].sort((a, b) => a - b);
  return (t, base) => base * o.gamma ** sorted.filter((m) => m <= t).length;
}

/**
 * Decays every group's lr by `gamma` at each milestone; see {@link multiStepDecay}.
 * @example const sched = new mn.optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: MultiStepLROptions) {
    super(optimizer, multiStepDecay(options), options);
  }
}

