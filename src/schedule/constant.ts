import { nonNegativeInt, option, unitInterval, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const CONSTANT_LR_OPTIONS = {
  /** Factor applied before totalIters, in [0, 1] (default 1/3). */
  factor: option(1 / 3, unitInterval),
  /** Steps at the reduced lr (default 5). */
  totalIters: option(5, nonNegativeInt),
};

/** ConstantLR's options. */
export interface ConstantLROptions extends SchedulerOptions, OptionsOf<typeof CONSTANT_LR_OPTIONS> {}

/**
 * Constant factor for a while (torch.optim.lr_scheduler.ConstantLR): lr_t = base · f for t < T, base after.
 * Written as torch's closed form, base · (f + [t ≥ T]·(1 − f)), so the values agree to the last bit.
 * @example const f = mn.optim.lrScheduler.constantSchedule({ factor: 0.5, totalIters: 3 }); f(2, 1); // 0.5
 */
export function constantSchedule(options: Omit<ConstantLROptions, "lastEpoch"> = {}): Schedule {
  const o = scheduleOptions("ConstantLR", options, CONSTANT_LR_OPTIONS);
  return (t, base) => base * (o.factor + (t >= o.totalIters ? 1 - o.factor : 0));
}

/**
 * Keeps each group's lr at factor · base for totalIters steps, then at base; see {@link constantSchedule}.
 * @example const sched = new mn.optim.lrScheduler.ConstantLR(opt, { factor: 0.1, totalIters: 100 });
 */
export class ConstantLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: ConstantLROptions = {}) {
    super(optimizer, constantSchedule(options), options);
  }
}
