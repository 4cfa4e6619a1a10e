import { getBackend } from "../select.js";
import { outsideNode } from "./browser.js";
import { compileWasm, wasmUnavailable } from "./module.js";

/**
 * Resolves with the backend minima runs on, once it is ready. In a browser it first compiles the wasm module
 * asynchronously, so the first tensor op does not compile it on the spot (a page's main thread then never blocks
 * on it, and engines that refuse a large synchronous compile there still get wasm). Optional: without it the
 * first op picks the backend itself. In Node it resolves with the backend the entry chose.
 * @example const backend = await mn.ready(); // "wasm" in a browser with WebAssembly SIMD
 */
export async function ready(): Promise<string> {
  if (outsideNode() && wasmUnavailable() === null) {
    // A failed compile (a Content-Security-Policy without 'wasm-unsafe-eval') is reported by the first op's choice.
    await compileWasm().catch(() => undefined);
  }
  return getBackend();
}
