import type { TypedArray } from "../../tensor/dtype.js";
import type { WasmModule } from "./module.js";

/**
 * How a wasm kernel finds its arrays in the module's memory: each method returns the byte address of the array's
 * copy there. A kernel says how it uses each array, so the copies stay coherent: `read` arrays are brought in,
 * `write` arrays are taken out after (the kernel overwrites all of them), `update` arrays both.
 */
export interface WasmArrays {
  read(a: TypedArray): number;
  write(a: TypedArray): number;
  update(a: TypedArray): number;
}

/** Which copy of a region holds its current bytes. */
const enum Fresh { Js, Both, Wasm }

/** One block of module memory mirroring bytes [begin, end) of a JavaScript ArrayBuffer. */
interface Region {
  readonly buffer: ArrayBufferLike;
  readonly begin: number;
  readonly end: number;
  ptr: number;
  fresh: Fresh;
}

/**
 * Module-memory copies of a set of typed arrays, one block per ArrayBuffer spanning every array of it (so views that
 * share storage, such as a parameter and the flat buffer it lives in, share their copy too), kept coherent lazily:
 * a block is copied in when a kernel first reads it after JavaScript may have written it, and out when JavaScript
 * needs what a kernel wrote. One kernel call (the eager path) or a whole captured step (plan.ts) holds one.
 */
export class Residency implements WasmArrays {
  private readonly regions: Region[] = [];
  private readonly regionOf = new Map<TypedArray, Region>();

  constructor(private readonly mod: WasmModule, arrays: Iterable<TypedArray>) {
    const spans = new Map<ArrayBufferLike, { begin: number; end: number; arrays: TypedArray[] }>();
    for (const a of arrays) {
      const s = spans.get(a.buffer);
      const [begin, end] = [a.byteOffset, a.byteOffset + a.byteLength];
      if (!s) spans.set(a.buffer, { begin, end, arrays: [a] });
      else {
        s.begin = Math.min(s.begin, begin);
        s.end = Math.max(s.end, end);
        s.arrays.push(a);
      }
    }
    try {
      for (const [buffer, s] of spans) {
        const region: Region = { buffer, begin: s.begin, end: s.end, ptr: mod.alloc(s.end - s.begin), fresh: Fresh.Js };
        this.regions.push(region);
        for (const a of s.arrays) this.regionOf.set(a, region);
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private region(a: TypedArray): Region {
    const r = this.regionOf.get(a);
    if (!r) throw new Error("wasm backend: a kernel was given an array its plan did not record");
    return r;
  }

  private copyIn(r: Region): void {
    new Uint8Array(this.mod.exports.memory.buffer, r.ptr, r.end - r.begin).set(new Uint8Array(r.buffer, r.begin, r.end - r.begin));
    r.fresh = Fresh.Both;
  }

  private copyOut(r: Region): void {
    new Uint8Array(r.buffer, r.begin, r.end - r.begin).set(new Uint8Array(this.mod.exports.memory.buffer, r.ptr, r.end - r.begin));
    r.fresh = Fresh.Both;
  }

  read(a: TypedArray): number {
    const r = this.region(a);
    if (r.fresh === Fresh.Js) this.copyIn(r);
    return r.ptr + a.byteOffset - r.begin;
  }

  write(a: TypedArray): number {
    const r = this.region(a);
    // A write that covers only part of its block must not leave the rest of the block stale.
    if (r.fresh === Fresh.Js && (a.byteOffset !== r.begin || a.byteLength !== r.end - r.begin)) this.copyIn(r);
    r.fresh = Fresh.Wasm;
    return r.ptr + a.byteOffset - r.begin;
  }

  update(a: TypedArray): number {
    const ptr = this.read(a);
    this.region(a).fresh = Fresh.Wasm;
    return ptr;
  }

  /** Makes JavaScript's copy of these arrays current (before JavaScript reads them). */
  syncOut(arrays: Iterable<TypedArray>): void {
    for (const a of arrays) {
      const r = this.region(a);
      if (r.fresh === Fresh.Wasm) this.copyOut(r);
    }
  }

  /** Says JavaScript may have written these arrays: their next read by a kernel copies them in. */
  invalidate(arrays: Iterable<TypedArray>): void {
    for (const a of arrays) this.region(a).fresh = Fresh.Js;
  }

  /** Copies out everything kernels wrote. */
  syncAllOut(): void {
    for (const r of this.regions) if (r.fresh === Fresh.Wasm) this.copyOut(r);
  }

  /** Says JavaScript may have written any of the arrays. */
  invalidateAll(): void {
    for (const r of this.regions) r.fresh = Fresh.Js;
  }

  /** The module memory the copies take, in bytes. */
  bytes(): number {
    return this.regions.reduce((s, r) => s + r.end - r.begin, 0);
  }

  dispose(): void {
    for (const r of this.regions) if (r.ptr) this.mod.release(r.ptr);
    this.regions.length = 0;
    this.regionOf.clear();
  }
}

function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The typed arrays among a kernel call's arguments, also inside plain arrays and objects (PoolWindows, buffer lists). */
export function typedArraysIn(args: readonly unknown[], into: Set<TypedArray> = new Set()): Set<TypedArray> {
  for (const x of args) {
    if (isTypedArray(x)) into.add(x);
    else if (Array.isArray(x)) typedArraysIn(x, into);
    else if (x !== null && typeof x === "object") typedArraysIn(Object.values(x), into);
  }
  return into;
}

/** Runs one kernel call on copies of its arrays in the module's memory, copies out what it wrote, and frees them. */
export function callOnWasm(mod: WasmModule, args: readonly unknown[], body: (io: WasmArrays) => void): void {
  const residency = new Residency(mod, typedArraysIn(args));
  try {
    body(residency);
    residency.syncAllOut();
  } finally {
    residency.dispose();
  }
}
