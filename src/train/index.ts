export { evaluate, type LossFn } from "./evaluate.js";
export { fit, type FitOptions, type ScheduledLR } from "./fit.js";
export { predict, type PredictOptions } from "./predict.js";
export { formatEpoch } from "./epoch-line.js";
export { History, type EpochLog, type MetricValues, type StepLog, type LayerLog, type RunEvent, type MetricName, type HistoryJSON, type ScheduleLog } from "./history.js";
export type { Callback, FitContext, BatchLog, SchedulerLike } from "./callback.js";
export type { Checkpoint, TrainState, CheckpointJSON } from "./checkpoint.js";
export * as callbacks from "./callbacks/index.js";
export { diagnose, formatDiagnosis, type Diagnosis, type DiagnoseOptions, type Finding, type FindingKind, type Severity } from "./diagnose.js";
