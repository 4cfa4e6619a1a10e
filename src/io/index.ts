export { encodeSafetensors, decodeSafetensors, type TensorMap } from "./safetensors.js";
