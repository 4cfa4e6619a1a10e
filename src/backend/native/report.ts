import { getBackend } from "../select.js";
import { nativeStatus } from "./index.js";

/** What `minima info` says about the compute backend: the one in use, native's state, and the threads, one line each. */
export function backendReport(): { backend: string; native: string; threads: string } {
  const backend = getBackend();
  if (!nativeStatus.loaded) {
    return { backend, native: `not available: ${nativeStatus.reason} (fix: ${nativeStatus.fix})`, threads: `1 (the ${backend} backend runs on the main thread)` };
  }
  const cpu = nativeStatus.addon.cpuInfo();
  const conv = cpu.dnnl ? `, convolutions on ${cpu.dnnl}` : ", convolutions as im2col + GEMM (no oneDNN: apt-get install libdnnl-dev, then rebuild the addon)";
  return { backend, native: `loaded: ${cpu.simd}, ${cpu.blas.split(" ").slice(0, 2).join(" ")} (${cpu.blasCore} kernels)${conv}`, threads: `${cpu.threads} of ${cpu.cores} cores (MINIMA_NUM_THREADS)` };
}
