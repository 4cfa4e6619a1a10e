import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Convolution, Kernels } from "../kernels.js";
import type { BatchNormKernel } from "./batch-norm.js";
import type { NativeElementwiseKernels } from "./elementwise.js";
import type { NativeLayoutKernels } from "./layout.js";
import type { NativeOptimizerKernel } from "./optimizer-step.js";
import type { NativeReduceKernels } from "./reduce.js";

/** The functions the addon (native/src) exports: kernels with the contract's signatures, and machine facts. */
export interface NativeAddon extends Pick<Kernels, "matmul" | "im2col" | "col2im" | "biasActivation" | "crossEntropy" | "crossEntropyBackward" | BatchNormKernel>, NativeOptimizerKernel, NativeElementwiseKernels, NativeReduceKernels, NativeLayoutKernels {
  cpuInfo(): { simd: string; threads: number; cores: number; blas: string; dnnl?: string };
  /** Present when the addon was built with oneDNN (native/src/conv-dnnl.cc). */
  conv2dForward?: Convolution["forward"];
  conv2dBackwardData?: Convolution["backwardData"];
  conv2dBackwardWeights?: Convolution["backwardWeights"];
  setNumThreads(n: number): void;
}

/** Whether the addon loaded, and if not, why and how to fix it (one line each). */
export type NativeStatus = { loaded: true; addon: NativeAddon } | { loaded: false; reason: string };

// From dist/src/backend/native/ (or src/…) up to the package root.
const root = new URL("../../../../", import.meta.url);
const binary = fileURLToPath(new URL("native/build/Release/minima_native.node", root));
const statusFile = fileURLToPath(new URL("native/build/status.json", root));
export const NATIVE_FIX = "apt-get install g++ make python3 pkg-config libopenblas-dev, then run node native/build.mjs in minima's folder";

function why(loadError: unknown): string {
  try {
    const status = JSON.parse(readFileSync(statusFile, "utf8")) as { ok: boolean; reason?: string };
    if (!status.ok && status.reason) return status.reason;
  } catch { /* no build was attempted: fall through */ }
  if (!existsSync(binary)) return "the addon was not built (its install script did not run)";
  return `the addon did not load: ${(loadError as Error).message.split("\n")[0]}`;
}

/**
 * Loads the addon once; never throws. OpenBLAS, loaded with it, reads OPENBLAS_NUM_THREADS once and starts
 * that many threads, which busy-wait on the cores minima's own pool needs; minima calls OpenBLAS from its
 * pool, one thread per call (native/src/gemm.cc), so OpenBLAS loads with none of its own. The variable is
 * restored at once, so child processes see the user's.
 */
export function loadNative(): NativeStatus {
  const users = process.env["OPENBLAS_NUM_THREADS"], waitPolicy = process.env["OMP_WAIT_POLICY"];
  process.env["OPENBLAS_NUM_THREADS"] = "1";
  // oneDNN's OpenMP threads, likewise, sleep between calls instead of spinning (unless the user says otherwise).
  process.env["OMP_WAIT_POLICY"] = waitPolicy ?? "passive";
  try {
    const addon = createRequire(import.meta.url)(binary) as NativeAddon;
    return { loaded: true, addon };
  } catch (e) {
    return { loaded: false, reason: why(e) };
  } finally {
    if (users === undefined) delete process.env["OPENBLAS_NUM_THREADS"];
    else process.env["OPENBLAS_NUM_THREADS"] = users;
    if (waitPolicy === undefined) delete process.env["OMP_WAIT_POLICY"];
  }
}
