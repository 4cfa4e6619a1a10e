// The wasm backend's threads: worker instances of the threaded module (native/wasm/thread-pool.cc) on one shared
// memory. Where threads are possible (Node, whose entry registers worker_threads; a cross-origin-isolated page or
// worker with SharedArrayBuffer) the backend runs the threaded module; everywhere else the single-threaded one.
// Workers start on the first product that could use them; until each has joined, products run on one thread.
import type { WasmExports, WasmModule } from "./module.js";

/** A started worker: what this file needs of Node's Worker and the browser's. */
export interface WasmWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** How a platform starts workers: `body` is a JavaScript function expression, called in the worker with the message. */
export interface WasmWorkerHost {
  spawn(body: string): WasmWorker;
  /** The threads used unless mn.setNumThreads or MINIMA_NUM_THREADS says otherwise. */
  defaultThreads: number;
}

/** At most this many threads (thread-pool.cc and matmul.cc hold 16): a page on a many-core machine starts at most 7 workers. */
export const MAX_WASM_THREADS = 8;
/** Each worker instance's stack: matmul's shares need a few hundred bytes. */
const STACK_BYTES = 64 * 1024;

/** What a worker runs: it instantiates the module on the shared memory (which it does not re-initialise), takes its own stack, and serves jobs until shut down. */
const WORKER_BODY = `(data) => {
  const exports = new WebAssembly.Instance(data.module, { env: { memory: data.memory } }).exports;
  exports.set_stack_pointer(data.stackTop);
  exports.pool_worker();
}`;

let nodeHost: WasmWorkerHost | null = null;

/** Node's entry registers worker_threads here (the core imports no Node built-in). */
export function setWasmWorkerHost(host: WasmWorkerHost | null): void {
  nodeHost = host;
}

interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  Worker?: new (url: string) => WasmWorker;
  Blob?: new (parts: string[], options: { type: string }) => object;
  URL?: { createObjectURL(blob: object): string };
  navigator?: { hardwareConcurrency?: number };
}

let blobUrl: string | null = null;

/** The host that starts workers here, or null where threads are not possible (no SharedArrayBuffer, a page that is not cross-origin isolated). */
export function wasmWorkerHost(): WasmWorkerHost | null {
  const g = globalThis as BrowserGlobals;
  if (typeof g.SharedArrayBuffer !== "function") return null;
  if (nodeHost) return nodeHost;
  if (g.crossOriginIsolated !== true || !g.Worker || !g.Blob || !g.URL) return null;
  const { Worker, Blob, URL } = g;
  return {
    spawn(body) {
      blobUrl ??= URL.createObjectURL(new Blob([`self.onmessage = (e) => { (${body})(e.data); self.close(); };`], { type: "text/javascript" }));
      return new Worker(blobUrl);
    },
    defaultThreads: g.navigator?.hardwareConcurrency ?? 1,
  };
}

interface PoolExports {
  pool_configure(workers: number, threads: number, callerWaits: number): void;
  pool_joined(): number;
  pool_shutdown(): void;
}

/** The worker instances of one threaded module. */
export class WasmThreads {
  private readonly workers: WasmWorker[] = [];
  private readonly stacks: number[] = [];
  private wanted: number;
  private started = false;

  constructor(private readonly mod: WasmModule, private readonly compiled: object, private readonly host: WasmWorkerHost) {
    this.wanted = clampThreads(host.defaultThreads);
  }

  private get pool(): PoolExports {
    return this.mod.exports as unknown as PoolExports;
  }

  /** The threads products run on once every worker has joined. */
  get count(): number {
    return this.wanted;
  }

  /** Sets the threads (at most MAX_WASM_THREADS); new workers start now if the pool has started. */
  set(n: number): void {
    this.wanted = clampThreads(n);
    if (this.started) this.spawn();
    else this.pool.pool_configure(0, this.wanted, callerMayWait());
  }

  /** Starts the workers, once (the first product that could use them). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.spawn();
  }

  private spawn(): void {
    while (this.workers.length < this.wanted - 1) {
      let worker: WasmWorker;
      try {
        worker = this.host.spawn(WORKER_BODY);
      } catch {
        break;  // a page whose Content-Security-Policy forbids blob: workers: fewer threads (one, if none start)
      }
      const stack = this.mod.alloc(STACK_BYTES);
      worker.postMessage({ module: this.compiled, memory: this.mod.exports.memory, stackTop: stack + STACK_BYTES });
      this.stacks.push(stack);
      this.workers.push(worker);
    }
    this.pool.pool_configure(this.workers.length, this.wanted, callerMayWait());
  }

  /** Whether every worker started has joined (products then run on `count` threads). */
  joined(): boolean {
    return this.pool.pool_joined() === this.workers.length;
  }

  /** Starts the workers and resolves once all have joined (tests and benchmarks wait for it). */
  async ready(): Promise<void> {
    this.start();
    while (!this.joined()) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Sends the workers out of their loop and ends them; products then run on one thread until start() again. */
  shutdown(): void {
    this.pool.pool_shutdown();
    for (const w of this.workers) w.terminate();
    for (const s of this.stacks) this.mod.release(s);
    this.workers.length = 0;
    this.stacks.length = 0;
    this.started = false;
  }
}

/** Whether this thread may block in atomic.wait: everywhere but a browser's main thread (a page has a document). */
function callerMayWait(): number {
  return typeof (globalThis as { document?: unknown }).document === "undefined" ? 1 : 0;
}

function clampThreads(n: number): number {
  return Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(n) || 1));
}

/** The threaded module's exports with its (imported, shared) memory, as the single-threaded module's exports look. */
export function withMemory(exports: object, memory: WasmExports["memory"]): WasmExports {
  return { ...(exports as Record<string, unknown>), memory } as unknown as WasmExports;
}
