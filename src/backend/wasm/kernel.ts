import type { Kernels } from "../kernels.js";
import { jsKernels } from "../js/index.js";
import { callOnWasm, type WasmArrays } from "./arrays.js";
import type { WasmModule } from "./module.js";

/** The kernels of the contract a wasm kernel can stand in for (optimizerStep included; not convolution, the plan or threads). */
export type KernelName = Exclude<keyof Kernels, "name" | "convolution" | "compilePlan" | "setNumThreads" | "numThreads">;
type Kernel<K extends KernelName> = NonNullable<Kernels[K]>;
type Args<K extends KernelName> = Parameters<Kernel<K>>;

/**
 * One kernel on the module, written once for both ways its arrays can live there: copied in and out around each
 * call (the eager table) or kept there for a whole captured step (plan.ts). `run` gets the arrays' addresses from
 * `io`; calls it does not `take` (float64, say) run on the js kernel.
 */
export interface WasmKernel<K extends KernelName> {
  takes(...args: Args<K>): boolean;
  run(mod: WasmModule, io: WasmArrays, ...args: Args<K>): ReturnType<Kernel<K>>;
}

/** A set of wasm kernels by name (each file of src/backend/wasm exports one; index.ts spreads them together). */
export type WasmKernelSet = { [K in KernelName]?: WasmKernel<K> };

/**
 * The kernel table's methods for a set: each call on copies of its arrays, or on the js kernel when not taken (a
 * call of optimizerStep, which js lacks, then returns false: the rule runs its own loop).
 */
export function eagerMethods(mod: WasmModule, set: WasmKernelSet): Partial<Kernels> {
  const table: Record<string, unknown> = {};
  for (const [name, kernel] of Object.entries(set) as [KernelName, WasmKernel<KernelName>][]) {
    const js = (jsKernels[name] ?? (() => false)) as (...a: unknown[]) => unknown;
    table[name] = (...args: unknown[]) => {
      const a = args as unknown as Args<KernelName>;
      if (!(kernel.takes as (...x: unknown[]) => boolean)(...a)) return js(...args);
      let result: unknown;
      callOnWasm(mod, args, (io) => { result = (kernel.run as (m: WasmModule, io: WasmArrays, ...x: unknown[]) => unknown)(mod, io, ...a); });
      return result;
    };
  }
  return table as Partial<Kernels>;
}
