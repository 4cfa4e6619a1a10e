import type { TypedArray } from "../../tensor/dtype.js";
import { jsKernels } from "../js/index.js";
import type { Kernels } from "../kernels.js";
import type { WasmModule } from "./module.js";

// The shape of a wasm kernel, as the wasm-gemm part's src/backend/wasm/kernel.ts and arrays.ts define it (WasmArrays,
// WasmKernel, WasmKernelSet, eagerMethods), so the two parts' kernels spread into one set and its plan runs them all,
// with two additions: the fused optimizer step among the kernels, and sameAsJs (the eager small-call shortcut).

/**
 * How a wasm kernel finds its arrays in the module's memory: each method returns the byte address of the array's
 * copy there; `read` arrays are brought in, `write` arrays (overwritten whole) taken out after, `update` arrays both.
 * An eager call copies each array around the call; a captured plan keeps them resident.
 */
export interface WasmArrays {
  read(a: TypedArray): number;
  write(a: TypedArray): number;
  update(a: TypedArray): number;
}

/** The contract's kernel methods a wasm kernel can stand in for (not the optional convolution group or the plan). */
export type KernelName = Exclude<keyof Kernels, "name" | "convolution" | "compilePlan" | "setNumThreads" | "numThreads">;
type Method<K extends KernelName> = NonNullable<Kernels[K]>;

/**
 * One kernel on the module, written once for both ways its arrays live there: `takes` says whether these arguments
 * run on wasm (float32, as a rule; others run on the js kernel, or for optimizerStep on the rule's own loop), `run`
 * runs them with the addresses `io` gives.
 */
export interface WasmKernel<K extends KernelName> {
  takes(...args: Parameters<Method<K>>): boolean;
  run(mod: WasmModule, io: WasmArrays, ...args: Parameters<Method<K>>): ReturnType<Method<K>>;
  /**
   * True when the js kernel gives these arguments the same bits (the same arithmetic in the same order: no exp, log or
   * float32-rounded optimizer step), so an eager call on few elements may run there and skip the copies.
   */
  sameAsJs?(...args: Parameters<Method<K>>): boolean;
}

/** Wasm kernels by the contract's names (each file of src/backend/wasm exports a set; index.ts spreads them together). */
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

/**
 * Runs body with arrays copied into fresh blocks as it asks for them: a read array is copied in when first given, an
 * array given twice shares its block (so in-place calls work), written ones are copied back after body; all are freed.
 */
export function callOnCopies<R>(mod: WasmModule, body: (io: WasmArrays) => R): R {
  const blocks = new Map<TypedArray, { ptr: number; loaded: boolean; written: boolean }>();
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
    const result = body({ read: (a) => place(a, true, false), write: (a) => place(a, false, true), update: (a) => place(a, true, true) });
    for (const [a, block] of blocks) if (block.written) bytes(a).set(new Uint8Array(mod.exports.memory.buffer, block.ptr, a.byteLength));
    return result;
  } finally {
    for (const { ptr } of blocks.values()) mod.release(ptr);
  }
}

/** The elements of the largest typed array among args (a kernel's work, roughly). */
function largest(args: readonly unknown[]): number {
  let n = 0;
  for (const a of args) if (ArrayBuffer.isView(a)) n = Math.max(n, (a as TypedArray).length);
  return n;
}

/**
 * The contract's methods of a set of wasm kernels, each call on copies of its arrays; arguments a kernel does not take
 * run on the js kernel (optimizerStep: returns false, so the rule's own loop runs), and so do calls on fewer than
 * `jsBelow` elements where js gives the same bits (a call's copies and crossing cost more than js's loop).
 */
export function eagerMethods(mod: WasmModule, set: WasmKernelSet, jsBelow: number): Partial<Kernels> {
  const out: Record<string, unknown> = {};
  for (const [name, kernel] of Object.entries(set) as [KernelName, WasmKernel<KernelName>][]) {
    const js = (jsKernels as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>)[name] ?? (() => false);
    const { takes, run, sameAsJs } = kernel as unknown as {
      takes(...a: unknown[]): boolean; run(m: WasmModule, io: WasmArrays, ...a: unknown[]): unknown; sameAsJs?(...a: unknown[]): boolean;
    };
    out[name] = (...args: unknown[]) => {
      if (!takes(...args) || (sameAsJs?.(...args) && largest(args) < jsBelow)) return js(...args);
      return callOnCopies(mod, (io) => run(mod, io, ...args));
    };
  }
  return out as Partial<Kernels>;
}
