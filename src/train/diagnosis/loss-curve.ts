import type { History } from "../history.js";
import { median, movingMedian, robustStd } from "./stats.js";

/**
 * The training loss as the rules read it: per step when the run logged enough steps, else per epoch;
 * only the points before the first non-finite one (what comes after NaN says nothing more).
 */
export interface LossCurve {
  unit: "step" | "epoch";
  /** Fewer than minSteps steps and no 2 epochs to fall back on: enough to see a blow-up, too little for the other rules. */
  short: boolean;
  /** Step or epoch numbers of the points. */
  at: number[];
  loss: number[];
  /** Moving median of `loss`: the trend with single-batch outliers removed. */
  level: number[];
  /** The lower of the first point and the median of the first 3: where the run started, before a fast drop (or a blow-up) blurs it. */
  head: number;
  /** Median of the first 2% of points (at least 5): the start with the noise averaged out. */
  start: number;
  /** Median of the last 5% of points (at least 5). */
  end: number;
  /** The lowest level and its index. */
  lowest: number;
  lowestAt: number;
  /**
   * Scatter of the per-step loss around its level, relative to the level (robust std of (loss − level) / level):
   * over the whole curve and over its second half. For epoch curves, swing is the scatter around the median of all
   * epochs (what a curve without trend swings by) and lateSwing is null. Null when the level is not positive.
   */
  swing: number | null;
  lateSwing: number | null;
  /** Median level over the second half, what lateSwing is relative to. */
  lateLevel: number;
  /**
   * How much an epoch's mean loss scatters from the batch noise alone, relative to the level: the plain (not robust:
   * means feel the heavy tail) std of the second half's relative residuals over √(steps per epoch). Null for epoch curves.
   */
  epochNoise: number | null;
}

/** Reads the curve: steps when there are minSteps of them, else epochs when there are 2, else the few steps there are (short). */
export function readLossCurve(history: History, minSteps: number): LossCurve | null {
  const steps = finitePrefix(history.steps);
  if (steps.length >= minSteps) {
    const curve = shape("step", steps.map((s) => s.step), steps.map((s) => s.loss), false);
    const perEpoch = steps.length / (steps.at(-1)!.epoch - steps[0]!.epoch + 1);
    const spread = relativeScatter(curve.loss, curve.level, Math.floor(steps.length / 2), 5, plainStd);
    return { ...curve, epochNoise: spread === null ? null : spread / Math.sqrt(perEpoch) };
  }
  const epochs = finitePrefix(history.epochs);
  if (epochs.length >= 2) return shape("epoch", epochs.map((e) => e.epoch), epochs.map((e) => e.loss), false);
  if (steps.length >= 2) return shape("step", steps.map((s) => s.step), steps.map((s) => s.loss), true);
  return null;
}

function finitePrefix<T extends { loss: number }>(logs: readonly T[]): T[] {
  const bad = logs.findIndex((l) => !Number.isFinite(l.loss));
  return bad < 0 ? [...logs] : logs.slice(0, bad);
}

function shape(unit: "step" | "epoch", at: number[], loss: number[], short: boolean): LossCurve {
  const n = loss.length;
  // Epoch losses are already means over many batches: no further smoothing.
  const half = unit === "step" ? Math.min(25, Math.max(2, Math.round(n / 40))) : 0;
  const level = movingMedian(loss, half);
  const headCount = unit === "step" ? Math.max(5, Math.round(n / 50)) : 1;
  const tailCount = unit === "step" ? Math.max(5, Math.round(n / 20)) : 1;
  let lowestAt = 0;
  level.forEach((v, i) => { if (v < level[lowestAt]!) lowestAt = i; });
  const late = Math.floor(n / 2);
  return {
    unit, short, at, loss, level,
    head: Math.min(loss[0]!, median(loss.slice(0, Math.min(3, headCount)))),
    start: median(loss.slice(0, headCount)),
    end: median(loss.slice(n - tailCount)),
    lowest: level[lowestAt]!,
    lowestAt,
    swing: unit === "step" ? relativeScatter(loss, level, 0) : n >= 3 ? relativeScatter(loss, loss.map(() => median(loss)), 0, 3) : null,
    lateSwing: unit === "step" ? relativeScatter(loss, level, late) : null,
    lateLevel: median(level.slice(late)),
    epochNoise: null,
  };
}

function relativeScatter(loss: readonly number[], level: readonly number[], from: number, fewest = 5,
  spread: (xs: readonly number[]) => number = robustStd): number | null {
  const rel: number[] = [];
  for (let i = from; i < loss.length; i++) {
    if (!(level[i]! > 0)) return null; // a loss that can be ≤ 0 has no relative scale
    rel.push((loss[i]! - level[i]!) / level[i]!);
  }
  return rel.length >= fewest ? spread(rel) : null;
}

function plainStd(xs: readonly number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
}

/** The relative scatter of a median of k points of this curve (a median is 1.25× noisier than a mean); 0 for epoch curves. */
export function medianNoise(curve: LossCurve, k: number): number {
  return curve.unit === "step" && curve.swing !== null ? (1.25 * curve.swing) / Math.sqrt(k) : 0;
}
