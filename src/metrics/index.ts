export { accuracy } from "./accuracy.js";
