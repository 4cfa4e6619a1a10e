export { writeFileAtomic, appendLineDurable } from "./atomic-write.js";
export { RunDir } from "./run-dir.js";
export { saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors, type TensorMap } from "./safetensors.js";
