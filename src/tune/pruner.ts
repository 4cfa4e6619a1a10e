import type { FrozenTrial } from "./frozen-trial.js";
import type { Study } from "./study.js";
import type { Trial } from "./trial.js";

/** Decides from a running trial's intermediate values (and the study's other trials) whether to stop it (Optuna's BasePruner). */
export interface Pruner {
  readonly name: string;
  /** The pruner's name and options as JSON, stored in the study (minima:pruner) so workers that load the study rebuild it (prunerFromSpec). */
  spec?(): Record<string, unknown>;
  /**
   * Whether to stop the trial now. `live` is the running trial (trial.shouldPrune passes it): pruners
   * that record their decisions on the trial (successive halving's completed_rung_k, ASHA's pause)
   * write through its lease.
   */
  prune(study: Study, trial: FrozenTrial, live?: Trial): boolean;
  /**
   * Paused (WAITING) trials to resume before any new trial, best first: study.ask() claims the first
   * it can (ASHA's promotion). Pruners that never pause trials leave it out.
   */
  promotable?(study: Study): readonly FrozenTrial[];
}

/** Never prunes: the default. */
export class NopPruner implements Pruner {
  readonly name = "none";
  spec(): Record<string, unknown> {
    return { name: this.name };
  }
  prune(): boolean {
    return false;
  }
}
