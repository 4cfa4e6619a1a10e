import { nonNegativeInt, type Check } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

export interface ConstantLROptions extends SchedulerOptions {
  /** Factor applied before totalIters, in [0, 1] (default 1/3). */
  factor?: number;
  /** Steps at the reduced lr (default 5). */
  totalIters?: number;
}

const unit: Check = (v) => (typeof v === "number" && v >= 0 && v <= 1 ? null : "a number in [0, 1]");

/**
 * Constant factor for a while (torch.optim.lr_scheduler.ConstantLR): lr_t = base · f for t < T, base after.
 * Written as torch's closed form, base · (f + [t ≥ T]·(1 − f)), so the values agree to the last bit.
 * @example const f = mn.optim.lrScheduler.constantSchedule({ factor: 0.5, totalIters: 3 }); f(2, 1); // 0.5
 */
export function constantSchedule(options: Omit<ConstantLROptions, "lastEpoch"> = {}): Schedule {
  const o = scheduleOptions("ConstantLR", options, { factor: 1 / 3, totalIters: 5 }, { factor: unit, totalIters: nonNegativeInt });
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
