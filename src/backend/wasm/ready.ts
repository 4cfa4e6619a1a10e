import { getBackend, kernels } from "../select.js";
import { outsideNode } from "./browser.js";
import { compileWasm, wasmUnavailable } from "./module.js";

/**
 * Resolves with the backend minima runs on, once it is ready. In a browser it first compiles the wasm module
 * asynchronously, so the first tensor op does not compile it on the spot (a page's main thread then never blocks
 * on it, and engines that refuse a large synchronous compile there still get wasm). Optional: without it the
 * first op picks the backend itself. In Node it resolves with the backend the entry chose. Where the wasm backend
 * runs on threads (Node; a cross-origin-isolated page) it also starts its workers and waits until they run: products
 * before that run on one thread.
 * @example const backend = await mn.ready(); // "wasm" in a browser with WebAssembly SIMD
 */
export async function ready(): Promise<string> {
  if (outsideNode() && wasmUnavailable() === null) {
    // A failed compile (a Content-Security-Policy without 'wasm-unsafe-eval') is reported by the first op's choice.
    await compileWasm().catch(() => undefined);
  }
  const backend = getBackend();
  await kernels().ready?.();
  return backend;
}
