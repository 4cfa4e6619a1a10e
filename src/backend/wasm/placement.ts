import type { TypedArray } from "../../tensor/dtype.js";
import { jsKernels } from "../js/index.js";
import type { Kernels } from "../kernels.js";
import type { WasmModule } from "./module.js";

/**
 * Where a kernel call's arrays live in the module's memory. A kernel is written once over a placement: an eager
 * call (eagerPlacement) copies its inputs into fresh blocks and its outputs back after; a captured plan
 * (Kernels.compilePlan) keeps every array of the step resident and hands out the pointers it holds.
 */
export interface Placement {
  /** The pointer of an array the kernel reads. */
  input(a: TypedArray): number;
  /** The pointer of an array the kernel overwrites whole (not read). */
  output(a: TypedArray): number;
  /** The pointer of an array the kernel reads and writes in place (optimizer state, sliceAdd's and scatterAdd's out). */
  update(a: TypedArray): number;
  /** The pointer of int32 values the kernel reads (shapes, strides): scratch for this call only. */
  ints(values: readonly number[]): number;
}

/** The contract's kernel methods (a plan calls them too). */
export type KernelName = Exclude<keyof Kernels, "name" | "convolution" | "compilePlan" | "setNumThreads" | "numThreads">;
type Method<K extends KernelName> = NonNullable<Kernels[K]>;

/**
 * One kernel of the wasm backend: `takes` says whether these arguments run on wasm (float32, as a rule; other dtypes
 * run on the js kernel, or for optimizerStep on the rule's own loop), and `run` runs them over a placement.
 */
export interface WasmKernel<K extends KernelName> {
  takes(...args: Parameters<Method<K>>): boolean;
  run(place: Placement, ...args: Parameters<Method<K>>): ReturnType<Method<K>>;
  /**
   * True when the js kernel gives these arguments the same bits (the same arithmetic in the same order: no exp, log or
   * float32-rounded optimizer step), so an eager call on few elements may run there and skip the copies.
   */
  sameAsJs?(...args: Parameters<Method<K>>): boolean;
}

/** Wasm kernels by the contract's names (each group file of src/backend/wasm makes some). */
export type WasmKernelTable = { [K in KernelName]?: WasmKernel<K> };

/** Whether every array given is a Float32Array (null counts as absent). */
export const allFloat32 = (...arrays: readonly (TypedArray | null)[]): boolean => arrays.every((a) => a === null || a instanceof Float32Array);

/**
 * Runs body over a placement of fresh blocks: an input is copied in when first placed, an array placed twice shares
 * its block (so in-place calls work), outputs and updates are copied back after body, and every block is freed.
 */
export function eagerPlacement<R>(mod: WasmModule, body: (place: Placement) => R): R {
  const blocks = new Map<TypedArray, { ptr: number; loaded: boolean; written: boolean }>();
  const scratch: number[] = [];
  const bytes = (a: TypedArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const place = (a: TypedArray, read: boolean, write: boolean): number => {
    let block = blocks.get(a);
    if (!block) {
      block = { ptr: mod.alloc(a.byteLength), loaded: false, written: false };
      blocks.set(a, block);
    }
    if (read && !block.loaded) {
      new Uint8Array(mod.exports.memory.buffer, block.ptr, a.byteLength).set(bytes(a));
      block.loaded = true;
    }
    block.written ||= write;
    return block.ptr;
  };
  try {
    const result = body({
      input: (a) => place(a, true, false),
      output: (a) => place(a, false, true),
      update: (a) => place(a, true, true),
      ints(values) {
        const ptr = mod.alloc(4 * values.length);
        scratch.push(ptr);
        mod.i32.set(values, ptr >> 2);
        return ptr;
      },
    });
    for (const [a, block] of blocks) if (block.written) bytes(a).set(new Uint8Array(mod.exports.memory.buffer, block.ptr, a.byteLength));
    return result;
  } finally {
    for (const { ptr } of blocks.values()) mod.release(ptr);
    for (const ptr of scratch) mod.release(ptr);
  }
}

/** The elements of the largest typed array among args (a kernel's work, roughly). */
function largest(args: readonly unknown[]): number {
  let n = 0;
  for (const a of args) if (ArrayBuffer.isView(a)) n = Math.max(n, (a as TypedArray).length);
  return n;
}

/**
 * The contract's methods of a table of wasm kernels, each call placed eagerly (copied in and out); arguments a kernel
 * does not take run on the js kernel (optimizerStep: returns false, so the rule's own loop runs), and so do calls on
 * fewer than `jsBelow` elements where js gives the same bits (a call's copies and crossing cost more than js's loop).
 */
export function eagerKernels(mod: WasmModule, table: WasmKernelTable, jsBelow: number): Partial<Kernels> {
  const out: Record<string, unknown> = {};
  for (const [name, kernel] of Object.entries(table) as [KernelName, WasmKernel<KernelName>][]) {
    const js = (jsKernels as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>)[name] ?? (() => false);
    const { takes, run, sameAsJs } = kernel as unknown as {
      takes(...a: unknown[]): boolean; run(p: Placement, ...a: unknown[]): unknown; sameAsJs?(...a: unknown[]): boolean;
    };
    out[name] = (...args: unknown[]) => {
      if (!takes(...args) || (sameAsJs?.(...args) && largest(args) < jsBelow)) return js(...args);
      return eagerPlacement(mod, (place) => run(place, ...args));
    };
  }
  return out as Partial<Kernels>;
}
