import type { FrozenTrial } from "../frozen-trial.js";
import type { Direction, TrialState } from "../trial-state.js";

/** What a pruner reads of a study: its trials and direction (a Study, or Hyperband's view of one bracket). */
export interface StudyView {
  readonly studyName: string;
  readonly direction: Direction;
  getTrials(options?: { states?: readonly TrialState[] }): FrozenTrial[];
}

/** The last step the trial reported (Optuna's FrozenTrial.last_step), or null before its first report. */
export function lastStep(trial: FrozenTrial): number | null {
  let last: number | null = null;
  for (const step of trial.intermediateValues.keys()) if (last === null || step > last) last = step;
  return last;
}

/** Orders numbers ascending; Python's sort order for the finite values and ±Infinity that rungs hold. */
export function ascending(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
