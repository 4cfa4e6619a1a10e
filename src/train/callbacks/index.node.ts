export * from "./index.js";
export { ModelCheckpoint, type ModelCheckpointOptions } from "./model-checkpoint.js";
export { JsonlLogger, type JsonlLoggerOptions } from "./jsonl-logger.js";
export { CSVLogger, type CSVLoggerOptions } from "./csv-logger.js";
export { ProgressBar } from "./progress-bar.js";
export { EpochWeights, epochWeightsFile, listEpochWeights, type EpochWeightsOptions } from "./epoch-weights.js";
