import { toInternal } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import type { Direction } from "../../trial-state.js";

/**
 * How a trial ranks, lexicographically (Optuna 3.1's _get_observation_pairs): first by −step (a
 * COMPLETE trial at −∞, a PRUNED one at minus its last step, so trials that went further rank
 * better), then by the value signed so smaller is better. A RUNNING trial (constant liar) ranks
 * last: (+∞, ±∞).
 */
export type Score = readonly [step: number, value: number];

export interface Observations {
  /** Each parameter's internal value per observation, null where the trial lacks it. */
  readonly values: Record<string, (number | null)[]>;
  readonly scores: Score[];
}

/**
 * The observations TPE learns from: COMPLETE and PRUNED trials, and with the constant liar the
 * RUNNING ones as the worst of all (so parallel workers do not crowd where others already are).
 */
export function observationPairs(trials: readonly FrozenTrial[], names: readonly string[], direction: Direction, constantLiar: boolean): Observations {
  const sign = direction === "maximize" ? -1 : 1;
  const values: Record<string, (number | null)[]> = Object.fromEntries(names.map((n) => [n, []]));
  const scores: Score[] = [];
  for (const t of trials) {
    let score: Score;
    if (t.state === "COMPLETE") {
      if (t.value === null) continue;
      score = [-Infinity, sign * t.value];
    } else if (t.state === "PRUNED") {
      if (t.intermediateValues.size > 0) {
        const step = Math.max(...t.intermediateValues.keys());
        const v = t.intermediateValues.get(step)!;
        score = [0 - step, Number.isNaN(v) ? Infinity : sign * v]; // 0 − step: a step of 0 ranks as 0, not −0
      } else {
        score = [1, 0];
      }
    } else if (t.state === "RUNNING" && constantLiar) {
      score = [Infinity, sign * Infinity]; // as Optuna 3.1: the step alone ranks it last
    } else {
      continue;
    }
    scores.push(score);
    for (const name of names) {
      const d = t.distributions[name];
      values[name]!.push(d === undefined ? null : toInternal(d, t.params[name]!));
    }
  }
  return { values, scores };
}

/** How many observations are finished (not the constant liar's RUNNING ones). */
export function finishedCount(scores: readonly Score[]): number {
  return scores.filter(([step]) => step < Infinity).length;
}

/**
 * The indices of the nBelow best observations and of the rest, each in chronological order
 * (Optuna's _split_observation_pairs for one objective: a stable sort on (step, value)).
 */
export function splitObservations(scores: readonly Score[], nBelow: number): [number[], number[]] {
  const order = scores.map((_, i) => i).sort((a, b) => compare(scores[a]!, scores[b]!) || a - b);
  const below = order.slice(0, nBelow).sort((a, b) => a - b);
  const above = order.slice(nBelow).sort((a, b) => a - b);
  return [below, above];
}

/** numpy's ordering of floats: NaN after everything. */
function compareFloat(x: number, y: number): number {
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
  if (Number.isNaN(y)) return -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(a: Score, b: Score): number {
  return compareFloat(a[0], b[0]) || compareFloat(a[1], b[1]);
}
