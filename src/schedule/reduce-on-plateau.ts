import { StateDictError } from "../errors.js";
import { atLeast, checkOptions, choice, inRange, nonNegativeInt, option, type OptionsOf } from "../options.js";
import { LRScheduler, needMetric, perGroup, type LROptimizer, type SchedulerStateDict } from "./scheduler.js";

const REDUCE_LR_ON_PLATEAU_OPTIONS = {
  /** "min" (default): a lower metric is better (a loss); "max": higher is better (an accuracy). */
  mode: choice("min", "max"),
  /** Multiply the lr by this on a plateau, in [0, 1) (default 0.1). */
  factor: option(0.1, inRange(0, 1)),
  /** Steps without improvement tolerated before a cut (default 10). */
  patience: option(10, nonNegativeInt),
  /** Smallest change that counts as an improvement (default 1e-4) ... */
  threshold: option(1e-4, atLeast(0)),
  /** ... relative to the best so far ("rel", default: best · (1 ∓ threshold)) or absolute ("abs": best ∓ threshold). */
  thresholdMode: choice("rel", "abs"),
  /** Steps to wait after a cut before counting again (default 0). */
  cooldown: option(0, nonNegativeInt),
  /** Floor of the lr, one for every group or one per group (default 0). */
  minLr: option<number | readonly number[]>(0),
  /** A cut smaller than eps is skipped (default 1e-8). */
  eps: option(1e-8, atLeast(0)),
};

/** ReduceLROnPlateau's options. */
export interface ReduceLROnPlateauOptions extends OptionsOf<typeof REDUCE_LR_ON_PLATEAU_OPTIONS> {}

/**
 * Cuts the lr by `factor` when the monitored metric has not improved for `patience` steps
 * (torch.optim.lr_scheduler.ReduceLROnPlateau): new lr = max(lr · factor, minLr), applied when the
 * cut exceeds eps. Its step(metric) takes the value; its state (best, counters, lrs) is in the state dict.
 * Alone it cuts the optimizer's current lr, as PyTorch's does. Inside SequentialLR or ChainedScheduler
 * (which PyTorch does not allow) it cuts its own lr, which starts at the base lr, and the container
 * forwards step(metric) to it.
 * @example const sched = new mn.optim.lrScheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 3 });
 * for (let epoch = 0; epoch < 50; epoch++) { train(); sched.step(validationLoss()); }
 */
export class ReduceLROnPlateau extends LRScheduler {
  private readonly o: Required<Omit<ReduceLROnPlateauOptions, "minLr">>;
  private readonly minLrs: number[];
  /** Its own lr per group: alone it follows the optimizer's, inside a container it is the segment's. */
  private lrs: number[];
  private best: number | null = null; // null: nothing seen yet (torch's ±inf, which JSON cannot hold)
  private numBadEpochs = 0;
  private cooldownCounter = 0;

  constructor(optimizer: LROptimizer, options: ReduceLROnPlateauOptions = {}) {
    const { minLr, ...o } = checkOptions("ReduceLROnPlateau", options, REDUCE_LR_ON_PLATEAU_OPTIONS);
    super(optimizer, null);
    this.o = o;
    this.minLrs = perGroup("ReduceLROnPlateau", "minLr", minLr, optimizer);
    this.lrs = [...this.baseLrs];
    this.lastEpoch = 0;
  }

  /** It steps on an epoch's metric. */
  override get interval(): "epoch" {
    return "epoch";
  }

  private isBetter(a: number): boolean {
    const { mode, threshold: th, thresholdMode } = this.o;
    const best = this.best ?? (mode === "min" ? Infinity : -Infinity);
    if (mode === "min") return thresholdMode === "rel" ? a < best * (1 - th) : a < best - th;
    return thresholdMode === "rel" ? a > best * (th + 1) : a > best + th;
  }

  override lrFrom(_step: number, bases: readonly number[]): number[] {
    return this.lrs.map((lr, g) => (bases[g] === this.baseLrs[g] ? lr : bases[g]! * (lr / this.baseLrs[g]!)));
  }

  override advance(step: number, metric?: number): void {
    const current = needMetric("ReduceLROnPlateau", metric);
    if (this.isBetter(current)) { this.best = current; this.numBadEpochs = 0; } else this.numBadEpochs += 1;
    if (this.cooldownCounter > 0) { this.cooldownCounter -= 1; this.numBadEpochs = 0; } // bad steps in cooldown do not count
    if (this.numBadEpochs > this.o.patience) {
      this.lrs = this.lrs.map((old, g) => { const lr = Math.max(old * this.o.factor, this.minLrs[g]!); return old - lr > this.o.eps ? lr : old; });
      this.cooldownCounter = this.o.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastEpoch = step;
    this.lastLr = [...this.lrs];
  }

  /** Feeds the monitored value (a validation loss, or an accuracy in "max" mode) and cuts the lr if it has stalled. */
  override step(metric?: number): void {
    this.lrs = this.optimizer.paramGroups.map((g) => g.lr);
    this.advance(this.lastEpoch + 1, metric);
    this.write();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lrs: [...this.lrs], best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    const { lrs, best, numBadEpochs: bad, cooldownCounter: cool } = sd;
    const where = "ReduceLROnPlateau.loadStateDict";
    if (!Array.isArray(lrs) || lrs.length !== this.lrs.length || (best !== null && typeof best !== "number") || !Number.isInteger(bad) || !Number.isInteger(cool)) {
      throw new StateDictError({ where, what: "not a ReduceLROnPlateau state dict", expected: "{ lastEpoch, baseLrs, lastLr, lrs, best, numBadEpochs, cooldownCounter }" });
    }
    super.loadStateDict(sd);
    [this.lrs, this.best, this.numBadEpochs, this.cooldownCounter] = [[...lrs] as number[], best as number | null, bad as number, cool as number];
  }
}
