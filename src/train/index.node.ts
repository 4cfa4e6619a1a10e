export * from "./index.js";
export { saveCheckpoint, loadCheckpoint, hasCheckpoint } from "./checkpoint-files.js";
export * as callbacks from "./callbacks/index.node.js";
