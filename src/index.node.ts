// The Node entry ("node" export condition of minima-ml): the core, plus file IO (safetensors and checkpoint
// files, run folders, IDX data sets, the embedded MNIST digits), the native backend, PNG charts and the
// progress bar. Importing it registers the native backend (or the notice that says why it is missing).
import { registerNativeBackend } from "./backend/native/register.js";
import { registerWasmBackend } from "./backend/wasm/register.js";
import { registerWasmWorkers } from "./backend/wasm/node/workers.js";

export * from "./index.js";
export * as nn from "./nn/index.node.js";
export * as io from "./io/index.node.js";
export * as data from "./data/index.node.js";
export * as train from "./train/index.node.js";
export * as report from "./report/index.node.js";
export * as tune from "./tune/index.node.js";

registerNativeBackend();
registerWasmWorkers();
registerWasmBackend();
