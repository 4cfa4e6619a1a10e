export { encodeSafetensors, decodeSafetensors, type TensorMap, type SafetensorsContents, type SafetensorsReadOptions } from "./safetensors.js";
