export * from "./index.js";
export { writeFileAtomic, appendLineDurable } from "./atomic-write.js";
export { RunDir } from "./run-dir.js";
export { lockRunDir, type RunLock } from "./run-lock.js";
export { saveSafetensors, loadSafetensors } from "./safetensors-file.js";
export { writeRunLog, appendRunLog, readRunLog, readRunLogHeader } from "./run-log-file.js";
