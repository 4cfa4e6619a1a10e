// The Web Worker the browser guard test bundles with the core (platform "browser"): it runs the job and posts the numbers.
import * as mn from "../../src/index.js";
import { runJob } from "./job.js";

declare const postMessage: ((message: unknown) => void) | undefined;

// Node's test runner also loads every file under dist/test/; there, outside a worker, this does nothing.
if (typeof postMessage === "function") {
  try {
    postMessage({ ok: true, result: runJob(mn), backend: mn.getBackend() });
  } catch (e) {
    postMessage({ ok: false, error: String((e as Error).stack ?? e) });
  }
}
