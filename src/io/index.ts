export { writeFileAtomic, appendLineDurable } from "./atomic-write.js";
export { RunDir } from "./run-dir.js";
export { encodeSafetensors, decodeSafetensors, type TensorMap, type SafetensorsContents, type SafetensorsReadOptions } from "./safetensors.js";
export { saveSafetensors, loadSafetensors } from "./safetensors-file.js";
