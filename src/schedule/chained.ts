import { OptionError } from "../errors.js";
import { show } from "../options.js";
import { SchedulerContainer } from "./container.js";
import { LRScheduler } from "./scheduler.js";

/**
 * Applies several schedules at once (torch.optim.lr_scheduler.ChainedScheduler): each schedule's
 * closed form is applied to the lr the previous one gives, lr_t = f_n(t, … f_2(t, f_1(t, base))).
 * For the multiplicative schedules (Step, MultiStep, Exponential, Constant, Linear, Polynomial,
 * Lambda, Multiplicative, CosineAnnealing with etaMin 0 up to tMax) that is PyTorch's product of
 * factors; CyclicLR and OneCycleLR set the lr outright, as in PyTorch. Where PyTorch's recursive
 * forms depend on the path (CosineAnnealing past tMax inside a chain) this closed form differs,
 * and a resumed run always equals an uninterrupted one. A part may be ReduceLROnPlateau: step(metric)
 * forwards the metric, and its cuts multiply in.
 * @example const sched = new mn.optim.lrScheduler.ChainedScheduler([
 *   new mn.optim.lrScheduler.ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new mn.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 })]);
 */
export class ChainedScheduler extends SchedulerContainer {
  constructor(schedulers: readonly LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0 || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw new OptionError({ where: "ChainedScheduler", what: "invalid schedulers", expected: "a non-empty list of schedulers", got: show(schedulers) });
    }
    schedulers.forEach((s, i) => {
      if (s.optimizer !== schedulers[0]!.optimizer) throw new OptionError({ where: "ChainedScheduler", what: `scheduler ${i} belongs to another optimizer than scheduler 0` });
    });
    super(schedulers[0]!.optimizer, schedulers);
    this.start();
  }

  override lrFrom(step: number, bases: readonly number[]): number[] {
    return this.schedulers.reduce((lrs, s) => s.lrFrom(step, lrs), bases as number[]);
  }

  /** The shortest part's. */
  override get totalSteps(): number | null {
    const finite = this.schedulers.map((s) => s.totalSteps).filter((n): n is number => n !== null);
    return finite.length ? finite.reduce((a, b) => Math.min(a, b)) : null;
  }

  override advance(step: number, metric?: number): void {
    for (const s of this.schedulers) s.advance(step, metric);
    super.advance(step);
  }}
