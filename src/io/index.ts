export { encodeSafetensors, decodeSafetensors, type TensorMap, type SafetensorsContents, type SafetensorsReadOptions } from "./safetensors.js";
export {
  encodeModel, decodeModel, modelFromSafetensors, modelMetadata, readModelMetadata, MODEL_FORMAT, MODEL_FORMAT_VERSION,
  type ModelInfo, type LoadedModel,
} from "./saved-model.js";
