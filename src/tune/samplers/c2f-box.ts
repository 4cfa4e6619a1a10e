import type { Generator } from "../../tensor/random.js";
import { choiceEqual, type Distribution, type FloatDistribution, type IntDistribution, type ParamValue } from "../distributions.js";
import { transformedBounds, untransform } from "../transform.js";

/**
 * A coarse-to-fine stage's box, as stored in the study: for a number, the box's edges in the
 * parameter's units (a log parameter's box is a box in log space; a stepped or integer one
 * reaches half a step beyond its extreme values, as the transformed space does); for a
 * categorical, the choices it keeps.
 */
export type BoxEntry = { low: number; high: number; log: boolean } | { choices: ParamValue[] };
export type Box = Record<string, BoxEntry>;

/** A point closer to an edge than this share of the box's width lies on the edge. */
export const EDGE_FRACTION = 0.025;

/** The box of a parameter's whole range (stage 1). */
export function wholeRange(dist: Distribution): BoxEntry {
  if (dist.kind === "categorical") return { choices: [...dist.choices] };
  // transformedBounds's interval in the parameter's units, without a round trip through log.
  const half = dist.kind === "int" ? 0.5 : dist.step !== null ? dist.step / 2 : 0;
  return { low: dist.low - half, high: dist.high + half, log: dist.log };
}

function fromTransformed(lo: number, hi: number, log: boolean): BoxEntry {
  return log ? { low: Math.exp(lo), high: Math.exp(hi), log } : { low: lo, high: hi, log };
}

/** A numeric entry's edges in the transformed (log) space. */
export function transformedEdges(entry: { low: number; high: number; log: boolean }): [number, number] {
  return entry.log ? [Math.log(entry.low), Math.log(entry.high)] : [entry.low, entry.high];
}

/**
 * The next stage's entry for one parameter: the span of the top trials' values in the transformed
 * space, widened on each side by `margin` times the previous box's width and clipped to the
 * previous box; a categorical keeps the choices the top trials took. `values` are the top trials'
 * values of this parameter (those that have it); with none, the previous entry stays.
 */
export function narrowEntry(previous: BoxEntry, values: readonly ParamValue[], margin: number): BoxEntry {
  if (values.length === 0) return previous;
  if ("choices" in previous) return { choices: previous.choices.filter((c) => values.some((v) => choiceEqual(c, v))) };
  const [lo, hi] = transformedEdges(previous);
  const width = hi - lo;
  const t = values.map((v) => (previous.log ? Math.log(v as number) : (v as number)));
  const low = Math.max(lo, Math.min(...t) - margin * width);
  const high = Math.min(hi, Math.max(...t) + margin * width);
  return fromTransformed(low, high, previous.log);
}

/** A uniform draw inside the entry (in the transformed space), as a value of the distribution. */
export function sampleInBox(entry: BoxEntry, dist: Distribution, rng: Generator): ParamValue {
  if (dist.kind === "categorical") {
    const kept = "choices" in entry ? dist.choices.filter((c) => entry.choices.some((k) => choiceEqual(c, k))) : [];
    const from = kept.length > 0 ? kept : dist.choices;
    return from[rng.integer(0, from.length)]!;
  }
  const [dlo, dhi] = transformedBounds(dist);
  let [lo, hi] = "choices" in entry ? [dlo, dhi] : transformedEdges(entry);
  // The objective may ask for a narrower range than the box: stay inside what it asked for.
  lo = Math.max(lo, dlo);
  hi = Math.min(hi, dhi);
  if (!(lo < hi)) [lo, hi] = [dlo, dhi];
  return untransform(dist, lo + (hi - lo) * rng.random());
}

/**
 * Which edge of the entry a value lies on, if any: within EDGE_FRACTION of the width, or (a stepped
 * or integer parameter) the smallest or largest value the box holds.
 */
export function edgeOf(entry: BoxEntry, dist: FloatDistribution | IntDistribution, value: number): "lower" | "upper" | null {
  if ("choices" in entry) return null;
  const [lo, hi] = transformedEdges(entry);
  const t = dist.log ? Math.log(value) : value;
  const near = EDGE_FRACTION * (hi - lo);
  const stepped = dist.kind === "int" || dist.step !== null;
  if (t - lo <= near || (stepped && value === untransform(dist, lo))) return "lower";
  if (hi - t <= near || (stepped && value === untransform(dist, hi))) return "upper";
  return null;
}
