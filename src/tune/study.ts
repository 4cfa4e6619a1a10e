import { LeaseLostError, OptionError, StudyError } from "../errors.js";
import { ATTR, OPTUNA_ATTR } from "./attrs.js";
import { checkCompatible, toInternal, type Distribution, type ParamValue } from "./distributions.js";
import type { FrozenTrial } from "./frozen-trial.js";
import { InMemoryStorage } from "./in-memory-storage.js";
import { NopPruner, type Pruner } from "./pruner.js";
import type { Sampler } from "./sampler.js";
import { RandomSampler } from "./samplers/random-sampler.js";
import type { Lease, Storage } from "./storage.js";
import { Trial } from "./trial.js";
import { SearchExhausted, TrialPruned } from "./trial-pruned.js";
import { TRIAL_STATES, isFinished, type Direction, type TrialState } from "./trial-state.js";
import { newWorkerId } from "./worker-id.js";

export interface CreateStudyOptions {
  /** Where the study lives. Default: in memory. The Node entry also takes a journal path, sqlite:///… or postgresql://…. */
  storage?: Storage;
  /** Default: "no-name-<uuid>", as Optuna. */
  studyName?: string;
  /** Default "minimize". */
  direction?: Direction;
  /** Default: RandomSampler. */
  sampler?: Sampler;
  /** Default: no pruning. */
  pruner?: Pruner;
  /** Load the study if one of that name exists, instead of refusing. Default false. */
  loadIfExists?: boolean;
  /** Where warnings go (a value outside its range, a step reported twice, a NaN objective). Default console.warn. */
  onWarning?: (message: string) => void;
}

export interface LoadStudyOptions {
  storage: Storage;
  studyName: string;
  sampler?: Sampler;
  pruner?: Pruner;
  onWarning?: (message: string) => void;
}

/** What an objective returns: the value, or (async) a promise of it. */
export type Objective = (trial: Trial) => number;
export type AsyncObjective = (trial: Trial) => number | Promise<number>;

export interface OptimizeOptions {
  /** Stop after this many trials of this call. Default: until timeout or stop(). */
  nTrials?: number;
  /** Stop starting trials after this many seconds. */
  timeout?: number;
  /** Error classes that fail a trial without stopping the search (Optuna's catch). Default none: the error is thrown after the trial is marked FAIL. */
  catch?: readonly (abstract new (...args: never[]) => Error)[];
  /** Called after each trial with its final state. */
  callbacks?: readonly ((study: Study, trial: FrozenTrial) => void)[];
}

/** How a trial ended when told without a number: a state, or a state and a value. */
export type TellResult = number | TrialState | { state?: TrialState; value?: number | null };

/**
 * A search: a named set of trials in a storage, a direction, a sampler and a pruner. Optuna's Study,
 * synchronous because minima's fit is: ask → suggest → report/shouldPrune → tell, or optimize().
 */
export class Study {
  readonly workerId = newWorkerId();
  private readonly asked = new Map<number, Trial>();
  private stopped = false;
  private readonly knownDistributions = new Map<string, Distribution>();

  constructor(
    readonly storage: Storage,
    readonly studyId: number,
    readonly studyName: string,
    readonly sampler: Sampler,
    readonly pruner: Pruner,
    private readonly onWarning: (message: string) => void = (m) => console.warn(`minima: ${m}`),
  ) {}

  warn(message: string): void {
    this.onWarning(message);
  }

  get direction(): Direction {
    return this.storage.getStudyDirections(this.studyId)[0]!;
  }

  get trials(): FrozenTrial[] {
    return this.storage.getAllTrials(this.studyId);
  }

  getTrials(options: { states?: readonly TrialState[] } = {}): FrozenTrial[] {
    return this.storage.getAllTrials(this.studyId, options.states);
  }

  get userAttrs(): Record<string, unknown> {
    return this.storage.getStudyUserAttrs(this.studyId);
  }
  get systemAttrs(): Record<string, unknown> {
    return this.storage.getStudySystemAttrs(this.studyId);
  }
  setUserAttr(key: string, value: unknown): void {
    this.storage.setStudyUserAttr(this.studyId, key, value);
  }
  setSystemAttr(key: string, value: unknown): void {
    this.storage.setStudySystemAttr(this.studyId, key, value);
  }

  /** The best COMPLETE trial (lowest value when minimizing); the earliest wins a tie. */
  get bestTrial(): FrozenTrial {
    const sign = this.direction === "maximize" ? -1 : 1;
    let best: FrozenTrial | null = null;
    for (const t of this.getTrials({ states: ["COMPLETE"] })) {
      if (t.value === null || Number.isNaN(t.value)) continue;
      if (best === null || sign * t.value < sign * best.value!) best = t;
    }
    if (best === null) throw new StudyError({ where: `study "${this.studyName}"`, what: "no trial has completed yet, so there is no best trial" });
    return best;
  }
  get bestValue(): number {
    return this.bestTrial.value!;
  }
  get bestParams(): Readonly<Record<string, ParamValue>> {
    return this.bestTrial.params;
  }

  /**
   * Refuses a distribution that contradicts what the study's trials used for the same name (another
   * kind, another log scale, other choices), before anything is written.
   */
  checkDistribution(name: string, distribution: Distribution): void {
    let before = this.knownDistributions.get(name);
    if (before === undefined) {
      for (const t of this.trials) {
        const d = t.distributions[name];
        if (d !== undefined) {
          before = d;
          this.knownDistributions.set(name, d);
          break;
        }
      }
    }
    if (before !== undefined) checkCompatible(name, this.studyName, before, distribution);
  }

  /** Starts a trial: reaps stale trials (when the storage keeps heartbeats), claims an enqueued one, or creates one. */
  ask(fixedDistributions: Record<string, Distribution> = {}): Trial {
    if (this.storage.heartbeat !== null) this.storage.failStaleTrials(this.studyId);
    let lease = this.storage.claimWaitingTrial(this.studyId, this.workerId);
    if (lease === null) {
      if (this.sampler.isExhausted?.(this)) throw new SearchExhausted(`study "${this.studyName}": the ${this.sampler.name} sampler has no point left to try`);
      lease = this.storage.startNewTrial(this.studyId, this.workerId);
    }
    const trial = new Trial(this, lease, this.storage.getTrial(lease.trialId));
    this.asked.set(trial.number, trial);
    this.sampler.beforeTrial?.(this, trial);
    for (const [name, dist] of Object.entries(fixedDistributions)) trial.suggest(name, dist);
    return trial;
  }

  /**
   * The trial a lease names, for a process that did not ask it itself: a worker's child process
   * running the trial it was handed. Its writes are fenced by the lease like the asker's.
   */
  trialFromLease(lease: Lease): Trial {
    const trial = new Trial(this, lease, this.storage.getTrial(lease.trialId));
    this.asked.set(trial.number, trial);
    return trial;
  }

  /**
   * Ends a trial: a number completes it with that value; "PRUNED" keeps its last intermediate value
   * (as Optuna); "FAIL" records no value; "WAITING" pauses it for a later claim (ASHA's promotion).
   * A NaN value fails the trial with a warning, as in Optuna.
   */
  tell(trial: Trial | number, result: TellResult): FrozenTrial {
    const t = typeof trial === "number" ? this.asked.get(trial) : trial;
    if (t === undefined) throw new StudyError({ where: `study "${this.studyName}"`, what: `trial ${String(trial)} was not asked by this study object; tell takes a trial from study.ask()` });
    let state: TrialState;
    let value: number | null = null;
    if (typeof result === "number") {
      state = "COMPLETE";
      value = result;
    } else if (typeof result === "string") {
      state = result;
    } else {
      state = result.state ?? "COMPLETE";
      value = result.value ?? null;
    }
    if (!TRIAL_STATES.includes(state) || state === "RUNNING") throw new OptionError({ where: "study.tell", what: "unknown final state", expected: `"COMPLETE", "PRUNED", "FAIL" or "WAITING"`, got: JSON.stringify(state) });
    if (state === "COMPLETE" && (value === null || Number.isNaN(value))) {
      const why = value === null ? "no value was given" : "the objective returned NaN";
      this.warn(`trial ${t.number} failed because ${why}`);
      this.storage.setTrialSystemAttr(t.lease, OPTUNA_ATTR.failReason, `Trial ${t.number} failed because ${why}.`);
      state = "FAIL";
      value = null;
    }
    if (state === "PRUNED") {
      const iv = t.frozen().intermediateValues;
      // Optuna's _tell keeps the last intermediate value unless it is NaN (not a feasible value).
      const last = iv.size > 0 ? iv.get(Math.max(...iv.keys()))! : null;
      if (last !== null && !Number.isNaN(last)) value = last;
    }
    if (state === "FAIL") value = null;
    if (isFinished(state)) this.sampler.afterTrial?.(this, t.frozen(), state, value);
    this.storage.setTrialStateValue(t.lease, state, state === "WAITING" ? null : value);
    if (isFinished(state)) this.asked.delete(t.number);
    return this.storage.getTrial(t.trialId);
  }

  /**
   * Runs trials until nTrials, timeout or stop(). A pruned trial (TrialPruned) is PRUNED; an error
   * fails the trial and is thrown, unless its class is in `catch`; a trial whose lease was lost
   * (reaped while it ran) is left to whoever holds it now.
   */
  optimize(objective: Objective, options: OptimizeOptions = {}): void {
    const loop = this.loopOptions(options);
    for (let n = 0; loop.more(n); n++) {
      const trial = this.askUnlessExhausted();
      if (trial === null) return;
      let result: number | Promise<number>;
      try {
        result = objective(trial);
        if (typeof (result as { then?: unknown } | null)?.then === "function") {
          throw new OptionError({ where: "study.optimize", what: "the objective returned a promise", expected: "a number; for an async objective use await study.optimizeAsync(objective)" });
        }
      } catch (error) {
        this.finishWithError(trial, error, options);
        continue;
      }
      this.finish(trial, result as number, options);
    }
  }

  /** optimize for an objective that returns a promise (trials run one after another). */
  async optimizeAsync(objective: AsyncObjective, options: OptimizeOptions = {}): Promise<void> {
    const loop = this.loopOptions(options);
    for (let n = 0; loop.more(n); n++) {
      const trial = this.askUnlessExhausted();
      if (trial === null) return;
      let value: number;
      try {
        value = await objective(trial);
      } catch (error) {
        this.finishWithError(trial, error, options);
        continue;
      }
      this.finish(trial, value, options);
    }
  }

  private askUnlessExhausted(): Trial | null {
    try {
      return this.ask();
    } catch (e) {
      if (e instanceof SearchExhausted) return null;
      throw e;
    }
  }

  /** Makes optimize return after the current trial. */
  stop(): void {
    this.stopped = true;
  }

  private loopOptions(options: OptimizeOptions): { more: (n: number) => boolean } {
    const { nTrials, timeout } = options;
    if (nTrials !== undefined && !(Number.isSafeInteger(nTrials) && nTrials >= 0)) throw new OptionError({ where: "study.optimize", what: "nTrials must be a non-negative integer", expected: "an integer ≥ 0", got: String(nTrials) });
    if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0)) throw new OptionError({ where: "study.optimize", what: "timeout must be a positive number of seconds", expected: "a number > 0", got: String(timeout) });
    if (nTrials === undefined && timeout === undefined) throw new OptionError({ where: "study.optimize", what: "the search has no end", expected: "nTrials, timeout, or both" });
    this.stopped = false;
    const start = Date.now();
    return { more: (n) => !this.stopped && (nTrials === undefined || n < nTrials) && (timeout === undefined || (Date.now() - start) / 1000 < timeout) };
  }

  private finish(trial: Trial, value: number, options: OptimizeOptions): void {
    let frozen: FrozenTrial;
    try {
      frozen = this.tell(trial, typeof value === "number" ? value : NaN);
    } catch (e) {
      if (e instanceof LeaseLostError) return this.warn(`trial ${trial.number}: ${e.message}`);
      throw e;
    }
    for (const cb of options.callbacks ?? []) cb(this, frozen);
  }

  private finishWithError(trial: Trial, error: unknown, options: OptimizeOptions): void {
    if (error instanceof LeaseLostError) return this.warn(`trial ${trial.number}: ${error.message}`);
    const pruned = error instanceof TrialPruned;
    let frozen: FrozenTrial;
    try {
      if (!pruned) this.storage.setTrialSystemAttr(trial.lease, OPTUNA_ATTR.failReason, String((error as Error)?.stack ?? error));
      frozen = this.tell(trial, pruned ? "PRUNED" : "FAIL");
    } catch (e) {
      if (e instanceof LeaseLostError) return this.warn(`trial ${trial.number}: ${e.message}`);
      throw e;
    }
    for (const cb of options.callbacks ?? []) cb(this, frozen);
    if (pruned) return;
    const caught = (options.catch ?? []).some((cls) => error instanceof cls);
    if (!caught) throw error;
    this.warn(`trial ${trial.number} failed: ${(error as Error).message}`);
  }

  /**
   * Queues a trial with these parameter values (Optuna's enqueue_trial: a WAITING trial whose
   * fixed_params the next ask() uses). skipIfExists skips values an earlier trial already has.
   */
  enqueueTrial(params: Record<string, ParamValue>, options: { userAttrs?: Record<string, unknown>; skipIfExists?: boolean } = {}): void {
    if (options.skipIfExists) {
      for (const t of this.trials) {
        const same = Object.entries(params).every(([k, v]) => {
          const d = t.distributions[k];
          if (d === undefined) return t.state === "WAITING" && (t.systemAttrs[OPTUNA_ATTR.fixedParams] as Record<string, ParamValue> | undefined)?.[k] === v;
          return toInternal(d, v) === toInternal(d, t.params[k]!);
        });
        if (same) return;
      }
    }
    this.storage.createTrial(this.studyId, { state: "WAITING", userAttrs: options.userAttrs ?? {}, systemAttrs: { [OPTUNA_ATTR.fixedParams]: { ...params } } });
  }
}

function studyWhere(storage: Storage): string {
  return storage.url;
}

/** Creates a study (or, with loadIfExists, loads the existing one of that name). */
export function createStudy(options: CreateStudyOptions = {}): Study {
  const storage = options.storage ?? new InMemoryStorage();
  const direction = options.direction ?? "minimize";
  if (direction !== "minimize" && direction !== "maximize") throw new OptionError({ where: "mn.tune.createStudy", what: "unknown direction", expected: `"minimize" or "maximize"`, got: JSON.stringify(direction) });
  const studyName = options.studyName ?? `no-name-${newWorkerId().slice(0, 36)}`;
  const sampler: Sampler = options.sampler ?? new RandomSampler();
  const pruner: Pruner = options.pruner ?? new NopPruner();
  const exists = storage.getAllStudies().some((s) => s.studyName === studyName);
  if (exists) {
    if (!options.loadIfExists) throw new StudyError({ where: studyWhere(storage), what: `a study named "${studyName}" already exists; load it (loadIfExists: true, or mn.tune.loadStudy) or choose another name` });
    const study = loadStudy({ storage, studyName, sampler, pruner, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
    if (study.direction !== direction) throw new StudyError({ where: `study "${studyName}"`, what: "the existing study's direction differs", expected: study.direction, got: direction });
    return study;
  }
  let id: number;
  try {
    id = storage.createNewStudy([direction], studyName);
  } catch (e) {
    // Another worker created it between our look and our write: load it as if it had been there.
    if (options.loadIfExists && e instanceof StudyError && storage.getAllStudies().some((s) => s.studyName === studyName)) {
      return loadStudy({ storage, studyName, sampler, pruner, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
    }
    throw e;
  }
  const study = new Study(storage, id, studyName, sampler, pruner, options.onWarning);
  study.setSystemAttr(ATTR.sampler, sampler.spec?.() ?? { name: sampler.name });
  study.setSystemAttr(ATTR.pruner, pruner.spec?.() ?? { name: pruner.name });
  sampler.onCreateStudy?.(study);
  return study;
}

/** Opens an existing study; an unknown name is refused, listing the storage's studies. */
export function loadStudy(options: LoadStudyOptions): Study {
  const { storage, studyName } = options;
  const id = storage.getStudyIdFromName(studyName);
  return new Study(storage, id, studyName, options.sampler ?? new RandomSampler(), options.pruner ?? new NopPruner(), options.onWarning);
}
