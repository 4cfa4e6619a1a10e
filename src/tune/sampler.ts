import type { Distribution, ParamValue } from "./distributions.js";
import type { FrozenTrial } from "./frozen-trial.js";
import type { Study } from "./study.js";
import type { Trial } from "./trial.js";
import type { TrialState } from "./trial-state.js";

/**
 * Chooses parameter values, as Optuna's BaseSampler does: relative sampling (several parameters
 * jointly, once per trial, over the search space the study has seen) and independent sampling
 * (one parameter at a time, for parameters outside that space). Values are returned as the
 * objective sees them (a choice, not its index).
 */
export interface Sampler {
  /** Names the sampler in the study's attrs and in messages: "random", "grid", "tpe"… */
  readonly name: string;
  /** The sampler's name and options as JSON, stored in the study (minima:sampler) so workers that load the study rebuild it. */
  spec?(): Record<string, unknown>;
  /** True when no new trial may be created (every grid point exists): ask() then throws SearchExhausted unless a WAITING trial remains. */
  isExhausted?(study: Study): boolean;
  /** Runs once when the study is created (not when loaded): GridSampler enqueues every point here. */
  onCreateStudy?(study: Study): void;
  /** Runs when a trial starts, before any suggestion (CoarseToFineSampler sets the trial's budget here). */
  beforeTrial?(study: Study, trial: Trial): void;
  inferRelativeSearchSpace?(study: Study, trial: FrozenTrial): Record<string, Distribution>;
  sampleRelative?(study: Study, trial: FrozenTrial, searchSpace: Record<string, Distribution>): Record<string, ParamValue>;
  sampleIndependent(study: Study, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** Runs when the trial is told its result, before the state is written. */
  afterTrial?(study: Study, trial: FrozenTrial, state: TrialState, value: number | null): void;
}
