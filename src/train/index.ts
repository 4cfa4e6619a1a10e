export { evaluate, type LossFn } from "./evaluate.js";
export { fit, type FitOptions, type ScheduledLR } from "./fit.js";
export { compare, FINAL_METRICS, type CompareOptions, type CompareResult, type CompareRun, type FinalMetric, type OptimizerFactory, type OptimizerResult } from "./compare.js";
export type { SeedStat } from "./seed-stats.js";
export { History, type EpochLog, type StepLog, type LayerLog, type RunEvent, type MetricName, type HistoryJSON, type ScheduleLog } from "./history.js";
export type { Callback, FitContext, BatchLog, SchedulerLike } from "./callback.js";
export type { Checkpoint, TrainState, CheckpointJSON } from "./checkpoint.js";
export * as callbacks from "./callbacks/index.js";
export { diagnose, formatDiagnosis, type Diagnosis, type DiagnoseOptions, type Finding, type FindingKind, type Severity } from "./diagnose.js";
