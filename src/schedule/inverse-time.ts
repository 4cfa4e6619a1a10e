import { above, atLeast, isBoolean, option, required, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const INVERSE_TIME_LR_OPTIONS = {
  /** Steps per unit of decay (required). */
  decaySteps: required<number>(above(0)),
  /** How fast the lr falls: it halves once decayRate · t / decaySteps reaches 1 (required). */
  decayRate: required<number>(atLeast(0)),
  /** Decay in whole units of decaySteps, a staircase (default false). */
  staircase: option(false, isBoolean),
};

/** InverseTimeLR's options. */
export interface InverseTimeLROptions extends SchedulerOptions, OptionsOf<typeof INVERSE_TIME_LR_OPTIONS> {}

/**
 * 1/t decay, as Keras' InverseTimeDecay computes it: lr_t = base / (1 + decayRate · p), with
 * p = t / decaySteps, or ⌊t / decaySteps⌋ when staircase. It is the Robbins–Monro step size
 * (Σ lr = ∞, Σ lr² < ∞) that the SGD convergence proofs for convex problems assume.
 * PyTorch has no such scheduler, so the tests check it against this formula.
 * @example const f = mn.optim.lrScheduler.inverseTimeDecay({ decaySteps: 10, decayRate: 1 }); f(10, 0.1); // 0.05
 */
export function inverseTimeDecay(options: Omit<InverseTimeLROptions, "lastEpoch">): Schedule {
  const o = scheduleOptions("InverseTimeLR", options, INVERSE_TIME_LR_OPTIONS);
  return (t, base) => {
    const p = o.staircase ? Math.floor(t / o.decaySteps) : t / o.decaySteps;
    return base / (1 + o.decayRate * p);
  };
}

/**
 * Decays each group's lr as 1/t; see {@link inverseTimeDecay}.
 * @example const sched = new mn.optim.lrScheduler.InverseTimeLR(opt, { decaySteps: 100, decayRate: 0.5 });
 */
export class InverseTimeLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: InverseTimeLROptions) {
    super(optimizer, inverseTimeDecay(options), options);
  }
}
