import type { FrozenTrial } from "./frozen-trial.js";
import type { Study } from "./study.js";

/** Decides from a running trial's intermediate values (and the study's other trials) whether to stop it (Optuna's BasePruner). */
export interface Pruner {
  readonly name: string;
  /** The pruner's name and options as JSON, stored in the study (minima:pruner) so workers that load the study rebuild it. */
  spec?(): Record<string, unknown>;
  prune(study: Study, trial: FrozenTrial): boolean;
}

/** Never prunes: the default. */
export class NopPruner implements Pruner {
  readonly name = "none";
  prune(): boolean {
    return false;
  }
}
