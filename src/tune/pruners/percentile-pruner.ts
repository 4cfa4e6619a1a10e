import { checkOptions, nonNegativeInt, option, positiveInt, required, type Check, type OptionsOf, type Resolved } from "../../options.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner } from "../pruner.js";
import type { Direction } from "../trial-state.js";
import { ascending, lastStep, type StudyView } from "./intermediate.js";

const percentile0to100: Check = (v) => (typeof v === "number" && v >= 0 && v <= 100 ? null : "a number in [0, 100]");

/** Options shared with MedianPruner (Optuna's names and defaults, camelCase). */
export const PERCENTILE_COMMON = {
  /** Pruning is off until this many trials of the study have completed (default 5). */
  nStartupTrials: option(5, nonNegativeInt),
  /** Pruning is off until the trial reports a step ≥ this (steps count from 0) (default 0). */
  nWarmupSteps: option(0, nonNegativeInt),
  /** Steps between pruning checks, counted from nWarmupSteps; a check with no report is postponed to the next report (default 1). */
  intervalSteps: option(1, positiveInt),
  /** Fewest completed trials that reported the current step for a decision (default 1). */
  nMinTrials: option(1, positiveInt),
};

const PERCENTILE_PRUNER = {
  /** The percentile of the completed trials' values at the same step that a trial must beat (25: keep the top 25 %) (required). */
  percentile: required<number>(percentile0to100),
  ...PERCENTILE_COMMON,
};
export interface PercentilePrunerOptions extends OptionsOf<typeof PERCENTILE_PRUNER> {}

/**
 * Prunes a trial whose best intermediate value so far is worse than the given percentile of the
 * completed trials' values at the same step (Optuna 3.1's PercentilePruner, decision for decision:
 * numpy's nanpercentile with linear interpolation; a trial whose values are all NaN is pruned).
 * Direction-aware: when maximizing, the top percentile is the largest values.
 */
export class PercentilePruner implements Pruner {
  readonly name: string = "percentile";
  protected readonly o: Resolved<typeof PERCENTILE_PRUNER>;

  constructor(options: PercentilePrunerOptions) {
    this.o = checkOptions("PercentilePruner", options, PERCENTILE_PRUNER);
  }

  spec(): Record<string, unknown> {
    return { name: this.name, ...this.o };
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const completed = study.getTrials({ states: ["COMPLETE"] });
    if (completed.length === 0 || completed.length < this.o.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.o.nWarmupSteps) return false;
    if (!isFirstInIntervalStep(step, [...trial.intermediateValues.keys()], this.o.nWarmupSteps, this.o.intervalSteps)) return false;
    const direction = study.direction;
    const best = bestIntermediateValue(trial, direction);
    if (Number.isNaN(best)) return true;
    const p = percentileAtStep(completed, direction, step, this.o.percentile, this.o.nMinTrials);
    if (Number.isNaN(p)) return false;
    return direction === "maximize" ? best < p : best > p;
  }
}

/** The best of the trial's intermediate values, NaNs ignored (NaN when all are). */
function bestIntermediateValue(trial: FrozenTrial, direction: Direction): number {
  let best = NaN;
  for (const v of trial.intermediateValues.values()) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === "maximize" ? v > best : v < best)) best = v;
  }
  return best;
}

/** The first report at or after a pruning check (warmup + k·interval) is the one that is checked. */
function isFirstInIntervalStep(step: number, steps: readonly number[], warmup: number, interval: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLowerPruningStep;
}

/** The percentile of the completed trials' values at the step (the top one when maximizing); NaN when fewer than nMinTrials reported it. */
function percentileAtStep(completed: readonly FrozenTrial[], direction: Direction, step: number, percentile: number, nMinTrials: number): number {
  const values: number[] = [];
  for (const t of completed) if (t.intermediateValues.has(step)) values.push(t.intermediateValues.get(step)!);
  if (values.length < nMinTrials) return NaN;
  return nanPercentile(values, direction === "maximize" ? 100 - percentile : percentile);
}

/**
 * numpy.nanpercentile(values, p) with its default "linear" method, computed as numpy 1.24 does
 * (virtual index (n−1)·q, and its two-sided lerp), so that decisions on a tie equal Optuna's.
 */
export function nanPercentile(values: readonly number[], p: number): number {
  const a = values.filter((v) => !Number.isNaN(v)).sort(ascending);
  const n = a.length;
  if (n === 0) return NaN;
  const virtual = (n - 1) * (p / 100);
  let previous = Math.floor(virtual);
  let next = previous + 1;
  if (virtual >= n - 1) previous = next = -1;
  if (virtual < 0) previous = next = 0;
  const gamma = virtual - previous;
  const lo = a.at(previous)!;
  const hi = a.at(next)!;
  const diff = hi - lo;
  return gamma >= 0.5 ? hi - diff * (1 - gamma) : lo + diff * gamma;
}
