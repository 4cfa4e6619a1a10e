import { OptionError } from "../errors.js";
import { ATTR, OPTUNA_ATTR } from "./attrs.js";
import {
  categorical, checkCompatible, contains, describeDistribution, float, int, isSingle, toExternal, toInternal,
  type CategoricalChoice, type Distribution, type FloatOptions, type IntOptions, type ParamValue,
} from "./distributions.js";
import type { FrozenTrial } from "./frozen-trial.js";
import type { Lease } from "./storage.js";
import type { Study } from "./study.js";

/**
 * A running trial, handed to the objective by study.ask() or study.optimize(): it suggests
 * parameter values (sampled, fixed by enqueueTrial, or kept from an earlier suggestion of the same
 * name), reports intermediate values and asks the pruner. Every write carries the trial's lease.
 */
export class Trial {
  private relative: Record<string, ParamValue> | null = null;
  private relativeSpace: Record<string, Distribution> = {};

  constructor(
    readonly study: Study,
    readonly lease: Lease,
    private cached: FrozenTrial,
  ) {}

  get trialId(): number {
    return this.lease.trialId;
  }
  get number(): number {
    return this.cached.number;
  }
  get params(): Readonly<Record<string, ParamValue>> {
    return this.cached.params;
  }
  get distributions(): Readonly<Record<string, Distribution>> {
    return this.cached.distributions;
  }
  get userAttrs(): Readonly<Record<string, unknown>> {
    return this.cached.userAttrs;
  }
  get systemAttrs(): Readonly<Record<string, unknown>> {
    return this.cached.systemAttrs;
  }
  get datetimeStart(): Date | null {
    return this.cached.datetimeStart;
  }
  /** The training budget (epochs) a sampler or pruner set for this trial, if any (coarse-to-fine stages, Hyperband). */
  get budget(): number | undefined {
    const b = this.cached.systemAttrs[ATTR.budget];
    return typeof b === "number" ? b : undefined;
  }

  /** The trial as the storage has it now. */
  frozen(): FrozenTrial {
    this.cached = this.study.storage.getTrial(this.trialId);
    return this.cached;
  }

  suggestFloat(name: string, low: number, high: number, options: FloatOptions = {}): number {
    return this.suggest(name, float(low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options: IntOptions = {}): number {
    return this.suggest(name, int(low, high, options)) as number;
  }

  suggestCategorical<const C extends CategoricalChoice>(name: string, choices: readonly C[]): C {
    return this.suggest(name, categorical(choices)) as C;
  }

  /** Suggests a value for any distribution (mn.tune.float/int/categorical). */
  suggest(name: string, distribution: Distribution): ParamValue {
    if (typeof name !== "string" || name === "") throw new OptionError({ where: "Trial.suggest", what: "a parameter needs a name", expected: "a non-empty string", got: JSON.stringify(name) });
    const have = this.cached.distributions[name];
    if (have !== undefined) {
      checkCompatible(name, this.study.studyName, have, distribution);
      return this.cached.params[name]!;
    }
    this.study.checkDistribution(name, distribution);
    const value = this.choose(name, distribution);
    const internal = toInternal(distribution, value);
    this.study.storage.setTrialParam(this.lease, name, internal, distribution);
    this.cached = this.study.storage.getTrial(this.trialId);
    return toExternal(distribution, internal);
  }

  private choose(name: string, distribution: Distribution): ParamValue {
    const fixed = this.cached.systemAttrs[OPTUNA_ATTR.fixedParams] as Record<string, ParamValue> | undefined;
    if (fixed !== undefined && name in fixed) {
      const value = fixed[name]!;
      if (!contains(distribution, toInternal(distribution, value))) {
        this.study.warn(`trial ${this.number}: the enqueued value ${JSON.stringify(value)} of "${name}" lies outside ${describeDistribution(distribution)}; it is used as given`);
      }
      return value;
    }
    if (isSingle(distribution)) return toExternal(distribution, distribution.kind === "categorical" ? 0 : distribution.low);
    const sampler = this.study.sampler;
    if (this.relative === null) {
      this.relativeSpace = sampler.inferRelativeSearchSpace?.(this.study, this.cached) ?? {};
      this.relative = Object.keys(this.relativeSpace).length > 0 && sampler.sampleRelative ? sampler.sampleRelative(this.study, this.cached, this.relativeSpace) : {};
    }
    const space = this.relativeSpace[name];
    if (name in this.relative && space !== undefined && space.kind === distribution.kind && contains(distribution, toInternal(distribution, this.relative[name]!))) return this.relative[name]!;
    return sampler.sampleIndependent(this.study, this.cached, name, distribution);
  }

  /**
   * Records the objective's value at a step (an epoch), for pruners and curves. A step reported twice
   * keeps its first value, with a warning, as in Optuna.
   */
  report(value: number, step: number): void {
    if (typeof value !== "number") throw new OptionError({ where: "Trial.report", what: "the value must be a number", expected: "a number", got: JSON.stringify(value) });
    if (!Number.isSafeInteger(step) || step < 0) throw new OptionError({ where: "Trial.report", what: "step must be a non-negative integer", expected: "an integer ≥ 0", got: String(step) });
    if (this.cached.intermediateValues.has(step)) {
      this.study.warn(`trial ${this.number}: step ${step} was already reported; the value ${value} is ignored`);
      return;
    }
    this.study.storage.setTrialIntermediateValue(this.lease, step, value);
    if (this.study.storage.heartbeat !== null) this.study.storage.recordHeartbeat(this.lease);
    this.cached = this.study.storage.getTrial(this.trialId);
  }

  /** Whether the study's pruner would stop this trial now. */
  shouldPrune(): boolean {
    return this.study.pruner.prune(this.study, this.frozen(), this);
  }

  setUserAttr(key: string, value: unknown): void {
    this.study.storage.setTrialUserAttr(this.lease, key, value);
    this.cached = this.study.storage.getTrial(this.trialId);
  }

  setSystemAttr(key: string, value: unknown): void {
    this.study.storage.setTrialSystemAttr(this.lease, key, value);
    this.cached = this.study.storage.getTrial(this.trialId);
  }

  /** Tells the storage the trial is alive; false when its lease is lost (stop training). */
  heartbeat(): boolean {
    return this.study.storage.recordHeartbeat(this.lease);
  }
}
