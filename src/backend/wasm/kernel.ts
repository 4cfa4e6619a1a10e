import type { TypedArray } from "../../tensor/dtype.js";
import type { Kernels } from "../kernels.js";
import { jsKernels } from "../js/index.js";
import { callOnWasm, type WasmArrays } from "./arrays.js";
import type { WasmModule } from "./module.js";

/** The kernels of the contract a wasm kernel can stand in for (optimizerStep included; not convolution, the plan or threads). */
export type KernelName = Exclude<keyof Kernels, "name" | "convolution" | "compilePlan" | "setNumThreads" | "numThreads" | "ready">;
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
  /**
   * True when the js kernel gives these arguments the same bits (the same arithmetic in the same order: no exp, log or
   * float32-rounded optimizer step), so an eager call on few elements may run there and skip the copies.
   */
  sameAsJs?(...args: Args<K>): boolean;
}

/** A set of wasm kernels by name (each file of src/backend/wasm exports one; index.ts spreads them together). */
export type WasmKernelSet = { [K in KernelName]?: WasmKernel<K> };

/** Whether every array given is a Float32Array (null counts as absent). */
export const allFloat32 = (...arrays: readonly (TypedArray | null)[]): boolean => arrays.every((a) => a === null || a instanceof Float32Array);

/** Runs body with `ints(values)`, which writes int32 values (shapes, strides) into fresh module memory, freed after. */
export function withInts<R>(mod: WasmModule, body: (ints: (values: readonly number[]) => number) => R): R {
  const blocks: number[] = [];
  try {
    return body((values) => {
      const ptr = mod.alloc(4 * values.length);
      blocks.push(ptr);
      mod.i32.set(values, ptr >> 2);
      return ptr;
    });
  } finally {
    for (const ptr of blocks) mod.release(ptr);
  }
}

/** The elements of the largest typed array among args (a kernel's work, roughly). */
function largest(args: readonly unknown[]): number {
  let n = 0;
  for (const a of args) if (ArrayBuffer.isView(a)) n = Math.max(n, (a as TypedArray).length);
  return n;
}

/**
 * The kernel table's methods for a set: each call on copies of its arrays, or on the js kernel when not taken (a
 * call of optimizerStep, which js lacks, then returns false: the rule runs its own loop), and on the js kernel too for
 * calls on fewer than `jsBelow` elements where js gives the same bits (the copies and the crossing cost more there).
 */
export function eagerMethods(mod: WasmModule, set: WasmKernelSet, jsBelow = 0): Partial<Kernels> {
  const table: Record<string, unknown> = {};
  for (const [name, kernel] of Object.entries(set) as [KernelName, WasmKernel<KernelName>][]) {
    const js = ((jsKernels as unknown as Record<string, unknown>)[name] ?? (() => false)) as (...a: unknown[]) => unknown;
    const { takes, run, sameAsJs } = kernel as unknown as {
      takes(...a: unknown[]): boolean; run(m: WasmModule, io: WasmArrays, ...a: unknown[]): unknown; sameAsJs?(...a: unknown[]): boolean;
    };
    table[name] = (...args: unknown[]) => {
      if (!takes(...args) || (sameAsJs?.(...args) && largest(args) < jsBelow)) return js(...args);
      let result: unknown;
      callOnWasm(mod, args, (io) => { result = run(mod, io, ...args); });
      return result;
    };
  }
  return table as Partial<Kernels>;
}
