// The page script of wasm-kernels.test.ts: runs the product cases on the wasm table in Chromium and returns what each
// wrote as bit patterns (so NaN payloads, -0 and ±∞ survive the trip to Node). Node's test runner loads this file too:
// there, outside a browser page, it does nothing.
import { jsKernels } from "../../../src/backend/js/index.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { PRODUCT_CASES } from "./product-cases.js";

/** Each case's outputs, each output's elements as int32 bit patterns. */
export function productBits(table = { ...jsKernels, ...wasmKernels() }): number[][][] {
  return PRODUCT_CASES.map((c) => c.run(table).map((out) => Array.from(new Int32Array(out.buffer, out.byteOffset, out.length))));
}

if ((globalThis as { document?: unknown }).document !== undefined) Object.assign(globalThis, { productBits });
