export { trainEpoch, evaluate, type LossFn, type BatchEnd } from "./epoch.js";
