import { StudyError } from "../../errors.js";
import { OPTUNA_ATTR } from "../attrs.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Trial } from "../trial.js";
import type { Direction } from "../trial-state.js";
import { ascending, lastStep } from "./intermediate.js";

/** The first rung the trial has not completed: completed_rung_0, _1… are Optuna's system attrs. */
export function currentRung(trial: FrozenTrial): number {
  let rung = 0;
  while (OPTUNA_ATTR.completedRung(rung) in trial.systemAttrs) rung++;
  return rung;
}

/** The value each trial recorded at the rung (completed_rung_k), in the trials' order. */
export function rungValues(trials: readonly FrozenTrial[], rung: number): number[] {
  const key = OPTUNA_ATTR.completedRung(rung);
  const out: number[] = [];
  for (const t of trials) if (key in t.systemAttrs) out.push(t.systemAttrs[key] as number);
  return out;
}

/** Optuna's min_resource "auto": a hundredth of the longest completed trial's last step (at least 1); null before any completed. */
export function estimateMinResource(trials: readonly FrozenTrial[]): number | null {
  let longest: number | null = null;
  for (const t of trials) {
    if (t.state !== "COMPLETE") continue;
    const last = lastStep(t);
    if (last !== null && (longest === null || last > longest)) longest = last;
  }
  return longest === null ? null : Math.max(Math.floor(longest / 100), 1);
}

/**
 * Optuna's rung rule: the trial goes on when its value is within the best ⌊n/η⌋ of the n values
 * at the rung (its own included); with fewer than η values, only when it is the best of them
 * (Optuna cannot resume a trial later, so the first arrivals are judged at once).
 */
export function promotableOptuna(value: number, competing: number[], reductionFactor: number, direction: Direction): boolean {
  let index = Math.floor(competing.length / reductionFactor) - 1;
  if (index === -1) index = 0;
  competing.sort(ascending);
  return direction === "maximize" ? value >= competing[competing.length - 1 - index]! : value <= competing[index]!;
}

/**
 * ASHA's rule (Li et al. 2020, Alg. 2): the value is within the top ⌊n/η⌋ of the n values at the
 * rung; none is while fewer than η trials reached it (they wait for more to arrive).
 */
export function inTopOfRung(value: number, competing: readonly number[], reductionFactor: number, direction: Direction): boolean {
  const k = Math.floor(competing.length / reductionFactor);
  if (k === 0) return false;
  const sorted = [...competing].sort(ascending);
  return direction === "maximize" ? value >= sorted[sorted.length - k]! : value <= sorted[k - 1]!;
}

/** Writes a pruner's record on the running trial (its lease fences the write). */
export function recordOnTrial(pruner: string, live: Trial | undefined, trial: FrozenTrial, key: string, value: unknown): void {
  if (live === undefined || live.trialId !== trial.trialId) {
    throw new StudyError({ where: pruner, what: `the pruner records ${key} on trial ${trial.number}, so it needs the running trial`, expected: "trial.shouldPrune() (or pruner.prune(study, trial.frozen(), trial))" });
  }
  live.setSystemAttr(key, value);
}
