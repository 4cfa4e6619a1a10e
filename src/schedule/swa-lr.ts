import { atLeast, choice, nonNegativeInt, option, required, type OptionsOf } from "../options.js";
import { LRScheduler, perGroup, scheduleOptions, type LROptimizer, type PerGroup, type Schedule, type SchedulerOptions } from "./scheduler.js";

const SWA_LR_OPTIONS = {
  /** The constant lr of the averaging phase, one for every group or one per group (required). */
  swaLr: required<number>(atLeast(0)),
  /** Steps of the anneal from the current lr to swaLr (default 10; 0 switches at once). */
  annealEpochs: option(10, nonNegativeInt),
  /** "cos" (default) or "linear". */
  annealStrategy: choice("cos", "linear"),
};

/** SWALR's options. */
export interface SWALROptions extends SchedulerOptions, PerGroup<OptionsOf<typeof SWA_LR_OPTIONS>, "swaLr"> {}

/**
 * The SWA learning rate (Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima";
 * torch.optim.swa_utils.SWALR): with p = min(1, t / annealEpochs) and α = (1 − cos πp)/2 ("cos") or p,
 *   lr_t = α · swaLr + (1 − α) · base,
 * where base is the lr when SWA starts. PyTorch recovers base from the current lr at every step;
 * the closed form agrees with it to 1e-15 and cannot drift.
 * @example const f = mn.optim.lrScheduler.swaSchedule({ swaLr: 0.05, annealEpochs: 10 }); f(10, 0.1); // 0.05
 */
export function swaSchedule(options: OptionsOf<typeof SWA_LR_OPTIONS>): Schedule {
  const o = scheduleOptions("SWALR", options, SWA_LR_OPTIONS);
  return (t, base) => {
    const p = o.annealEpochs === 0 ? 1 : Math.max(0, Math.min(1, t / o.annealEpochs));
    const alpha = o.annealStrategy === "cos" ? (1 - Math.cos(Math.PI * p)) / 2 : p;
    return o.swaLr * alpha + base * (1 - alpha);
  };
}

/**
 * Anneals each group's lr from its current value to swaLr and holds it there; see {@link swaSchedule}.
 * Unlike other schedules its base lrs are the lrs when it is built (SWA starts late in training).
 * @example const swaSched = new mn.optim.lrScheduler.SWALR(opt, { swaLr: 0.05, annealEpochs: 5 });
 */
export class SWALR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: SWALROptions) {
    const fns = perGroup("SWALR", "swaLr", options.swaLr, optimizer).map((swaLr) => swaSchedule({ ...options, swaLr }));
    super(optimizer, fns, { ...options, baseLrs: optimizer.paramGroups.map((g) => g.lr) });
  }
}
