import { OptionError } from "../errors.js";
import type { Distribution, ParamValue } from "../tune/distributions.js";

/** The samplers `minima tune --sampler` takes (Optuna's default, TPE, first in the help's order of the issue: grid, random, coarse-to-fine, tpe). */
export const SAMPLER_NAMES = ["grid", "random", "coarse-to-fine", "tpe"] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];
/** The pruners `minima tune --pruner` takes. */
export const PRUNER_NAMES = ["none", "median", "halving", "hyperband", "asha"] as const;
export type PrunerName = (typeof PRUNER_NAMES)[number];

/** What the sampler's settings are built from: the space and the tune command's search flags. */
export interface SearchSettings {
  space: Readonly<Record<string, Distribution>>;
  seed: number;
  trials: number;
  /** The maximum budget: a trial's epochs (coarse-to-fine's last stage, Hyperband's max resource). */
  epochs: number;
  gridPoints: number;
  stages: number;
  topK: number;
  margin: number;
  budgetGrowth: number;
}

/**
 * The sampler's spec, the JSON each sampler's spec() writes and samplerFromSpec reads (the study's
 * minima:sampler attr), so the sampler is built the same way here and in every worker.
 */
export function samplerSpec(name: SamplerName, s: SearchSettings): Record<string, unknown> {
  switch (name) {
    case "random":
      return { name, seed: s.seed };
    case "tpe":
      return { name, seed: s.seed };
    case "grid":
      return { name, seed: s.seed, searchSpace: Object.fromEntries(Object.entries(s.space).map(([k, d]) => [k, gridValues(d, s.gridPoints)])) };
    case "coarse-to-fine": {
      if (s.trials % s.stages !== 0) {
        const lower = Math.max(s.stages, s.trials - (s.trials % s.stages));
        throw new OptionError({ where: "--trials", what: `${s.trials} trials do not split evenly into ${s.stages} stages`, expected: `a multiple of --stages, like ${lower} or ${lower + s.stages}` });
      }
      // --epochs is the last stage's budget; each earlier stage has budgetGrowth times less, at least one epoch.
      const initialBudget = Math.max(1, Math.round(s.epochs / s.budgetGrowth ** (s.stages - 1)));
      return { name, seed: s.seed, stages: s.stages, trialsPerStage: s.trials / s.stages, topK: s.topK, margin: s.margin, budgetGrowth: s.budgetGrowth, initialBudget };
    }
  }
}

/** The pruner's spec (the study's minima:pruner attr); the budget is counted in epochs, the steps trials report at. */
export function prunerSpec(name: PrunerName, epochs: number): Record<string, unknown> {
  switch (name) {
    case "none":
    case "median":
      return { name };
    case "halving":
      return { name, minResource: "auto", reductionFactor: 4 };
    case "hyperband":
      return { name, minResource: 1, maxResource: epochs, reductionFactor: 3 };
    case "asha":
      return { name, minResource: 1, maxResource: epochs, reductionFactor: 3 };
  }
}

/**
 * A grid's values for one parameter: every choice of a categorical; for a number, `points` values evenly
 * spaced in its transformed (log for log) space from low to high, snapped to its step (1 for an int),
 * repeats dropped: int(1, 4) with 3 points gives 1, 3, 4 (2.5 rounds up), float(1e-4, 1, log) gives 1e-4, 0.01, 1.
 */
export function gridValues(dist: Distribution, points: number): ParamValue[] {
  if (dist.kind === "categorical") return [...dist.choices];
  const [lo, hi] = dist.log ? [Math.log(dist.low), Math.log(dist.high)] : [dist.low, dist.high];
  const values: number[] = [];
  for (let i = 0; i < points; i++) {
    const t = points === 1 ? lo : lo + ((hi - lo) * i) / (points - 1);
    let v = i === 0 ? dist.low : i === points - 1 ? dist.high : dist.log ? Math.exp(t) : t;
    if (dist.step !== null) v = Math.min(dist.high, dist.low + Math.round((v - dist.low) / dist.step) * dist.step);
    // Printed as written: 0.01, not exp(ln 1e-4 + ½ ln 1e4) = 0.010000000000000002.
    if (dist.kind === "float") v = Number(v.toPrecision(12));
    if (!values.includes(v)) values.push(v);
  }
  return values;
}
