// The browser core's own wasm backend: made on first need from the module the core carries, with no platform entry
// involved (a page or a Web Worker imports the core alone). Nothing here runs at import.
import type { Kernels } from "../kernels.js";
import type { Unavailable } from "../select.js";
import { wasmKernels } from "./index.js";
import { WASM_BINARY, WASM_MISSING } from "./binary.generated.js";
import { hasWasmSimd, instantiateWasm } from "./module.js";

/** Whether this runs outside Node: a browser's page or worker (Node's entry sets its own default). */
export function outsideNode(): boolean {
  return (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === undefined;
}

/** What a browser lacking WebAssembly SIMD needs. */
const SIMD_FIX = "use a browser with WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4 or later)";

/**
 * The wasm kernel table, its module compiled and instantiated now (synchronously: a page's main thread allows
 * that up to 8 MB in Chromium; `await mn.ready()` compiles it asynchronously first), or why it cannot run here.
 */
export function wasmTable(): { table: Partial<Kernels> & { name: string } } | { why: Unavailable } {
  if (WASM_BINARY === null) return { why: { reason: "minima was built without its wasm module", fix: `rebuild it (${WASM_MISSING})` } };
  if (!hasWasmSimd()) return { why: { reason: "this JavaScript engine has no WebAssembly SIMD", fix: SIMD_FIX } };
  try {
    return { table: wasmKernels(instantiateWasm()) };
  } catch (e) {
    // A RangeError: the engine refuses a synchronous compile this large here; else a Content-Security-Policy without 'wasm-unsafe-eval'.
    const fix = e instanceof RangeError ? "call await mn.ready() before the first tensor op" : "allow 'wasm-unsafe-eval' in the page's Content-Security-Policy (script-src)";
    return { why: { reason: `the wasm module did not load (${(e as Error).message})`, fix } };
  }
}

/** The console line a browser prints, once, when the core runs on js because wasm cannot run there. */
export function browserNotice(why: Unavailable): string {
  return `minima: running on the js backend, slower than wasm: ${why.reason}. Fix: ${why.fix}. (mn.setBackend("js") chooses js and silences this.)`;
}
