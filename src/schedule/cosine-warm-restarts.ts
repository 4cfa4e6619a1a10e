import { atLeast, option, positiveInt, required, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const COSINE_WARM_RESTARTS_OPTIONS = {
  /** Steps of the first cycle (required). */
  t0: required<number>(positiveInt),
  /** Each cycle is tMult times longer than the one before, an integer ≥ 1 (default 1). */
  tMult: option(1, positiveInt),
  /** The lowest lr (default 0). */
  etaMin: option(0, atLeast(0)),
};

/** CosineAnnealingWarmRestarts' options. */
export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions, OptionsOf<typeof COSINE_WARM_RESTARTS_OPTIONS> {}

/**
 * SGDR, cosine annealing with warm restarts (Loshchilov & Hutter 2017; torch's
 * CosineAnnealingWarmRestarts): lr_t = η_min + (base − η_min) · (1 + cos(π T_cur / T_i)) / 2, where
 * T_i = t0 · tMult^i is the length of the current cycle and T_cur the steps since its restart.
 * Steps are counted in whole steps (torch's fractional step(epoch + i/iters) is not offered: use t0 in steps).
 * @example const f = mn.optim.lrScheduler.cosineAnnealingWarmRestarts({ t0: 10, tMult: 2 }); f(10, 0.1); // 0.1 (restart)
 */
export function cosineAnnealingWarmRestarts(options: Omit<CosineAnnealingWarmRestartsOptions, "lastEpoch">): Schedule {
  const o = scheduleOptions("CosineAnnealingWarmRestarts", options, COSINE_WARM_RESTARTS_OPTIONS);
  return (t, base) => {
    let tCur = o.tMult === 1 ? t % o.t0 : t;
    let tI = o.t0;
    // The same integer walk as torch's step(): exact, where its log-based step(epoch) form can round.
    while (tCur >= tI) { tCur -= tI; tI *= o.tMult; }
    return o.etaMin + ((base - o.etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  };
}

/**
 * Cosine annealing that restarts from the base lr every cycle; see {@link cosineAnnealingWarmRestarts}.
 * @example const sched = new mn.optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 });
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  constructor(optimizer: LROptimizer, options: CosineAnnealingWarmRestartsOptions) {
    super(optimizer, cosineAnnealingWarmRestarts(options), options);
  }
}
