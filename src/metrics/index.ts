export { accuracy, countCorrect } from "./accuracy.js";
export { confusionMatrix } from "./confusion-matrix.js";
export { perClassAccuracy, precisionRecallF1, type PrecisionRecallF1 } from "./per-class.js";
export { topKAccuracy } from "./top-k-accuracy.js";
export type { Metric, MetricFn, MetricSpec } from "./metric.js";
