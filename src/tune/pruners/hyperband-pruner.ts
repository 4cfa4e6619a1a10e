import { OptionError } from "../../errors.js";
import { checkOptions, nonNegativeInt, option, positiveInt, type OptionsOf, type Resolved } from "../../options.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Pruner } from "../pruner.js";
import type { Trial } from "../trial.js";
import type { TrialState } from "../trial-state.js";
import { crc32 } from "./crc32.js";
import { lastStep, type StudyView } from "./intermediate.js";
import { pythonLog } from "./python-log.js";
import { autoOrPositiveInt, reductionFactorCheck, SuccessiveHalvingPruner } from "./successive-halving-pruner.js";

const HYPERBAND = {
  /** Steps before a trial's first rung in the most aggressive bracket (default 1). */
  minResource: option(1, positiveInt),
  /** The most steps a trial runs; "auto": one more than the longest completed trial's last step (default "auto"). */
  maxResource: option<number | "auto">("auto", autoOrPositiveInt),
  /** η (default 3). */
  reductionFactor: option(3, reductionFactorCheck),
  /** As SuccessiveHalvingPruner's, for every bracket (default 0). */
  bootstrapCount: option(0, nonNegativeInt),
};
export interface HyperbandPrunerOptions extends OptionsOf<typeof HYPERBAND> {}

/**
 * Hyperband as Optuna 3.1 runs it: floor(log_η(max/min)) + 1 brackets, bracket s a successive-halving
 * pruner whose first rung is at minResource·η^s, judged only against the trials of its own bracket.
 * A trial's bracket is crc32("<study name>_<trial number>") modulo the sum of the brackets' trial
 * budgets ⌈B·η^s'/(s'+1)⌉ (s' = B−1−s, B brackets), as Optuna assigns it, so minima and Optuna
 * sharing a study put every trial in the same bracket. The bracket count uses Optuna's float
 * log, so it can be one less than the paper's where log_η(max/min) is an exact integer that the
 * float division misses (max 243, η 3: Optuna 5 brackets, hyperbandBrackets 6).
 */
export class HyperbandPruner implements Pruner {
  readonly name = "hyperband";
  private readonly o: Resolved<typeof HYPERBAND>;
  private maxResource: number | null;
  private brackets: SuccessiveHalvingPruner[] = [];
  private budgets: number[] = [];
  private totalBudget = 0;

  constructor(options: HyperbandPrunerOptions = {}) {
    this.o = checkOptions("HyperbandPruner", options, HYPERBAND);
    if (this.o.bootstrapCount > 0 && this.o.maxResource === "auto") {
      throw new OptionError({ where: "HyperbandPruner", what: 'bootstrapCount > 0 needs a fixed maxResource, not "auto"', expected: "maxResource: an integer ≥ 1", got: `bootstrapCount ${this.o.bootstrapCount}` });
    }
    this.maxResource = this.o.maxResource === "auto" ? null : this.o.maxResource;
  }

  spec(): Record<string, unknown> {
    return { name: this.name, ...this.o };
  }

  /** The trial allocation budget of each bracket (Optuna's _trial_allocation_budgets); empty until maxResource is known. */
  get bracketBudgets(): readonly number[] {
    return this.budgets;
  }

  prune(study: StudyView, trial: FrozenTrial, live?: Trial): boolean {
    if (this.brackets.length === 0) {
      this.initialize(study);
      if (this.brackets.length === 0) return false;
    }
    const id = this.bracketOf(study.studyName, trial.number);
    const bracketStudy: StudyView = {
      studyName: study.studyName,
      direction: study.direction,
      getTrials: (options?: { states?: readonly TrialState[] }) => study.getTrials(options).filter((t) => this.bracketOf(study.studyName, t.number) === id),
    };
    return this.brackets[id]!.prune(bracketStudy, trial, live);
  }

  /** The bracket (0 = the most aggressive) that Optuna puts the trial in; 0 before the brackets are known. */
  bracketOf(studyName: string, trialNumber: number): number {
    if (this.brackets.length === 0) return 0;
    let n = crc32(`${studyName}_${trialNumber}`) % this.totalBudget;
    for (let id = 0; id < this.budgets.length; id++) {
      n -= this.budgets[id]!;
      if (n < 0) return id;
    }
    throw new Error("unreachable: the budgets sum to totalBudget");
  }

  private initialize(study: StudyView): void {
    if (this.maxResource === null) {
      let longest: number | null = null;
      for (const t of study.getTrials({ states: ["COMPLETE"] })) {
        const last = lastStep(t);
        if (last !== null && (longest === null || last > longest)) longest = last;
      }
      if (longest === null) return;
      this.maxResource = longest + 1;
    }
    const eta = this.o.reductionFactor;
    const n = Math.floor(pythonLog(this.maxResource / this.o.minResource) / pythonLog(eta)) + 1; // Optuna's float log, not an exact count
    for (let id = 0; id < n; id++) {
      const s = n - 1 - id;
      const budget = Math.ceil((n * eta ** s) / (s + 1));
      this.budgets.push(budget);
      this.totalBudget += budget;
      this.brackets.push(new SuccessiveHalvingPruner({ minResource: this.o.minResource, reductionFactor: eta, minEarlyStoppingRate: id, bootstrapCount: this.o.bootstrapCount }));
    }
  }
}
