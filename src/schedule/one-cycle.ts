import { MinimaError, OptionError } from "../errors.js";
import { above, choice, isBoolean, option, optional, positiveInt, required, unitInterval, type Check, type OptionsOf } from "../options.js";
import { LRScheduler, perGroup, scheduleOptions, type LROptimizer, type PerGroup, type Schedule, type SchedulerOptions } from "./scheduler.js";

export const noMomentumCycling: Check = (v) => (v === false ? null : "false (momentum cycling is not implemented; set the optimizer's momentum yourself)");

const ONE_CYCLE_LR_OPTIONS = {
  /** Peak lr, one for every group or one per group (required). */
  maxLr: required<number>(above(0)),
  /** Length of the cycle in steps; or give epochs and stepsPerEpoch. */
  totalSteps: optional<number>(positiveInt),
  /** Epochs of the cycle, with stepsPerEpoch: totalSteps = epochs · stepsPerEpoch. */
  epochs: optional<number>(positiveInt),
  /** Steps per epoch, with epochs. */
  stepsPerEpoch: optional<number>(positiveInt),
  /** Fraction of the cycle spent rising (default 0.3). */
  pctStart: option(0.3, unitInterval),
  /** "cos" (default) or "linear" interpolation within a phase. */
  annealStrategy: choice("cos", "linear"),
  /** The lr starts at maxLr / divFactor (default 25) ... */
  divFactor: option(25, above(0)),
  /** ... and ends at maxLr / divFactor / finalDivFactor (default 1e4). */
  finalDivFactor: option(1e4, above(0)),
  /** Fall back to the start lr before the final decay, as fast.ai's first version (default false). */
  threePhase: option(false, isBoolean),
  /** Momentum cycling is not implemented: only false is accepted (PyTorch's default is true). */
  cycleMomentum: option<false>(false, noMomentumCycling),
};

/** OneCycleLR's options. */
export interface OneCycleLROptions extends SchedulerOptions, PerGroup<OptionsOf<typeof ONE_CYCLE_LR_OPTIONS>, "maxLr"> {}

/**
 * The 1cycle policy (Smith & Topin 2018, "Super-Convergence"; torch.optim.lr_scheduler.OneCycleLR):
 * from maxLr/divFactor up to maxLr over pctStart·T steps, then down to maxLr/divFactor/finalDivFactor
 * at step T − 1; threePhase goes back to the start lr at 2·pctStart·T first. Each phase interpolates
 * with ½(1 + cos πp) ("cos") or linearly in p, the fraction of the phase done. Stepping past T fails.
 * @example const f = mn.optim.lrScheduler.oneCycle({ maxLr: 0.1, totalSteps: 100 }); f(29, 0); // 0.1 (the peak)
 */
export function oneCycle(options: OptionsOf<typeof ONE_CYCLE_LR_OPTIONS>): Schedule {
  const o = scheduleOptions("OneCycleLR", options, ONE_CYCLE_LR_OPTIONS);
  const total = o.totalSteps ?? (o.epochs !== undefined && o.stepsPerEpoch !== undefined ? o.epochs * o.stepsPerEpoch : undefined);
  // Required in one of two forms, so checkOptions cannot say it alone.
  if (total === undefined) throw new OptionError({ where: "OneCycleLR", what: "missing option totalSteps", expected: "totalSteps, or epochs and stepsPerEpoch" });
  const initial = o.maxLr / o.divFactor, min = initial / o.finalDivFactor, up = o.pctStart * total - 1;
  const phases: [end: number, from: number, to: number][] = o.threePhase
    ? [[up, initial, o.maxLr], [2 * o.pctStart * total - 2, o.maxLr, initial], [total - 1, initial, min]]
    : [[up, initial, o.maxLr], [total - 1, o.maxLr, min]];
  const anneal = o.annealStrategy === "cos"
    ? (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1)
    : (a: number, b: number, p: number) => (b - a) * p + a;
  return (t) => {
    if (t > total) throw new MinimaError({ where: "OneCycleLR", what: `tried to step ${t + 1} times, but totalSteps is ${total}` });
    let start = 0, i = 0;
    for (; i < phases.length - 1 && t > phases[i]![0]; i++) start = phases[i]![0];
    const [end, a, b] = phases[i]!;
    return anneal(a, b, (t - start) / (end - start));
  };
}

/**
 * Sets each group's lr by the 1cycle policy; see {@link oneCycle}. Its base lrs are maxLr/divFactor.
 * @example const sched = new mn.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 });
 */
export class OneCycleLR extends LRScheduler {
  private readonly total: number;

  constructor(optimizer: LROptimizer, options: OneCycleLROptions) {
    const fns = perGroup("OneCycleLR", "maxLr", options.maxLr, optimizer).map((maxLr) => oneCycle({ ...options, maxLr }));
    super(optimizer, fns, { ...options, baseLrs: fns.map((f) => f(0, 0)) });
    this.total = options.totalSteps ?? options.epochs! * options.stepsPerEpoch!; // oneCycle() checked that one form is given
  }

  /** Its length counts optimizer steps, even when built from epochs and stepsPerEpoch. */
  override get interval(): "step" {
    return "step";
  }

  override get totalSteps(): number {
    return this.total;
  }
}
