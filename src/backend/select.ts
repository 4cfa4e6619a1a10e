import { BackendError } from "../errors.js";
import type { Kernels } from "./kernels.js";
import { jsKernels } from "./js/index.js";
import { NATIVE_FIX } from "./native/addon.js";
import { nativeKernels, nativeStatus, setNumThreads } from "./native/index.js";

const registry = new Map<string, Kernels>([["js", jsKernels]]);
if (nativeStatus.loaded) registry.set("native", { ...jsKernels, ...nativeKernels() });
/** The default: native when its addon loaded, else js. */
let active: Kernels = registry.get("native") ?? jsKernels;
let chosen = false;

/**
 * Registers a backend under its name. A backend that implements only some kernels is
 * completed from the js table, so it can take over kernel by kernel.
 */
export function registerBackend(kernels: Partial<Kernels> & { name: string }): void {
  registry.set(kernels.name, { ...jsKernels, ...kernels });
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
  const k = registry.get(name);
  if (!k) {
    throw new BackendError({ where: "setBackend", what: `unknown backend "${name}"`, expected: `one of ${listBackends().join(", ")}` });
  }
  active = k;
  chosen = true;
}

/** The name of the backend in use. */
export function getBackend(): string {
  return kernels().name;
}

/** The active kernel table; on first use, honours MINIMA_BACKEND and MINIMA_NUM_THREADS. */
export function kernels(): Kernels {
  if (!chosen) {
    chosen = true;
    const env = typeof process !== "undefined" ? process.env : {};
    if (env?.["MINIMA_NUM_THREADS"]) setNumThreads(Number(env["MINIMA_NUM_THREADS"]));
    if (env?.["MINIMA_BACKEND"]) setBackend(env["MINIMA_BACKEND"]);
  }
  return active;
}

/** What `minima info` says about the compute backend: the one in use, and native's state in one line. */
export function backendReport(): { backend: string; native: string; threads: string } {
  const backend = kernels().name;
  if (!nativeStatus.loaded) {
    return { backend, native: `not available: ${nativeStatus.reason} (fix: ${NATIVE_FIX})`, threads: "1 (the js backend runs on the main thread)" };
  }
  const cpu = nativeStatus.addon.cpuInfo();
  const conv = cpu.dnnl ? `, convolutions on ${cpu.dnnl}` : ", convolutions as im2col + GEMM (no oneDNN: apt-get install libdnnl-dev, then node native/build.mjs)";
  return { backend, native: `loaded: ${cpu.simd}, ${cpu.blas.split(" ").slice(0, 2).join(" ")}${conv}`, threads: `${cpu.threads} of ${cpu.cores} cores (MINIMA_NUM_THREADS)` };
}
