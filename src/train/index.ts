export { trainEpoch, evaluate, type LossFn, type BatchEnd, type EpochHooks } from "./epoch.js";
