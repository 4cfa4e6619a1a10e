import type { TypedArray } from "../../tensor/dtype.js";
import type { Kernels } from "../kernels.js";
import { jsKernels } from "../js/index.js";
import { elementwiseKernels } from "./elementwise.js";
import { layoutKernels } from "./layout.js";
import { instantiateWasm, type WasmModule } from "./module.js";
import { normalizeKernels } from "./normalize.js";
import { optimizerKernels } from "./optimizer.js";
import { eagerMethods, type WasmKernelSet } from "./placement.js";
import { reduceKernels } from "./reduce.js";
import { smoothActivationKernels } from "./smooth-activations.js";

/**
 * Runs `body` with each array copied into the module's memory: `inputs` copied in, `outputs` allocated (and
 * copied back after), pointers passed in that order; the blocks are freed after.
 */
export function onWasm(mod: WasmModule, inputs: readonly TypedArray[], outputs: readonly TypedArray[], body: (ptrs: number[]) => void): void {
  const all = [...inputs, ...outputs];
  const ptrs = all.map((a) => mod.alloc(a.byteLength));
  try {
    inputs.forEach((a, i) => new Uint8Array(mod.exports.memory.buffer, ptrs[i]!, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
    body(ptrs);
    outputs.forEach((a, j) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(new Uint8Array(mod.exports.memory.buffer, ptrs[inputs.length + j]!, a.byteLength)));
  } finally {
    for (const p of ptrs) mod.release(p);
  }
}

/**
 * Eager calls on fewer elements than this run on js where it gives the same bits: below it the copies in and out
 * and the crossing (about 2 µs a call) cost more than js's loop (add and ReLU in Node 20: even at 256 elements, wasm ahead from 1,024).
 */
const JS_BELOW = 512;

export interface WasmKernelOptions {
  /** Eager calls on fewer elements run on js where js gives the same bits (default 512; 0: every call on wasm, as tests want). */
  jsBelow?: number;
}

/**
 * Every kernel the module runs, one spread per file of src/backend/wasm: eager calls copy their arrays in and out
 * (eagerMethods), a captured plan runs the same kernels on arrays it keeps in the module's memory.
 */
export const wasmKernelSet: WasmKernelSet = {
  ...elementwiseKernels,
  ...smoothActivationKernels,
  ...reduceKernels,
  ...layoutKernels,
  ...normalizeKernels,
  ...optimizerKernels,
};

/**
 * The wasm backend's kernels: float32 work on the module built from native/wasm (SIMD128); float64 and the
 * kernels it lacks run on the js table (registerBackend completes it).
 */
export function wasmKernels(mod: WasmModule = instantiateWasm(), options: WasmKernelOptions = {}): Partial<Kernels> & { name: string } {
  return {
    name: "wasm",
    ...eagerMethods(mod, wasmKernelSet, options.jsBelow ?? JS_BELOW),
    matmul(a, b, out, batch, m, n, k, transA, transB, aStride, bStride) {
      if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
        jsKernels.matmul(a, b, out, batch, m, n, k, transA, transB, aStride, bStride);
        return;
      }
      onWasm(mod, [a, b], [out], ([pa, pb, po]) =>
        mod.exports.matmul_f32(pa!, pb!, po!, batch, m, n, k, transA ? 1 : 0, transB ? 1 : 0, aStride, bStride));
    },
  };
}
