// The core bundle's page script for wasm-backend.test.ts: on the page it awaits mn.ready() and trains (and offers
// inWorker(name)); in a Web Worker
// (the same script, started with ?scenario=…) it runs one scenario of the browser's backend choice. Each worker is a
// fresh copy of the core, so each scenario starts from nothing chosen. Node's test runner loads this file too: there,
// outside a browser, it does nothing.
import * as mn from "../../../src/index.js";
import { trainJob, type TrainResult } from "./train-job.js";

export interface ScenarioResult {
  /** listBackends() before the first op: what importing the core registered. */
  before: string[];
  backend: string;
  /** What mn.ready() resolved with (the page), or null. */
  ready: string | null;
  /** console.warn lines while the scenario ran. */
  warnings: string[];
  /** setBackend("wasm")'s error message, where the scenario tries it and it fails. */
  setWasmError: string | null;
  result: TrainResult;
}

/** What this file uses of a browser's Worker (the project compiles without the DOM's types). */
interface PageWorker { onmessage: ((e: { data: unknown }) => void) | null; onerror: ((e: { message: string }) => void) | null; terminate(): void }
declare const Worker: new (url: string) => PageWorker;

const scope = globalThis as unknown as { document?: unknown; WorkerGlobalScope?: unknown; location: { search: string }; postMessage(m: unknown): void };

async function scenario(name: string): Promise<ScenarioResult> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => { warnings.push(args.join(" ")); };
  try {
    const before = mn.listBackends();
    let ready: string | null = null, setWasmError: string | null = null;
    if (name === "page") ready = await mn.ready();
    if (name === "js") mn.setBackend("js");
    if (name === "no-simd") {
      // An engine without SIMD128 refuses the probe module; this one is made to.
      (globalThis as unknown as { WebAssembly: { validate(b: unknown): boolean } }).WebAssembly.validate = () => false;
      try { mn.setBackend("wasm"); } catch (e) { setWasmError = (e as Error).message; }
    }
    const result = trainJob(mn);
    return { before, backend: mn.getBackend(), ready, warnings, setWasmError, result };
  } finally {
    console.warn = warn;
  }
}

/** A scenario in a fresh Web Worker of this script; resolves with its message. */
function inWorker(name: string): Promise<{ ok: boolean; r?: ScenarioResult; error?: string }> {
  return new Promise((resolve) => {
    const w = new Worker(`/page.js?scenario=${name}`);
    w.onmessage = (e) => { resolve(e.data as { ok: boolean; r?: ScenarioResult }); w.terminate(); };
    w.onerror = (e) => resolve({ ok: false, error: e.message });
  });
}

if (scope.document !== undefined) {
  Object.assign(globalThis, { pageScenario: scenario("page"), inWorker });
} else if (scope.WorkerGlobalScope !== undefined) {
  const name = new URLSearchParams(scope.location.search).get("scenario") ?? "default";
  scenario(name).then((r) => scope.postMessage({ ok: true, r }), (e: Error) => scope.postMessage({ ok: false, error: String(e.stack ?? e) }));
}
