// Node's workers for the wasm backend's threads (worker_threads), registered by the Node entry; the core stays free
// of Node built-ins. Workers are unref'd: a process whose work is done exits with them still waiting for jobs.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { setWasmWorkerHost } from "../threads.js";

/** Lets the wasm backend run its products on worker_threads (one thread per core by default, at most MAX_WASM_THREADS). */
export function registerWasmWorkers(): void {
  setWasmWorkerHost({
    spawn(body) {
      // No execArgv: the worker needs none of the process's flags (an --input-type=module or --import would apply to it too).
      const worker = new Worker(`import("node:worker_threads").then((w) => w.parentPort.once("message", ${body}));`, { eval: true, execArgv: [] });
      // A worker that fails to start never joins: products stay on one thread (threads.ts), nothing is thrown here.
      worker.on("error", () => undefined);
      worker.unref();
      return worker;
    },
    defaultThreads: availableParallelism(),
  });
}
