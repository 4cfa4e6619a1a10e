export { grad, type GradOptions } from "./grad.js";
export { gradcheck, type GradcheckOptions } from "./gradcheck.js";
export { noGrad, enableGrad } from "./no-grad.js";
export { isGradEnabled } from "./tape.js";
export type { GradFn } from "./tape.js";
export type { BackwardOptions } from "./backward.js";
export * as functional from "./functional/index.js";
