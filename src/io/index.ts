export { encodeSafetensors, decodeSafetensors, type TensorMap, type SafetensorsContents, type SafetensorsReadOptions } from "./safetensors.js";
export {
  encodeRecord, parseRunLog, parseRunLogHeader, runLogHeader, RunLogReader, RUN_LOG_FORMAT, RUN_LOG_VERSION,
  type RunRecord, type HeaderRecord, type StepRecord, type LayerRecord, type EventRecord, type EpochRecord, type EndRecord,
  type RunLog, type LoggedDiagnosis, type LoggedFinding,
} from "./run-log.js";
export {
  encodeModel, decodeModel, modelFromSafetensors, modelMetadata, readModelMetadata, MODEL_FORMAT, MODEL_FORMAT_VERSION,
  type ModelInfo, type LoadedModel,
} from "./saved-model.js";
