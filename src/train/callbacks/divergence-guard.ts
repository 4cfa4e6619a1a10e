import { OptionError } from "../../errors.js";
import { above, checkOptions, choice, inRange, nonNegativeInt, option, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { BatchLog, Callback, FitContext } from "../callback.js";
import type { Checkpoint } from "../checkpoint.js";

const DIVERGENCE_GUARD_OPTIONS = {
  /** What to do when the loss diverges: stop training, or roll back to the last good epoch and cut the lr (default "stop"). */
  action: choice("stop", "rollback"),
  /**
   * The loss explodes when a batch's loss exceeds this many times the run's first loss (the loss of
   * an untrained model), or the smoothed loss this many times its lowest value and the first loss (default 10).
   */
  explodeFactor: option(10, above(1)),
  /** Steps before the smoothed-loss test starts, while the smoothing settles (default 20). */
  warmupSteps: option(20, nonNegativeInt),
  /** rollback: multiply the learning rate by this (default 0.1). */
  lrFactor: option(0.1, inRange(0, 1)),
  /** rollback: after this many rollbacks, stop instead (default 3). */
  maxRollbacks: option(3, nonNegativeInt),
};

/** The options of DivergenceGuard. */
export interface DivergenceGuardOptions extends OptionsOf<typeof DIVERGENCE_GUARD_OPTIONS> {}

const BETA = 0.9; // smoothing of the per-step loss the explode test compares against

/**
 * Watches for a diverging run, the signature of a learning rate too high: a loss that is NaN or
 * infinite, or one that explodes far above the lowest smoothed loss seen and above where it started. It then stops training,
 * or ("rollback") puts back the weights and optimizer state of the last epoch that ended healthy and
 * cuts the learning rate by lrFactor (the scheduler's base lrs too), up to maxRollbacks times.
 * @example new mn.train.callbacks.DivergenceGuard({ action: "rollback", lrFactor: 0.3 })
 */
export class DivergenceGuard implements Callback {
  private readonly o: Required<DivergenceGuardOptions>;
  private smoothed = 0;
  private smoothedSteps = 0;
  private lowest = Infinity;
  private initial: number | null = null;
  private rollbacks = 0;
  private good: { epoch: number; weights: Record<string, Tensor>; optimizer: unknown } | null = null;

  constructor(options: DivergenceGuardOptions = {}) {
    this.o = checkOptions("DivergenceGuard", options, DIVERGENCE_GUARD_OPTIONS);
  }

  /** How many times it rolled back. */
  get rollbackCount(): number {
    return this.rollbacks;
  }

  onTrainBegin(ctx: FitContext): void {
    if (this.o.action !== "rollback") return;
    // A scheduler that sets the lr from base lrs it cannot scale would undo the cut at its next step.
    if (ctx.scheduler && typeof ctx.scheduler.scaleBaseLrs !== "function") {
      throw new OptionError({ where: "DivergenceGuard", what: `action "rollback" cuts the learning rate, but the scheduler (${ctx.scheduler.constructor.name}) has no scaleBaseLrs(factor), so its next step would undo the cut`, expected: "an mn.optim.lrScheduler scheduler, a scheduler with scaleBaseLrs, or action \"stop\"" });
    }
    if (!this.good) this.snapshot(ctx);
  }

  onBatchEnd(ctx: FitContext, log: BatchLog): void {
    const loss = log.loss, k = this.o.explodeFactor;
    if (this.initial === null && Number.isFinite(loss)) this.initial = loss;
    // A single batch may spike above the smoothed loss late in training, so that test smooths first;
    // nothing sane lands 10× above where an untrained model started, so that one needs no smoothing.
    const smoothed = (BETA * this.smoothed + (1 - BETA) * loss) / (1 - BETA ** (this.smoothedSteps + 1));
    const why = !Number.isFinite(loss) ? `loss became ${loss}`
      : loss > k * this.initial! ? `loss exploded to ${loss.toPrecision(4)}, over ${k}× the first loss ${this.initial!.toPrecision(4)}`
        // Near a zero loss (a memorized training set, small batches) one bad batch lifts the smoothed loss
        // 10× its lowest: only a loss also worse than the untrained model's is running away (the diagnosis's rule).
        : this.smoothedSteps >= this.o.warmupSteps && smoothed > k * this.lowest && smoothed > this.initial!
          ? `the smoothed loss rose to ${smoothed.toPrecision(4)}, over ${k}× its lowest ${this.lowest.toPrecision(4)} and above the first loss ${this.initial!.toPrecision(4)}` : null;
    if (why === null) {
      this.smoothed = BETA * this.smoothed + (1 - BETA) * loss;
      this.smoothedSteps++;
      if (this.smoothedSteps >= Math.min(this.o.warmupSteps, 5)) this.lowest = Math.min(this.lowest, smoothed);
      return;
    }
    const where = `at step ${log.step} (epoch ${log.epoch})`;
    if (this.o.action === "stop" || this.rollbacks >= this.o.maxRollbacks || !this.good) {
      const after = this.o.action === "rollback" ? ` after ${this.rollbacks} rollback${this.rollbacks === 1 ? "" : "s"}` : "";
      ctx.stop(`diverged: ${why} ${where}${after}; the learning rate is probably too high`);
      return;
    }
    this.rollbacks++;
    ctx.restoreWeights({ weights: this.good.weights, state: { optimizer: this.good.optimizer } } as unknown as Checkpoint);
    ctx.scaleLearningRate(this.o.lrFactor);
    this.smoothed = 0;
    this.smoothedSteps = 0;
    const to = this.good.epoch === 0 ? "the initial weights" : `the weights of epoch ${this.good.epoch}`;
    ctx.history.events.push({ step: log.step, epoch: log.epoch, message: `divergence guard: ${why} ${where}; rolled back to ${to} and cut the learning rate to ${ctx.optimizer.paramGroups[0]!.lr.toPrecision(3)}` });
  }

  onEpochEnd(ctx: FitContext): void {
    if (this.o.action === "rollback" && !ctx.stopped) this.snapshot(ctx);
  }

  private snapshot(ctx: FitContext): void {
    this.good = {
      epoch: ctx.epoch,
      weights: ctx.model.copyStateDict(),
      optimizer: ctx.optimizer.stateDict(),
    };
  }

  stateDict(): unknown {
    return { smoothed: this.smoothed, smoothedSteps: this.smoothedSteps, lowest: this.lowest, initial: this.initial, rollbacks: this.rollbacks, good: this.good };
  }

  loadStateDict(state: unknown): void {
    Object.assign(this, state as object);
  }
}
