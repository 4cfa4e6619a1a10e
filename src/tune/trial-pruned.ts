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

/** Thrown by study.ask() when the sampler can create no new trial (a finished grid); optimize() ends quietly on it. */
export class SearchExhausted extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SearchExhausted";
  }
}
