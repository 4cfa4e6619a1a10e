import type { Distribution, ParamValue } from "./distributions.js";
import type { TrialState } from "./trial-state.js";

/** A trial as a storage holds it: a plain snapshot, read by samplers, pruners, reports and users. */
export interface FrozenTrial {
  /** The storage's id, unique across its studies. */
  readonly trialId: number;
  /** The trial's position in its study: 0, 1, 2… in order of creation. */
  readonly number: number;
  readonly state: TrialState;
  /** The objective's value (a PRUNED trial keeps its last intermediate value, as in Optuna); null if none. */
  readonly value: number | null;
  readonly datetimeStart: Date | null;
  readonly datetimeComplete: Date | null;
  /** Each parameter's value as the objective saw it. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** Values reported with trial.report, by step. */
  readonly intermediateValues: ReadonlyMap<number, number>;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  /** Attributes for samplers, pruners and workers: Optuna's (fixed_params, completed_rung_0, failed_trial) and minima's ("minima:…"). */
  readonly systemAttrs: Readonly<Record<string, unknown>>;
}
