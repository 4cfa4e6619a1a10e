import { atLeast, option, positiveInt, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const POLYNOMIAL_LR_OPTIONS = {
  /** Steps until the lr reaches 0 (default 5). */
  totalIters: option(5, positiveInt),
  /** Power of the decay (default 1: linear to zero). */
  power: option(1, atLeast(0)),
};

/** PolynomialLR's options. */
export interface PolynomialLROptions extends SchedulerOptions, OptionsOf<typeof POLYNOMIAL_LR_OPTIONS> {}

/**
 * Polynomial decay to zero (torch.optim.lr_scheduler.PolynomialLR): lr_t = base · (1 − min(t, T)/T)^p.
 * @example const f = mn.optim.lrScheduler.polynomialDecay({ totalIters: 4 }); f(1, 0.001); // 0.00075
 */
export function polynomialDecay(options: Omit<PolynomialLROptions, "lastEpoch"> = {}): Schedule {
  const o = scheduleOptions("PolynomialLR", options, POLYNOMIAL_LR_OPTIONS);
  return (t, base) => base * (1 - Math.min(o.totalIters, t) / o.totalIters) ** o.power;
}

/**
 * Decays each group's lr polynomially to zero over totalIters steps; see {@link polynomialDecay}.
 * @example const sched = new mn.optim.lrScheduler.PolynomialLR(opt, { totalIters: 1000, power: 2 });
 */
export class PolynomialLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: PolynomialLROptions = {}) {
    super(optimizer, polynomialDecay(options), options);
  }
}
