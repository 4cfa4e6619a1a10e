import { WASM_BINARY, WASM_MISSING, WASM_THREADED_BINARY } from "./binary.generated.js";
import { WasmThreads, wasmWorkerHost, withMemory } from "./threads.js";

/** What this file uses of the engine's WebAssembly (the Node typings this project compiles with lack it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  compile(bytes: Uint8Array): Promise<object>;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
/** A module's memory: `buffer` is replaced when the memory grows. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The exports of the module built from native/wasm (pointers are byte offsets into its memory). */
export interface WasmExports {
  readonly memory: WasmMemory;
  alloc(bytes: number): number;
  release(ptr: number): void;
  matmul_f32(a: number, b: number, out: number, batch: number, m: number, n: number, k: number,
    transA: number, transB: number, aStride: number, bStride: number): number;
  [kernel: string]: unknown;
}

/** The instantiated module and views of its memory, remade when the memory grows (growing replaces its buffer). */
export class WasmModule {
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private i32View = new Int32Array(0);
  /** The worker instances, for the threaded module; null for the single-threaded one. */
  threads: WasmThreads | null = null;

  constructor(readonly exports: WasmExports) {}

  private refresh(): void {
    const b = this.exports.memory.buffer;
    if (b === this.buffer) return;
    this.buffer = b;
    this.f32View = new Float32Array(b);
    this.f64View = new Float64Array(b);
    this.i32View = new Int32Array(b);
  }

  /** The memory as float32 (index = byte offset / 4); valid until the next allocation. */
  get f32(): Float32Array { this.refresh(); return this.f32View; }
  get f64(): Float64Array { this.refresh(); return this.f64View; }
  get i32(): Int32Array { this.refresh(); return this.i32View; }

  /** A block of `bytes` (16-aligned); throws when the memory cannot grow that far. */
  alloc(bytes: number): number {
    const ptr = this.exports.alloc(Math.max(bytes, 16));
    if (ptr === 0) throw new RangeError(`wasm backend: out of memory allocating ${bytes} bytes`);
    return ptr;
  }

  release(ptr: number): void {
    this.exports.release(ptr);
  }
}

/** Whether this engine validates WebAssembly SIMD128 (a module of one v128 function). */
export function hasWasmSimd(): boolean {
  const api = wasmApi();
  if (!api) return false;
  // (module (func (result v128) i32.const 0 i8x16.splat))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);
  return api.validate(probe);
}

/** Why the wasm backend cannot run here (not built, or no SIMD in this engine), or null when it can. */
export function wasmUnavailable(): string | null {
  if (WASM_BINARY === null) return WASM_MISSING ?? "the wasm module was not built";
  if (!hasWasmSimd()) return "this JavaScript engine has no WebAssembly SIMD";
  return null;
}

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let compiled: object | null = null;
let compiledThreaded: object | null = null;

/** The threaded module's memory: 2 MiB at first (its --initial-memory), growing to 4 GiB (its --max-memory). */
const SHARED_MEMORY = { initial: 32, maximum: 65536, shared: true };

export interface InstantiateOptions {
  /** false: the single-threaded module even where threads are possible (default: threads where possible). */
  threads?: boolean;
}

/**
 * The module, compiled and instantiated synchronously (Node, Web Workers; a browser's main thread allows a
 * synchronous compile of small modules only, so pages call `await compileWasm()` first). Throws when unavailable.
 * Where threads are possible (threads.ts) it is the threaded build on a shared memory, its workers not yet started.
 */
export function instantiateWasm(options: InstantiateOptions = {}): WasmModule {
  const why = wasmUnavailable();
  if (why) throw new Error(`wasm backend: ${why}`);
  const api = wasmApi()!;
  const host = options.threads === false || WASM_THREADED_BINARY === null ? null : wasmWorkerHost();
  if (host) {
    try {
      compiledThreaded ??= new api.Module(decode(WASM_THREADED_BINARY!));
      const memory = new api.Memory(SHARED_MEMORY);
      const instance = new api.Instance(compiledThreaded, { env: { memory } });
      const mod = new WasmModule(withMemory(instance.exports as object, memory));
      mod.threads = new WasmThreads(mod, compiledThreaded, host);
      return mod;
    } catch {
      // An engine that refuses the shared memory (or the threaded module) runs the single-threaded one.
    }
  }
  compiled ??= new api.Module(decode(WASM_BINARY!));
  const instance = new api.Instance(compiled, {});
  return new WasmModule(instance.exports as unknown as WasmExports);
}

/** Compiles the module off the main thread's critical path, so a later instantiateWasm() is synchronous. */
export async function compileWasm(): Promise<void> {
  const why = wasmUnavailable();
  if (why) throw new Error(`wasm backend: ${why}`);
  if (WASM_THREADED_BINARY !== null && wasmWorkerHost()) compiledThreaded ??= await wasmApi()!.compile(decode(WASM_THREADED_BINARY));
  compiled ??= await wasmApi()!.compile(decode(WASM_BINARY!));
}
