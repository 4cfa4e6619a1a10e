import { OptionError } from "../errors.js";
import { anything, checkOptions, required, type Check, type OptionsOf } from "../options.js";
import { SchedulerContainer } from "./container.js";
import { LRScheduler, type LROptimizer } from "./scheduler.js";

const schedulerList: Check = (v) => (Array.isArray(v) && v.length > 0 && v.every((s) => s instanceof LRScheduler) ? null : "a non-empty list of schedulers");

/** Increasing positive integers, one fewer than n schedulers. */
const increasing = (n: number): Check => (v) => (Array.isArray(v) && v.length === n - 1 && v.every((m, i) => Number.isInteger(m) && m > (i ? v[i - 1] : 0))
  ? null : `${n - 1} increasing positive integer${n === 2 ? "" : "s"} (one fewer than schedulers)`);

const SEQUENTIAL_LR_OPTIONS = {
  /** The schedules, in order, all built on this optimizer (required). */
  schedulers: required<readonly LRScheduler[]>(schedulerList),
  /** The steps at which each next schedule takes over, increasing, one fewer than schedulers (required). */
  milestones: required<readonly number[]>(), // checked by the constructor, which knows how many schedulers there are
};

/** SequentialLR's options. */
export interface SequentialLROptions extends OptionsOf<typeof SEQUENTIAL_LR_OPTIONS> {}

/**
 * Runs schedules one after another (torch.optim.lr_scheduler.SequentialLR; Optax's join_schedules):
 * with milestones m₁ < m₂ < …, step t uses schedule i = #{m ≤ t}, restarted at its own step t − m_i,
 * so each segment starts from the base lr: lr_t = schedule_i.lrAt(t − m_i).
 * Beyond PyTorch: a segment may be ReduceLROnPlateau (step(metric) feeds it while it is active), and
 * a state dict restores the exact lr at any step, also mid-segment (PyTorch issues #68978, #110761, #162591).
 * @example const warmup = new mn.optim.lrScheduler.LinearLR(opt, { startFactor: 0.01, totalIters: 500 });
 * const cosine = new mn.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 9500 });
 * const sched = new mn.optim.lrScheduler.SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [500] });
 */
export class SequentialLR extends SchedulerContainer {
  readonly milestones: readonly number[];

  constructor(optimizer: LROptimizer, options: SequentialLROptions) {
    // The milestones are checked against the schedulers; without those, schedulers' own error is the one to report.
    const n = Array.isArray(options?.schedulers) ? options.schedulers.length : 0;
    const o = checkOptions("SequentialLR", options, { ...SEQUENTIAL_LR_OPTIONS, milestones: required<readonly number[]>(n > 0 ? increasing(n) : anything) });
    o.schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) throw new OptionError({ where: "SequentialLR", what: `scheduler ${i} belongs to another optimizer` });
    });
    super(optimizer, o.schedulers);
    this.milestones = [...o.milestones];
    this.start();
  }

  /** The first step at which a segment runs past its schedule's totalSteps, or null when none does. */
  override get totalSteps(): number | null {
    let first: number | null = null;
    this.schedulers.forEach((s, i) => {
      const from = i ? this.milestones[i - 1]! : 0, to = this.milestones[i] ?? Infinity, own = s.totalSteps;
      if (own !== null && from + own < to) first = Math.min(first ?? Infinity, from + own);
    });
    return first;
  }

  /** The active schedule at step t and its own step there. */
  private segment(t: number): [LRScheduler, number] {
    const i = this.milestones.filter((m) => m <= t).length;
    return [this.schedulers[i]!, i ? t - this.milestones[i - 1]! : t];
  }

  override lrFrom(step: number, bases: readonly number[]): number[] {
    const [s, local] = this.segment(step);
    return s.lrFrom(local, bases);
  }

  override advance(step: number, metric?: number): void {
    const [s, local] = this.segment(step);
    s.advance(local, metric);
    super.advance(step);
  }}
