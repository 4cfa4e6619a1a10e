/**
 * The attributes minima keeps on studies and trials where Optuna has no field. System attrs carry a
 * "minima:" prefix so they never meet Optuna's own (fixed_params, completed_rung_0, failed_trial,
 * retry_history), which minima reads and writes under Optuna's names.
 */
export const ATTR = {
  /** Trial: the training budget (epochs) a sampler or pruner gave this trial. */
  budget: "minima:budget",
  /** Trial: the run folder of the trial (CLI). */
  runDir: "minima:run_dir",
  /** Trial: the latest checkpoint the trial committed (a path or URI). */
  checkpoint: "minima:checkpoint",
  /** Trial (a retry or a promotion): the checkpoint to resume from. */
  resumeFrom: "minima:resume_from",
  /** Trial: the rung at which an ASHA trial paused, waiting for promotion. */
  pausedAtRung: "minima:paused_at_rung",
  /** Trial: the coarse-to-fine stage (1, 2, …) the trial belongs to. */
  c2fStage: "minima:c2f_stage",
  /** Study: the box a coarse-to-fine stage samples ({ lr: { low, high, log }, act: { choices } }), for workers and the report. */
  c2fBox: (stage: number) => `minima:c2f:stage:${stage}`,
  /** Study: the sampler's and pruner's names and settings, for `study show` and the report. */
  sampler: "minima:sampler",
  pruner: "minima:pruner",
  /** Study: the metric the objective returns (valLoss, valAccuracy…), for reports. */
  metric: "minima:metric",
} as const;

/** Optuna's own attribute names, written and read as Optuna does. */
export const OPTUNA_ATTR = {
  fixedParams: "fixed_params",
  failedTrial: "failed_trial",
  retryHistory: "retry_history",
  failReason: "fail_reason",
  completedRung: (rung: number) => `completed_rung_${rung}`,
} as const;

/** User attr holding minima's diagnosis of a trial's run (shown by optuna-dashboard with the other user attrs). */
export const DIAGNOSIS_USER_ATTR = "diagnosis";
