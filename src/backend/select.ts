import { BackendError } from "../errors.js";
import type { Kernels } from "./kernels.js";
import { jsKernels } from "./js/index.js";
import { browserNotice, outsideNode, wasmTable } from "./wasm/browser.js";

/**
 * Which backend runs the kernels. The core knows js, and wasm where the engine has WebAssembly SIMD; a
 * platform entry registers more (the Node entry registers native when its addon loads, as the preferred
 * default) or says why one it expected is missing. Outside Node, where no entry registers a default, the
 * core picks wasm itself (browser.ts). Nothing here runs at import: MINIMA_BACKEND and MINIMA_NUM_THREADS
 * are read, the browser's default chosen, and a missing preferred backend reported, on the first kernel call.
 */
const registry = new Map<string, Kernels>([["js", jsKernels]]);
/** Backends a platform expected but could not load: why, and the fix for that cause. */
const unavailable = new Map<string, Unavailable>();
/** Unavailable backends the platform would not have made the default: setBackend explains them, no notice does. */
const silent = new Set<string>();
let active: Kernels = jsKernels;
let chosen = false;
/** Whether a platform entry registered its preferred default (then the core's browser default stays out of the way). */
let platformDefault = false;

/** Why a backend could not load (one clause) and the fix for that cause (one clause). */
export interface Unavailable {
  reason: string;
  fix: string;
}

export interface RegisterOptions {
  /** Make this backend the default (the Node entry's native backend). */
  preferred?: boolean;
}

/**
 * Registers a backend under its name. A backend that implements only some kernels is
 * completed from the js table, so it can take over kernel by kernel.
 */
export function registerBackend(kernels: Partial<Kernels> & { name: string }, options: RegisterOptions = {}): void {
  const complete = { ...jsKernels, ...kernels };
  registry.set(kernels.name, complete);
  unavailable.delete(kernels.name);
  if (options.preferred) platformDefault = true;
  if (options.preferred && !chosen) active = complete;
}

/**
 * Records that a backend the platform expected could not load, why and how to fix it: the first kernel
 * call says so once on stderr (fallbackNotice) unless a backend was chosen on purpose (MINIMA_BACKEND or
 * setBackend) or `notice` is false (a backend the platform would not have chosen by default), and
 * setBackend(name) fails with the reason.
 */
export function markUnavailable(name: string, why: Unavailable, options: { notice?: boolean } = {}): void {
  if (registry.has(name)) return;
  unavailable.set(name, why);
  if (options.notice === false) silent.add(name);
}

/** The one stderr line a process prints when the backend its platform prefers could not load and `running` runs instead. */
function fallbackNotice(name: string, why: Unavailable, running: string): string {
  return `minima: running on the ${running} backend, ${running === "js" ? "much " : ""}slower than ${name}: ${why.reason}. Fix: ${why.fix}. ` +
    `(MINIMA_BACKEND=${running} chooses ${running} and silences this.)`;
}

/** Names of the registered backends, "js" first. */
export function listBackends(): string[] {
  return [...registry.keys()];
}

/**
 * Selects the backend every op uses from now on.
 * @example mn.setBackend("js");
 */
export function setBackend(name: string): void {
  // In a browser, tried again after a failure: `await mn.ready()` may since have compiled what a synchronous compile could not.
  if (name === "wasm" && !registry.has("wasm") && (outsideNode() || !unavailable.has("wasm"))) addWasm();
  const k = registry.get(name);
  if (!k) {
    const why = unavailable.get(name);
    throw new BackendError({ where: "setBackend", what: why ? `the ${name} backend is not available: ${why.reason} (fix: ${why.fix})` : `unknown backend "${name}"`, expected: `one of ${listBackends().join(", ")}` });
  }
  active = k;
  chosen = true;
}

/** The name of the backend in use. */
export function getBackend(): string {
  return kernels().name;
}

/** The threads the backend in use runs its kernels on (1 for js, which runs on the calling thread). */
export function getNumThreads(): number {
  return kernels().numThreads?.() ?? 1;
}

/**
 * Sets the threads of every backend that has threads of its own (native: one pool runs its kernels
 * and splits its OpenBLAS products); the js backend always runs on the calling thread.
 * @example mn.setNumThreads(1);
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new BackendError({ where: "setNumThreads", what: "invalid thread count", expected: "a positive integer", got: String(n) });
  for (const k of registry.values()) k.setNumThreads?.(n);
}

/** The active kernel table; on first use, honours MINIMA_BACKEND and MINIMA_NUM_THREADS and reports a missing default backend. */
export function kernels(): Kernels {
  if (!chosen) {
    chosen = true;
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
    if (env["MINIMA_NUM_THREADS"]) setNumThreads(Number(env["MINIMA_NUM_THREADS"]));
    const wanted = env["MINIMA_BACKEND"];
    if (wanted) setBackend(wanted);
    else if (!platformDefault && outsideNode()) adoptBrowserDefault();
    else reportMissingDefault();
  }
  return active;
}

/** The core's own wasm table, registered on first need (setBackend("wasm"), or the browser's default); or why it cannot run. */
function addWasm(): void {
  const made = wasmTable();
  if ("table" in made) registerBackend(made.table);
  else markUnavailable("wasm", made.why);
}

/** The browser core's default (outside Node, where no platform entry set one): wasm where it runs, else js with one notice saying why. */
function adoptBrowserDefault(): void {
  if (!registry.has("wasm")) addWasm();
  const wasm = registry.get("wasm");
  if (wasm) active = wasm;
  else console.warn(browserNotice(unavailable.get("wasm")!));
}

/** One stderr line, once, when the backend the platform prefers could not load and nobody chose another. */
function reportMissingDefault(): void {
  for (const [name, why] of unavailable) if (!silent.has(name)) console.warn(fallbackNotice(name, why, active.name));
}

/**
 * Runs fn with `table` as the active kernel table, then restores the one before (also when fn throws). The
 * step capture (src/compile) runs a step through a recording wrapper of the active table this way.
 */
export function withKernels<T>(table: Kernels, fn: () => T): T {
  const before = kernels();
  active = table;
  try {
    return fn();
  } finally {
    active = before;
  }
}
