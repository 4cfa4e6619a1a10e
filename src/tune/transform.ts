import type { Distribution, FloatDistribution, IntDistribution, ParamValue } from "./distributions.js";

/**
 * The space samplers work in (Optuna's _SearchSpaceTransform for numbers): log parameters in log
 * space, and stepped or integer ones widened by half a step on each side, so rounding back gives
 * every grid value the same share of the interval.
 */
export function transformedBounds(dist: FloatDistribution | IntDistribution): [number, number] {
  const half = dist.kind === "int" ? 0.5 : dist.step !== null ? dist.step / 2 : 0;
  if (dist.log) return [Math.log(dist.low - half), Math.log(dist.high + half)];
  return [dist.low - half, dist.high + half];
}

/** A point of the transformed space as a value of the distribution: back from log, rounded to the step, clipped. */
export function untransform(dist: FloatDistribution | IntDistribution, t: number): number {
  let v = dist.log ? Math.exp(t) : t;
  const step = dist.kind === "int" ? dist.step : dist.step;
  if (step !== null) v = dist.low + Math.round((v - dist.low) / step) * step;
  return Math.min(dist.high, Math.max(dist.low, v));
}

/** The value's place in the transformed space (log for log parameters). */
export function transform(dist: FloatDistribution | IntDistribution, v: number): number {
  return dist.log ? Math.log(v) : v;
}

export function isNumeric(dist: Distribution): dist is FloatDistribution | IntDistribution {
  return dist.kind !== "categorical";
}

export type { ParamValue };
