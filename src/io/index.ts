export { writeFileAtomic, appendLineDurable } from "./atomic-write.js";
export { RunDir } from "./run-dir.js";
export { saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors, type TensorMap } from "./safetensors.js";
export {
  encodeRecord, parseRunLog, parseRunLogHeader, runLogHeader, RUN_LOG_FORMAT, RUN_LOG_VERSION,
  type RunRecord, type HeaderRecord, type StepRecord, type LayerRecord, type EventRecord, type EpochRecord, type EndRecord,
  type RunLog, type LoggedDiagnosis, type LoggedFinding,
} from "./run-log.js";
export { writeRunLog, appendRunLog, readRunLog, readRunLogHeader } from "./run-log-file.js";
