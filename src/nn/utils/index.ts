export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from "./clip-grad.js";
export { parametersToVector, vectorToParameters } from "./parameters-to-vector.js";
