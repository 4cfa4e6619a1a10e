// The Web Worker the browser guard test bundles with the core (platform "browser"): it runs the job and posts the numbers.
import * as mn from "../../src/index.js";
import { runJob } from "./job.js";

declare function postMessage(message: unknown): void;

try {
  postMessage({ ok: true, result: runJob(mn), backend: mn.getBackend() });
} catch (e) {
  postMessage({ ok: false, error: String((e as Error).stack ?? e) });
}
