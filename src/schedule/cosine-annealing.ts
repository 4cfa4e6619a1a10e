import { atLeast, option, positiveInt, required, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const COSINE_ANNEALING_LR_OPTIONS = {
  /** Steps of the half cosine from base to etaMin (required). */
  tMax: required<number>(positiveInt),
  /** The lowest lr (default 0). */
  etaMin: option(0, atLeast(0)),
};

/** CosineAnnealingLR's options. */
export interface CosineAnnealingLROptions extends SchedulerOptions, OptionsOf<typeof COSINE_ANNEALING_LR_OPTIONS> {}

/**
 * Cosine annealing (torch.optim.lr_scheduler.CosineAnnealingLR; Loshchilov & Hutter 2017, SGDR,
 * without restarts): lr_t = η_min + (base − η_min) · (1 + cos(π t / T_max)) / 2.
 * Past T_max the cosine climbs back, as PyTorch's does. PyTorch computes the same values
 * recursively (lr_t from lr_{t−1}); over 250 steps the two agree to 4e-14 relative.
 * @example const f = mn.optim.lrScheduler.cosineAnnealing({ tMax: 100 }); f(50, 0.1); // 0.05
 */
export function cosineAnnealing(options: Omit<CosineAnnealingLROptions, "lastEpoch">): Schedule {
  const o = scheduleOptions("CosineAnnealingLR", options, COSINE_ANNEALING_LR_OPTIONS);
  return (t, base) => o.etaMin + ((base - o.etaMin) * (1 + Math.cos((Math.PI * t) / o.tMax))) / 2;
}

/**
 * Anneals each group's lr from its base to etaMin along a half cosine; see {@link cosineAnnealing}.
 * @example const sched = new mn.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: CosineAnnealingLROptions) {
    super(optimizer, cosineAnnealing(options), options);
  }
}
