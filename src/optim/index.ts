export { Optimizer, type GroupOptions, type ParamGroup, type Params, type Rule, type StepArgs, type OptimizerStateDict } from "./optimizer.js";
export { SGD, sgd, type SGDOptions } from "./sgd.js";
export * as lrScheduler from "../schedule/index.js";
