/** A trial's state, by the names Optuna's storages use (the RDB stores the name, the journal a code). */
export type TrialState = "RUNNING" | "COMPLETE" | "PRUNED" | "FAIL" | "WAITING";

export const TRIAL_STATES: readonly TrialState[] = ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"];

/** Finished trials never change again: every storage refuses later writes to them. */
export function isFinished(state: TrialState): boolean {
  return state === "COMPLETE" || state === "PRUNED" || state === "FAIL";
}

/** Whether the study looks for the smallest or the largest objective value. */
export type Direction = "minimize" | "maximize";
