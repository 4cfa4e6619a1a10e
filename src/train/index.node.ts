export * from "./index.js";
// The Node entry's fit draws the progress bar `verbose` asks for (the core's has none to draw).
export { fit } from "./fit-node.js";
export { saveCheckpoint, loadCheckpoint, hasCheckpoint } from "./checkpoint-files.js";
export * as callbacks from "./callbacks/index.node.js";
