import { atLeast, option, positiveInt, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type Schedule, type SchedulerOptions } from "./scheduler.js";

const INVERSE_SQRT_LR_OPTIONS = {
  /** Steps of linear warmup, after which the lr peaks at base (default 4000, as fairseq and the Transformer paper). */
  warmupSteps: option(4000, positiveInt),
  /** The lr at step 0, an absolute value (default 0, fairseq's --warmup-init-lr). */
  warmupInitLr: option(0, atLeast(0)),
};

/** InverseSqrtLR's options. */
export interface InverseSqrtLROptions extends SchedulerOptions, OptionsOf<typeof INVERSE_SQRT_LR_OPTIONS> {}

/**
 * Inverse-square-root decay with linear warmup, as fairseq's `inverse_sqrt` scheduler computes it
 * (fairseq/optim/lr_scheduler/inverse_square_root_schedule.py), with W = warmupSteps, w₀ = warmupInitLr:
 *   lr_t = w₀ + (base − w₀) · t / W      for t < W
 *   lr_t = base · √W / √t                 for t ≥ W      (= base · min(1, √(W/t)))
 * With w₀ = 0 this is "Attention Is All You Need" (Vaswani et al. 2017, eq. 3),
 * d^−0.5 · min(t^−0.5, t · W^−1.5), rescaled to peak at base; with w₀ = base it is T5's
 * 1/√max(t, W) (Raffel et al. 2020), rescaled the same way.
 * @example const f = mn.optim.lrScheduler.inverseSqrtDecay({ warmupSteps: 100 }); f(400, 1e-3); // 5e-4
 */
export function inverseSqrtDecay(options: Omit<InverseSqrtLROptions, "lastEpoch"> = {}): Schedule {
  const o = scheduleOptions("InverseSqrtLR", options, INVERSE_SQRT_LR_OPTIONS);
  const w = o.warmupSteps;
  return (t, base) => (t < w ? o.warmupInitLr + ((base - o.warmupInitLr) * t) / w : base * Math.sqrt(w) / Math.sqrt(t));
}

/**
 * Linear warmup, then decay as 1/√t; see {@link inverseSqrtDecay}.
 * @example const sched = new mn.optim.lrScheduler.InverseSqrtLR(opt, { warmupSteps: 4000 });
 */
export class InverseSqrtLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: InverseSqrtLROptions = {}) {
    super(optimizer, inverseSqrtDecay(options), options);
  }

  /** Its warmupSteps counts optimizer steps. */
  override get interval(): "step" {
    return "step";
  }
}
