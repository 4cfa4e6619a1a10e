import type { Kernels } from "../kernels.js";
import { jsKernels } from "../js/index.js";
import { convKernels } from "./conv.js";
import { eagerMethods, type WasmKernelSet } from "./kernel.js";
import { matmulKernels } from "./matmul.js";
import { instantiateWasm, type WasmModule } from "./module.js";
import { compileWasmPlan } from "./plan.js";
import { poolKernels } from "./pool.js";
import { elementwiseKernels } from "./elementwise.js";
import { layoutKernels } from "./layout.js";
import { normalizeKernels } from "./normalize.js";
import { optimizerKernels } from "./optimizer.js";
import { reduceKernels } from "./reduce.js";
import { smoothActivationKernels } from "./smooth-activations.js";

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
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
  ...elementwiseKernels,
  ...smoothActivationKernels,
  ...reduceKernels,
  ...layoutKernels,
  ...normalizeKernels,
  ...optimizerKernels,
};

/**
 * The wasm backend's kernels: float32 work on the module built from native/wasm (SIMD128); float64 and the
 * kernels it lacks run on the js table (registerBackend completes it). A captured step's plan keeps its arrays in
 * the module's memory (plan.ts).
 */
export function wasmKernels(mod: WasmModule = instantiateWasm(), options: WasmKernelOptions = {}): Partial<Kernels> & { name: string } {
  const eager = eagerMethods(mod, wasmKernelSet, options.jsBelow ?? JS_BELOW);
  const table: Kernels = { ...jsKernels, ...eager, name: "wasm" };
  return {
    name: "wasm",
    ...eager,
    compilePlan: (calls) => compileWasmPlan(mod, wasmKernelSet, table, calls),
    setNumThreads: (n) => mod.threads?.set(n),
    numThreads: () => mod.threads?.count ?? 1,
    ready: async () => { if (mod.threads && mod.threads.count > 1) await mod.threads.ready(); },
  };
}
