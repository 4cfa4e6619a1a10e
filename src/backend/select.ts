import { BackendError } from "../errors.js";
import type { Kernels } from "./kernels.js";
import { jsKernels } from "./js/index.js";

const registry = new Map<string, Kernels>([["js", jsKernels]]);
let active: Kernels = jsKernels;
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

/** The active kernel table; on first use, honours MINIMA_BACKEND. */
export function kernels(): Kernels {
  if (!chosen) {
    chosen = true;
    const wanted = typeof process !== "undefined" ? process.env?.["MINIMA_BACKEND"] : undefined;
    if (wanted) setBackend(wanted);
  }
  return active;
}
