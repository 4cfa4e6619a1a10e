import { option, positiveInt, unitInterval, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const LINEAR_LR_OPTIONS = {
  /** Factor at step 0, in [0, 1] (default 1/3; 0 works here, unlike PyTorch's recursive form). */
  startFactor: option(1 / 3, unitInterval),
  /** Factor from step totalIters on, in [0, 1] (default 1). */
  endFactor: option(1, unitInterval),
  /** Steps of the ramp (default 5). */
  totalIters: option(5, positiveInt),
};

/** LinearLR's options. */
export interface LinearLROptions extends SchedulerOptions, OptionsOf<typeof LINEAR_LR_OPTIONS> {}

/**
 * Linear ramp (torch.optim.lr_scheduler.LinearLR), the usual linear warmup (Goyal et al. 2017,
 * "Accurate, Large Minibatch SGD"): lr_t = base · (s + (e − s) · min(t, T) / T).
 * @example const f = mn.optim.lrScheduler.linearSchedule({ startFactor: 0.1, totalIters: 10 }); f(5, 1); // 0.55
 */
export function linearSchedule(options: Omit<LinearLROptions, "lastEpoch"> = {}): Schedule {
  const o = scheduleOptions("LinearLR", options, LINEAR_LR_OPTIONS);
  return (t, base) => base * (o.startFactor + ((o.endFactor - o.startFactor) * Math.min(o.totalIters, t)) / o.totalIters);
}

/**
 * Scales each group's lr from startFactor to endFactor over totalIters steps; see {@link linearSchedule}.
 * @example const warmup = new mn.optim.lrScheduler.LinearLR(opt, { startFactor: 0.01, totalIters: 500 });
 */
export class LinearLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: LinearLROptions = {}) {
    super(optimizer, linearSchedule(options), options);
  }
}
