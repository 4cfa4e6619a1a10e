export { encodeSafetensors, decodeSafetensors, type TensorMap, type SafetensorsContents, type SafetensorsReadOptions } from "./safetensors.js";
export {
  encodeRecord, parseRunLog, parseRunLogHeader, runLogHeader, RUN_LOG_FORMAT, RUN_LOG_VERSION,
  type RunRecord, type HeaderRecord, type StepRecord, type LayerRecord, type EventRecord, type EpochRecord, type EndRecord,
  type RunLog, type LoggedDiagnosis, type LoggedFinding,
} from "./run-log.js";
