export { AveragedModel, type AveragedModelOptions, type AvgFn } from "./averaged-model.js";
export { updateBn, type RunningStats } from "./update-bn.js";
export { SWALR } from "../../schedule/swa-lr.js";
