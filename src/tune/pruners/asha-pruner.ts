import { checkOptions, nonNegativeInt, option, positiveInt, required, type OptionsOf, type Resolved } from "../../options.js";
import { ATTR, OPTUNA_ATTR } from "../attrs.js";
import type { FrozenTrial } from "../frozen-trial.js";
import { isPaused, pausedRung } from "../pause.js";
import type { Pruner } from "../pruner.js";
import type { Study } from "../study.js";
import type { Trial } from "../trial.js";
import { ascending, lastStep, type StudyView } from "./intermediate.js";
import { currentRung, estimateMinResource, inTopOfRung, recordOnTrial, rungValues } from "./rungs.js";
import { autoOrPositiveInt, reductionFactorCheck } from "./successive-halving-pruner.js";

const ASHA = {
  /** The step at which a trial is fully trained (its last report: --epochs): never paused there, it completes (required). */
  maxResource: required<number>(positiveInt),
  /** Steps before the first rung (rung k at minResource·η^(minEarlyStoppingRate+k)); "auto" as SuccessiveHalvingPruner's (default "auto"). */
  minResource: option<number | "auto">("auto", autoOrPositiveInt),
  /** η: a rung promotes the top 1/η of the trials that reached it (default 4, as Optuna's successive halving). */
  reductionFactor: option(4, reductionFactorCheck),
  /** s: the first rung sits at minResource·η^s (default 0). */
  minEarlyStoppingRate: option(0, nonNegativeInt),
};
export interface AshaPrunerOptions extends OptionsOf<typeof ASHA> {}

/**
 * ASHA with promotion (Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning",
 * Alg. 2), which neither Optuna nor Ray Tune does: a trial that reaches a rung records its value
 * there (completed_rung_k, as Optuna's successive halving) and goes on if it is within the top
 * ⌊n/η⌋ of the n trials that reached that rung so far; otherwise it pauses instead of being
 * pruned: shouldPrune() is true, the trial's checkpoint (system attr minima:checkpoint, which the
 * objective keeps current) becomes minima:resume_from, minima:paused_at_rung = k, and
 * study.optimize tells it WAITING (ask/tell users: study.tell(trial, "WAITING")). When later
 * trials reach the rung and the paused one is now in the top ⌊n/η⌋, it is promotable: study.ask()
 * claims promotable trials (highest rung first, then best value) before enqueued or new ones, so a
 * free worker resumes it from its checkpoint, bit for bit, under a new lease. Ordinary claims pass
 * paused trials by. A trial with no checkpoint cannot be resumed: it is pruned, with a warning.
 * With mn.train.fit, pause by ctx.stop() in an epoch-end callback and let ModelCheckpoint save the
 * epoch; the checkpoint then records the stop, so the resumed run clears it
 * (checkpoint.state.history.stopReason = null), or fit would end at once.
 * A trial that arrives in the top ⌊n/η⌋ goes on at once, which is the paper's pause followed by
 * its own immediate promotion. A trial that reaches maxResource is never paused: it completes. Trials never promoted stay WAITING when the search ends. Each resume
 * counts as one trial of study.optimize's nTrials.
 */
export class AshaPruner implements Pruner {
  readonly name = "asha";
  private readonly o: Resolved<typeof ASHA>;
  private minResource: number | null;

  constructor(options: AshaPrunerOptions) {
    this.o = checkOptions("AshaPruner", options, ASHA);
    this.minResource = this.o.minResource === "auto" ? null : this.o.minResource;
  }

  spec(): Record<string, unknown> {
    return { name: this.name, ...this.o };
  }

  prune(study: StudyView & { warn?(message: string): void }, trial: FrozenTrial, live?: Trial): boolean {
    const step = lastStep(trial);
    if (step === null || step >= this.o.maxResource) return false;
    const value = trial.intermediateValues.get(step)!;
    let rung = currentRung(trial);
    for (;;) {
      if (this.minResource === null) {
        this.minResource = estimateMinResource(study.getTrials());
        if (this.minResource === null) return false;
      }
      if (step < this.minResource * this.o.reductionFactor ** (this.o.minEarlyStoppingRate + rung)) return false;
      if (Number.isNaN(value)) return true;
      const trials = study.getTrials();
      recordOnTrial("AshaPruner", live, trial, OPTUNA_ATTR.completedRung(rung), value);
      if (!inTopOfRung(value, [...rungValues(trials, rung), value], this.o.reductionFactor, study.direction)) break;
      rung++;
    }
    const checkpoint = trial.systemAttrs[ATTR.checkpoint];
    if (checkpoint === undefined || checkpoint === null) {
      study.warn?.(`AshaPruner: trial ${trial.number} has no checkpoint (system attr ${ATTR.checkpoint}), so it could not be resumed; it is pruned at rung ${rung} instead of paused`);
      return true;
    }
    recordOnTrial("AshaPruner", live, trial, ATTR.resumeFrom, checkpoint);
    recordOnTrial("AshaPruner", live, trial, ATTR.pausedAtRung, rung);
    return true;
  }

  /** The paused trials now within the top ⌊n/η⌋ of their rung: highest rung first, then best value, then oldest. */
  promotable(study: Study): readonly FrozenTrial[] {
    const trials = study.trials;
    const candidates: { trial: FrozenTrial; rung: number; value: number }[] = [];
    for (const t of trials) {
      if (!isPaused(t)) continue;
      const rung = pausedRung(t)!;
      const value = t.systemAttrs[OPTUNA_ATTR.completedRung(rung)];
      if (typeof value !== "number") continue;
      if (inTopOfRung(value, rungValues(trials, rung), this.o.reductionFactor, study.direction)) candidates.push({ trial: t, rung, value });
    }
    const sign = study.direction === "maximize" ? -1 : 1;
    candidates.sort((a, b) => b.rung - a.rung || sign * ascending(a.value, b.value) || a.trial.number - b.trial.number);
    return candidates.map((c) => c.trial);
  }
}
