import { MinimaError, OptionError, StateDictError } from "../errors.js";
import { checkOptions, option, show, type Check, type OptionSpec, type OptionsOf, type Resolved } from "../options.js";

/** A schedule in closed form (Optax style): the lr at `step` of a group whose schedule starts from `baseLr`. */
export type Schedule = (step: number, baseLr: number) => number;

/** What a scheduler needs of an optimizer: param groups with a writable lr (every mn.optim optimizer). */
export interface LROptimizer {
  readonly paramGroups: { lr: number }[];
}

/** The JSON form of a scheduler's state. Containers add `schedulers`, ReduceLROnPlateau its counters. */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  [key: string]: unknown;
}

const lastEpochCheck: Check = (v) => (Number.isInteger(v) && (v as number) >= -1 ? null : "an integer ≥ -1");

const SCHEDULER_OPTIONS = {
  /** Resumes the schedule at this step, as torch's last_epoch (default −1: a fresh start). */
  lastEpoch: option(-1, lastEpochCheck),
};

/** The options every schedule class takes. */
export interface SchedulerOptions extends OptionsOf<typeof SCHEDULER_OPTIONS> {}

/** checkOptions for a schedule: its own options, then lastEpoch. */
export function scheduleOptions<S extends OptionSpec>(where: string, given: object | undefined, spec: S): Resolved<S & typeof SCHEDULER_OPTIONS> {
  return checkOptions(where, given, { ...spec, ...SCHEDULER_OPTIONS });
}

/** Options whose keys K a schedule class takes once for every param group, or as a list with one per group. */
export type PerGroup<O, K extends keyof O> = Omit<O, K> & { [P in K]: O[P] | readonly Exclude<O[P], undefined>[] };

/** A per-group option given as one number for every group or one per group (torch's _format_param). */
export function perGroup(where: string, name: string, value: number | readonly number[], optimizer: LROptimizer): number[] {
  const n = optimizer.paramGroups.length;
  if (!Array.isArray(value)) return Array.from({ length: n }, () => value as number);
  if (value.length !== n) throw new OptionError({ where, what: `invalid ${name}`, expected: `a number or one per param group (${n})`, got: show(value) });
  return [...value];
}

const initialLrOf = (group: object): number | undefined => (group as { initialLr?: number }).initialLr;
const setInitialLr = (group: object, lr: number) => Object.defineProperty(group, "initialLr", { value: lr, writable: true, configurable: true, enumerable: false });

/** Multiplies the initialLr a scheduler recorded on each group (see LRScheduler), so that schedulers built later start from the scaled lr. */
export function scaleInitialLrs(optimizer: LROptimizer, factor: number): void {
  for (const g of optimizer.paramGroups) {
    const initial = initialLrOf(g);
    if (initial !== undefined) setInitialLr(g, initial * factor);
  }
}

/**
 * The base of every learning-rate scheduler (torch.optim.lr_scheduler.LRScheduler). A subclass
 * hands it one closed-form Schedule (or one per group); the base owns the step count, the base
 * lrs, writing `group.lr`, and the state dict. Because the lr is a function of the step, a
 * scheduler restored from a state dict continues exactly where it stopped.
 *
 * The first scheduler built on an optimizer records each group's lr as `group.initialLr` (torch's
 * initial_lr); later ones read it, so schedulers built one after another share their base lrs. It
 * is not enumerable, so it stays out of the optimizer's state dict (whose keys are options).
 * @example const sched = new mn.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100 });
 * for (let step = 0; step < 100; step++) { train(); sched.step(); }
 * const curve = Array.from({ length: 100 }, (_, k) => sched.lrAt(k)[0]); // for a plot
 * const saved = JSON.stringify(sched.stateDict()); // later: sched.loadStateDict(JSON.parse(saved))
 */
export class LRScheduler {
  readonly optimizer: LROptimizer;
  /** Each group's lr at step 0 of the schedule (torch's base_lrs). */
  baseLrs: number[];
  /** Steps taken. −1 before the constructor's initial step, which makes it 0, as in torch. */
  lastEpoch: number;
  protected lastLr: number[];
  private readonly schedules: Schedule[];

  /** `schedule` null: a subclass that computes lrs itself (containers, ReduceLROnPlateau) and positions itself. */
  constructor(optimizer: LROptimizer, schedule: Schedule | readonly Schedule[] | null,
    options: SchedulerOptions & { baseLrs?: readonly number[] } = {}) {
    const where = new.target.name;
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) throw new OptionError({ where, what: "the first argument is not an optimizer" });
    const groups = optimizer.paramGroups;
    const lastEpoch = options.lastEpoch ?? -1;
    if (lastEpoch === -1) {
      for (const g of groups) {
        if (initialLrOf(g) === undefined) setInitialLr(g, g.lr);
      }
    } else if (!options.baseLrs) {
      groups.forEach((g, i) => {
        if (initialLrOf(g) === undefined) throw new OptionError({ where, what: `lastEpoch ${lastEpoch} resumes a schedule, but param group ${i} has no initialLr (restore with loadStateDict instead)` });
      });
    }
    this.optimizer = optimizer;
    this.baseLrs = options.baseLrs ? [...options.baseLrs] : groups.map((g) => initialLrOf(g)!);
    this.schedules = typeof schedule === "function" ? groups.map(() => schedule) : [...(schedule ?? [])];
    this.lastEpoch = lastEpoch;
    this.lastLr = groups.map((g) => g.lr);
    if (schedule) this.step();
  }

  /**
   * When fit() steps this scheduler: "step" when its lengths count optimizer steps (OneCycleLR, CyclicLR,
   * InverseSqrtLR, and containers holding one), "epoch" when it needs an epoch's metric (ReduceLROnPlateau),
   * null when the unit is the caller's choice (fit: per epoch, as in PyTorch recipes).
   */
  get interval(): "step" | "epoch" | null {
    return null;
  }

  /** The steps the schedule is defined for (stepping past them fails: OneCycleLR's totalSteps), or null when it goes on forever. */
  get totalSteps(): number | null {
    return null;
  }

  /** The lr of every group at `step` (pure: for plots; the lr in effect after `step` calls to step()). */
  lrAt(step: number): number[] {
    if (!Number.isInteger(step) || step < 0) throw new OptionError({ where: `${this.constructor.name}.lrAt`, what: "invalid step", expected: "a non-negative integer", got: show(step) });
    return this.lrFrom(step, this.baseLrs);
  }

  /** @internal The lrs at `step` when the schedule starts from `bases` (containers compose through this). */
  lrFrom(step: number, bases: readonly number[]): number[] {
    return this.schedules.map((f, g) => f(step, bases[g]!));
  }

  /** @internal Moves the scheduler's own state to `step` without touching the optimizer. */
  advance(step: number, _metric?: number): void {
    this.lastLr = this.lrAt(step);
    this.lastEpoch = step;
  }

  /** Advances one step and sets every group's lr; a container passes `metric` on to any ReduceLROnPlateau inside it. */
  step(metric?: number): void {
    this.advance(this.lastEpoch + 1, metric);
    this.write();
  }

  /**
   * Multiplies the base lrs by `factor`, and the groups' initialLr with them: the schedule goes on
   * from a cut lr (DivergenceGuard's rollback). A container's parts keep theirs, since the container
   * hands its own base lrs down (lrFrom). The groups' current lr is the caller's to scale.
   */
  scaleBaseLrs(factor: number): void {
    for (let i = 0; i < this.baseLrs.length; i++) this.baseLrs[i]! *= factor;
    scaleInitialLrs(this.optimizer, factor);
  }

  /** The lrs this scheduler set last, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** A JSON-serializable copy of the state (functions such as lrLambda are not saved: rebuild them). */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /** Restores a state from stateDict() and sets the optimizer's lrs to the ones saved. */
  loadStateDict(sd: SchedulerStateDict): void {
    const where = `${this.constructor.name}.loadStateDict`;
    const n = this.optimizer.paramGroups.length;
    if (!sd || typeof sd !== "object" || !Number.isInteger(sd.lastEpoch)) throw new StateDictError({ where, what: "not a scheduler state dict", expected: "{ lastEpoch, baseLrs, lastLr }" });
    for (const key of ["baseLrs", "lastLr"] as const) {
      const v = sd[key];
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === "number")) {
        throw new StateDictError({ where, what: `${key} must hold one number per param group (${n})`, got: show(v) });
      }
    }
    this.lastEpoch = sd.lastEpoch;
    this.baseLrs = [...sd.baseLrs];
    this.lastLr = [...sd.lastLr];
    this.write();
  }

  protected write(): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = this.lastLr[i]!));
  }
}

/** Fails with a named error when a step needs a metric that was not given. */
export function needMetric(where: string, metric: unknown): number {
  if (typeof metric !== "number") throw new MinimaError({ where, what: "step needs the monitored value, as step(metric)", got: show(metric) });
  return metric;
}
