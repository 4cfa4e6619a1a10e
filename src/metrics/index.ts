export { accuracy, countCorrect } from "./accuracy.js";
