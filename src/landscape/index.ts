// The shape of the loss: surfaces and trajectories, the Hessian of real networks, sharpness and slices. Browser-clean.
export { hessian, HessianOperator, type Batch, type HessianOptions } from "./hessian.js";
export { denseOperator, type LinearOperator } from "./linear-operator.js";
export { topEigen, type TopEigenOptions } from "./linalg/eigen.js";
export { powerIteration, type PowerOptions } from "./linalg/power.js";
export { spectralRadius } from "./spectral-radius.js";
