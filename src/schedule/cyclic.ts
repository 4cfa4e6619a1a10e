import { above, atLeast, choice, option, orNull, required, type Check, type OptionsOf } from "../options.js";
import { noMomentumCycling } from "./one-cycle.js";
import { LRScheduler, perGroup, scheduleOptions, type LROptimizer, type PerGroup, type Schedule, type SchedulerOptions } from "./scheduler.js";

const fnOrNull: Check = (v) => (v === null || typeof v === "function" ? null : "a function or null");

const CYCLIC_LR_OPTIONS = {
  /** Lower bound of the cycle, one for every group or one per group (required). */
  baseLr: required<number>(atLeast(0)),
  /** Upper bound of the cycle (required), likewise. */
  maxLr: required<number>(atLeast(0)),
  /** Steps of the rising half (default 2000). */
  stepSizeUp: option(2000, above(0)),
  /** Steps of the falling half (default: stepSizeUp). */
  stepSizeDown: option<number | null>(null, orNull(above(0))),
  /** "triangular" (default), "triangular2" (amplitude halves each cycle) or "exp_range" (× gamma^t). */
  mode: choice("triangular", "triangular2", "exp_range"),
  /** exp_range's factor per step (default 1). */
  gamma: option(1, atLeast(0)),
  /** A custom amplitude scale, replacing mode (default null). */
  scaleFn: option<((x: number) => number) | null>(null, fnOrNull),
  /** What scaleFn is given: the cycle number ("cycle", default) or the step ("iterations"). */
  scaleMode: choice("cycle", "iterations"),
  /** Momentum cycling is not implemented: only false is accepted (PyTorch's default is true). */
  cycleMomentum: option<false>(false, noMomentumCycling),
};

/** CyclicLR's options. */
export interface CyclicLROptions extends SchedulerOptions, PerGroup<OptionsOf<typeof CYCLIC_LR_OPTIONS>, "baseLr" | "maxLr"> {}

/**
 * Cyclical learning rates (Smith 2017, "Cyclical Learning Rates for Training Neural Networks";
 * torch.optim.lr_scheduler.CyclicLR): with cycle c = ⌊1 + t/(up + down)⌋ and x = 1 + t/(up + down) − c,
 * the height is x/r rising or (x − 1)/(r − 1) falling (r = up/(up + down)), and
 * lr_t = baseLr + (maxLr − baseLr) · height · scale, scale = 1, 1/2^(c−1) or γ^t by mode.
 * @example const f = mn.optim.lrScheduler.cyclic({ baseLr: 0.001, maxLr: 0.1, stepSizeUp: 10 }); f(10, 0); // 0.1
 */
export function cyclic(options: OptionsOf<typeof CYCLIC_LR_OPTIONS>): Schedule {
  const o = scheduleOptions("CyclicLR", options, CYCLIC_LR_OPTIONS);
  const size = o.stepSizeUp + (o.stepSizeDown ?? o.stepSizeUp), ratio = o.stepSizeUp / size;
  // As in torch, a built-in mode fixes what the scale sees; scaleMode applies to a custom scaleFn only.
  const scale = o.scaleFn ?? (o.mode === "triangular" ? () => 1 : o.mode === "triangular2" ? (c: number) => 1 / 2 ** (c - 1) : (t: number) => o.gamma ** t);
  const byStep = o.scaleFn ? o.scaleMode === "iterations" : o.mode === "exp_range";
  return (t) => {
    const cycle = Math.floor(1 + t / size), x = 1 + t / size - cycle;
    const height = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    return o.baseLr + (o.maxLr - o.baseLr) * height * scale(byStep ? t : cycle);
  };
}

/**
 * Cycles each group's lr between baseLr and maxLr; see {@link cyclic}. Its base lrs are baseLr.
 * @example const sched = new mn.optim.lrScheduler.CyclicLR(opt, { baseLr: 1e-3, maxLr: 0.1, stepSizeUp: 500 });
 */
export class CyclicLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: CyclicLROptions) {
    const lows = perGroup("CyclicLR", "baseLr", options.baseLr, optimizer), highs = perGroup("CyclicLR", "maxLr", options.maxLr, optimizer);
    super(optimizer, lows.map((baseLr, g) => cyclic({ ...options, baseLr, maxLr: highs[g]! })), { ...options, baseLrs: lows });
  }

  /** Its stepSizeUp and stepSizeDown count optimizer steps. */
  override get interval(): "step" {
    return "step";
  }
}
