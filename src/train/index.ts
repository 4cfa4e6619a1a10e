export { trainEpoch, evaluate, countCorrect, type LossFn, type BatchEnd } from "./epoch.js";
