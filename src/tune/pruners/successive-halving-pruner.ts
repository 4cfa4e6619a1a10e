import { checkOptions, nonNegativeInt, option, type Check, type OptionsOf, type Resolved } from "../../options.js";
import { OptionError } from "../../errors.js";
import { OPTUNA_ATTR } from "../attrs.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner } from "../pruner.js";
import type { Trial } from "../trial.js";
import { lastStep, type StudyView } from "./intermediate.js";
import { currentRung, estimateMinResource, promotableOptuna, recordOnTrial, rungValues } from "./rungs.js";

export const autoOrPositiveInt: Check = (v) => (v === "auto" || (Number.isInteger(v) && (v as number) >= 1) ? null : '"auto" or an integer ≥ 1');
export const reductionFactorCheck: Check = (v) => (Number.isInteger(v) && (v as number) >= 2 ? null : "an integer ≥ 2");

const SUCCESSIVE_HALVING = {
  /** Steps a trial runs before its first rung (rung k at minResource·η^(minEarlyStoppingRate+k)); "auto": a hundredth of the first completed trial's steps, as Optuna (default "auto"). */
  minResource: option<number | "auto">("auto", autoOrPositiveInt),
  /** η: the share of trials a rung lets through is 1/η (default 4). */
  reductionFactor: option(4, reductionFactorCheck),
  /** s: the first rung sits at minResource·η^s (default 0). */
  minEarlyStoppingRate: option(0, nonNegativeInt),
  /** Trials that must reach a rung before any goes on past it (default 0). */
  bootstrapCount: option(0, nonNegativeInt),
};
export interface SuccessiveHalvingPrunerOptions extends OptionsOf<typeof SUCCESSIVE_HALVING> {}

/**
 * Asynchronous successive halving as Optuna 3.1 runs it: when a trial reaches a rung's step it
 * records its value there (system attr completed_rung_k, so Optuna sharing the study agrees) and
 * goes on only if the value is within the best 1/η of the values recorded at that rung by any trial
 * so far (the best of them while fewer than η have); else it is pruned. For pausing instead of
 * pruning, with later promotion, see AshaPruner.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = "halving";
  private readonly o: Resolved<typeof SUCCESSIVE_HALVING>;
  /** Optuna's "auto" is estimated once per pruner object, from the first completed trial it sees. */
  private minResource: number | null;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    this.o = checkOptions("SuccessiveHalvingPruner", options, SUCCESSIVE_HALVING);
    if (this.o.bootstrapCount > 0 && this.o.minResource === "auto") {
      throw new OptionError({ where: "SuccessiveHalvingPruner", what: 'bootstrapCount > 0 needs a fixed minResource, not "auto"', expected: "minResource: an integer ≥ 1", got: `bootstrapCount ${this.o.bootstrapCount}` });
    }
    this.minResource = this.o.minResource === "auto" ? null : this.o.minResource;
  }

  spec(): Record<string, unknown> {
    return { name: this.name, ...this.o };
  }

  prune(study: StudyView, trial: FrozenTrial, live?: Trial): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    let rung = currentRung(trial);
    const value = trial.intermediateValues.get(step)!;
    let trials: FrozenTrial[] | null = null;
    for (;;) {
      if (this.minResource === null) {
        trials ??= study.getTrials();
        this.minResource = estimateMinResource(trials);
        if (this.minResource === null) return false;
      }
      const rungStep = this.minResource * this.o.reductionFactor ** (this.o.minEarlyStoppingRate + rung);
      if (step < rungStep) return false;
      if (Number.isNaN(value)) return true;
      trials ??= study.getTrials();
      recordOnTrial("SuccessiveHalvingPruner", live, trial, OPTUNA_ATTR.completedRung(rung), value);
      const competing = [...rungValues(trials, rung), value];
      if (competing.length <= this.o.bootstrapCount) return true;
      if (!promotableOptuna(value, competing, this.o.reductionFactor, study.direction)) return true;
      rung++;
    }
  }
}
