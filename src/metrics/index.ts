export { accuracy, countCorrect } from "./accuracy.js";
export { confusionMatrix } from "./confusion-matrix.js";
