export * from "./index.js";
// The Node entry's fit, and compare's runs, draw the progress bar `verbose` asks for (the core's have none to draw).
export { fit } from "./fit-node.js";
export { compare } from "./compare-node.js";
export { saveCheckpoint, loadCheckpoint, hasCheckpoint } from "./checkpoint-files.js";
export * as callbacks from "./callbacks/index.node.js";
