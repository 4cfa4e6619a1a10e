import type { WasmKernelSet } from "./kernel.js";
import type { WasmModule } from "./module.js";

interface MatmulExports {
  matmul_f32(a: number, b: number, out: number, batch: number, m: number, n: number, k: number,
    transA: number, transB: number, aStride: number, bStride: number): number;
}

/** matmul.cc's threshold (threadedFrom): smaller products never start the workers (a page of small models spawns none). */
const THREADED_FROM = 2 ** 22;

/**
 * matmul on the module (native/wasm/matmul.cc: packed, K-blocked, a 4×8 SIMD128 micro-kernel), float32; float64
 * runs on the js kernel. On the threaded module a large product is split across its threads by output blocks, the
 * same bits as one thread (its first call starts the workers; products run on one thread until they have joined).
 */
export const matmulKernels: WasmKernelSet = {
  matmul: {
    takes: (a, b, out) => a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array,
    run(mod: WasmModule, io, a, b, out, batch, m, n, k, transA, transB, aStride, bStride) {
      if (batch === 0 || m === 0 || n === 0) return;
      if (batch * m * n * k >= THREADED_FROM) mod.threads?.start();
      const failed = (mod.exports as unknown as MatmulExports).matmul_f32(io.read(a), io.read(b), io.write(out), batch, m, n, k,
        transA ? 1 : 0, transB ? 1 : 0, aStride, bStride);
      if (failed) throw new RangeError("wasm backend: out of memory for matmul's packing buffers");
    },
  },
};
