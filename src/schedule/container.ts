import { StateDictError } from "../errors.js";
import { LRScheduler, type LROptimizer, type SchedulerStateDict } from "./scheduler.js";

/**
 * A schedule made of other schedules (SequentialLR, ChainedScheduler). Its state dict nests its parts'
 * state dicts, and loading restores the parts before the container, whose lrs are written last.
 */
export abstract class SchedulerContainer extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];

  constructor(optimizer: LROptimizer, schedulers: readonly LRScheduler[]) {
    super(optimizer, null);
    this.schedulers = [...schedulers];
  }

  /** "step" when a part counts steps, else "epoch" when a part needs an epoch's metric, else null. */
  override get interval(): "step" | "epoch" | null {
    const own = this.schedulers.map((s) => s.interval);
    return own.includes("step") ? "step" : own.includes("epoch") ? "epoch" : null;
  }

  /** Takes the initial step: call once the subclass holds all it needs to compute lrAt(0). */
  protected start(): void {
    this.lastEpoch = 0;
    this.lastLr = this.lrAt(0);
    this.write();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    const where = this.constructor.name;
    const saved = sd?.["schedulers"];
    if (!Array.isArray(saved) || saved.length !== this.schedulers.length) {
      throw new StateDictError({ where: `${where}.loadStateDict`, what: `the state dict holds ${Array.isArray(saved) ? saved.length : "no"} schedulers, this ${where} ${this.schedulers.length}` });
    }
    this.schedulers.forEach((s, i) => s.loadStateDict(saved[i] as SchedulerStateDict));
    super.loadStateDict(sd);
  }
}
