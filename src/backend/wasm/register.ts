import { listBackends, markUnavailable, registerBackend } from "../select.js";
import { wasmKernels } from "./index.js";
import { wasmUnavailable } from "./module.js";

const FIX = "apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32, then npm run build in minima's folder";
let registered = false;

/**
 * Registers the wasm backend (the module built from native/wasm), so `mn.setBackend("wasm")` and MINIMA_BACKEND=wasm
 * choose it; or records why it cannot run here. `preferred` makes it the default; by default it is preferred when
 * the native backend is not registered (Node without the addon: wasm runs instead of js, and the notice says so).
 */
export function registerWasmBackend(options: { preferred?: boolean } = {}): void {
  if (registered) return;
  registered = true;
  const why = wasmUnavailable();
  if (why) {
    // Only the default backend's absence earns a notice; this one's shows when asked for (setBackend, MINIMA_BACKEND).
    markUnavailable("wasm", { reason: why, fix: FIX }, { notice: false });
    return;
  }
  registerBackend(wasmKernels(), { preferred: options.preferred ?? !listBackends().includes("native") });
}
