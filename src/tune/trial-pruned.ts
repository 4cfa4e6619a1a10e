/**
 * Thrown by an objective to stop its trial as PRUNED (Optuna's TrialPruned):
 * `if (trial.shouldPrune()) throw new mn.tune.TrialPruned();`
 */
export class TrialPruned extends Error {
  constructor(message = "the trial was pruned") {
    super(message);
    this.name = "TrialPruned";
  }
}
