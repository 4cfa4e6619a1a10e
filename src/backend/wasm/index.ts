import type { TypedArray } from "../../tensor/dtype.js";
import type { Kernels } from "../kernels.js";
import { jsKernels } from "../js/index.js";
import { convKernels } from "./conv.js";
import { eagerMethods, type WasmKernelSet } from "./kernel.js";
import { matmulKernels } from "./matmul.js";
import { instantiateWasm, type WasmModule } from "./module.js";
import { compileWasmPlan } from "./plan.js";
import { poolKernels } from "./pool.js";

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

/** Every kernel the module runs, one spread per file of src/backend/wasm. */
const wasmKernelSet: WasmKernelSet = {
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
};

/**
 * The wasm backend's kernels: float32 work on the module built from native/wasm (SIMD128); float64 and the
 * kernels it lacks run on the js table (registerBackend completes it). A captured step's plan keeps its arrays in
 * the module's memory (plan.ts).
 */
export function wasmKernels(mod: WasmModule = instantiateWasm()): Partial<Kernels> & { name: string } {
  const eager = eagerMethods(mod, wasmKernelSet);
  const table: Kernels = { ...jsKernels, ...eager, name: "wasm" };
  return {
    name: "wasm",
    ...eager,
    compilePlan: (calls) => compileWasmPlan(mod, wasmKernelSet, table, calls),
  };
}
