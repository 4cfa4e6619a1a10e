import { OptionError } from "../../errors.js";
import { checkOptions, positiveInt, required, type OptionsOf } from "../../options.js";
import { reductionFactorCheck } from "./successive-halving-pruner.js";

const BRACKETS = {
  /** r_min: the least resource (epochs) a configuration gets (required). */
  minResource: required<number>(positiveInt),
  /** R: the most resource one configuration gets (required). */
  maxResource: required<number>(positiveInt),
  /** η (required). */
  reductionFactor: required<number>(reductionFactorCheck),
};
export interface HyperbandBracketsOptions extends OptionsOf<typeof BRACKETS> {}

/** One bracket of Hyperband: its index s and its successive-halving rounds. */
export interface HyperbandBracket {
  readonly s: number;
  /** Round i: n_i configurations, each trained with r_i resource. */
  readonly rounds: readonly { readonly n: number; readonly r: number }[];
}

/**
 * The brackets of Hyperband exactly as Li et al. 2018 (JMLR 18, "Hyperband: A Novel Bandit-Based
 * Approach to Hyperparameter Optimization"), Algorithm 1 compute them, with R = maxResource/minResource
 * in units of minResource: s_max = ⌊log_η R⌋ (an exact integer count, not a float log),
 * B = (s_max+1)R; for s = s_max … 0: n = ⌈B/R · η^s/(s+1)⌉, r = R·η^−s; round i keeps
 * n_i = ⌊n·η^−i⌋ configurations at r_i = r·η^i, times minResource (= maxResource·η^(i−s)).
 * For R = 81, η = 3 this is the paper's Table 1. r_i is the paper's real number; it is an
 * integer when R is a power of η.
 *
 * KerasTuner's Hyperband (HyperbandOracle._get_size/_get_epochs) rounds up where the paper floors:
 * a round keeps ⌈⌈1 + log_η R⌉/(s+1) · η^(s−i)⌉ configurations (the paper: ⌊n·η^−i⌋) for
 * ⌈R/η^(s−i)⌉ epochs (the paper: R·η^(i−s), a real number). So even at R = 81, η = 3 its later
 * rounds keep more than Table 1: s = 3 keeps 34, 12, 4, 2 (paper 34, 11, 3, 1), s = 2 keeps
 * 15, 5, 2 (paper 15, 5, 1), s = 1 keeps 8, 3 (paper 8, 2). Where R is not a power of η the
 * first rounds differ too: at R = 100, η = 3 its bracket 4 starts 98 configurations at 2 epochs
 * (⌈1 + log₃ 100⌉ = 6 in the size formula), the paper's 81 at 100/81 ≈ 1.23. Optuna's
 * HyperbandPruner uses the paper's n per bracket as its trial budget, but takes
 * the bracket count from a float log (see HyperbandPruner).
 */
export function hyperbandBrackets(options: HyperbandBracketsOptions): HyperbandBracket[] {
  const o = checkOptions("mn.tune.hyperbandBrackets", options, BRACKETS);
  if (o.maxResource < o.minResource) {
    throw new OptionError({ where: "mn.tune.hyperbandBrackets", what: "maxResource must be at least minResource", expected: `maxResource ≥ ${o.minResource}`, got: String(o.maxResource) });
  }
  const eta = o.reductionFactor;
  let sMax = 0;
  while (o.minResource * eta ** (sMax + 1) <= o.maxResource) sMax++;
  const brackets: HyperbandBracket[] = [];
  for (let s = sMax; s >= 0; s--) {
    // n = ⌈(s_max+1)·η^s/(s+1)⌉ in integers: B/R = s_max+1.
    const n = Math.ceil(((sMax + 1) * eta ** s) / (s + 1));
    const rounds: { n: number; r: number }[] = [];
    for (let i = 0; i <= s; i++) {
      rounds.push({ n: Math.floor(n / eta ** i), r: o.maxResource / eta ** (s - i) });
    }
    brackets.push({ s, rounds });
  }
  return brackets;
}
