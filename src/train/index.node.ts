export * from "./index.js";
export { saveCheckpoint, loadCheckpoint, hasCheckpoint } from "./checkpoint.js";
export * as callbacks from "./callbacks/index.node.js";
