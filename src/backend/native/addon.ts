import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { ConvGeometry, Convolution, Kernels } from "../kernels.js";
import type { BatchNormKernel } from "./batch-norm.js";
import type { ClipGradKernel } from "./clip-grad.js";
import type { NativeElementwiseKernels } from "./elementwise.js";
import type { NativeLayoutKernels } from "./layout.js";
import type { NormalizeGroupsKernel } from "./normalize-groups.js";
import type { NativeOptimizerKernel } from "./optimizer-step.js";
import type { NativePlanAddon } from "./plan.js";
import type { NativeReduceKernels } from "./reduce.js";
import type { NativeSmoothActivationKernel } from "./smooth-activations.js";

/** The functions the addon (native/src) exports: kernels with the contract's signatures, and machine facts. */
export interface NativeAddon extends Pick<Kernels, "matmul" | "im2col" | "col2im" | "biasActivation" | "biasActivationBackward" | "crossEntropy" | "crossEntropyBackward" | BatchNormKernel | ClipGradKernel | NormalizeGroupsKernel>, NativeOptimizerKernel, NativeElementwiseKernels, NativeReduceKernels, NativeLayoutKernels, NativeSmoothActivationKernel, NativePlanAddon {
  /** blasCore: the kernels OpenBLAS chose for this CPU (or OPENBLAS_CORETYPE named), e.g. "Haswell", "SkylakeX". */
  cpuInfo(): { simd: string; threads: number; cores: number; blas: string; blasCore: string; dnnl?: string };
  /** Present when the addon was built with oneDNN (native/src/conv-dnnl.cc). */
  conv2dForward?: Convolution["forward"];
  conv2dBackwardData?: Convolution["backwardData"];
  conv2dBackwardWeights?: Convolution["backwardWeights"];
  conv2dForwardReluMaxPool?(x: Float32Array, weight: Float32Array, bias: Float32Array | null, n: number, cOut: number, groups: number,
    g: ConvGeometry, rowStart: Int32Array, rowEnd: Int32Array, rowStep: number, colStart: Int32Array, colEnd: Int32Array, colStep: number,
    out: Float32Array, indices: Int32Array): boolean;
  conv2dBackwardReluMaxPool?: Convolution["backwardReluMaxPool"];
  setNumThreads(n: number): void;
  /** Not kernels: SIGINT and SIGTERM only set a flag, polled once per batch (native/src/stop-signal.cc; src/cli/stop-signals.ts). */
  installStopSignals(): boolean;
  removeStopSignals(): void;
  pendingStopSignal(): number;
}

/** Whether the addon loaded; if not, why (one clause) and the fix for that cause (one clause). */
export type NativeStatus = { loaded: true; addon: NativeAddon } | { loaded: false; reason: string; fix: string };

/** The package's root: from dist/src/backend/native/ (or src/backend/native/) up four folders. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const BINARY = "native/build/Release/minima_native.node";
const STATUS = "native/build/status.json";
const BUILD_NEEDS = "apt-get install g++ make python3 pkg-config libopenblas-dev (and libdnnl-dev for oneDNN convolutions)";
/** The Debian packages of the shared libraries the addon links, for a "cannot open shared object file". */
const RUNTIME_PACKAGES: Record<string, string> = {
  "libopenblas.so.0": "libopenblas0", "libdnnl.so.2": "libdnnl2", "libgomp.so.1": "libgomp1",
  "libstdc++.so.6": "libstdc++6", "libgfortran.so.5": "libgfortran5",
};

/**
 * Loads the addon under `root` once; never throws. OpenBLAS, loaded with it, reads OPENBLAS_NUM_THREADS
 * once and starts that many threads, which busy-wait on the cores minima's own pool needs; minima calls
 * OpenBLAS from its pool, one thread per call (native/src/gemm.cc), so OpenBLAS loads with none of its
 * own. The variable is restored at once, so child processes see the user's. oneDNN's OpenMP threads keep
 * libgomp's own policy (spin about 4 ms after a parallel region, then sleep), as under PyTorch: sleeping at once
 * (OMP_WAIT_POLICY=passive, this loader's earlier setting) woke them for every convolution and made the bench's
 * captured CNN step about 12% slower (4.33–4.39 against 3.75–3.90 ms at 2 threads, BENCHMARKS.md).
 */
export function loadNative(root: string = PACKAGE_ROOT): NativeStatus {
  const users = process.env["OPENBLAS_NUM_THREADS"];
  process.env["OPENBLAS_NUM_THREADS"] = "1";
  try {
    const addon = createRequire(import.meta.url)(`${root}/${BINARY}`) as NativeAddon;
    return { loaded: true, addon };
  } catch (e) {
    return { loaded: false, ...explainFailure(root, e) };
  } finally {
    if (users === undefined) delete process.env["OPENBLAS_NUM_THREADS"];
    else process.env["OPENBLAS_NUM_THREADS"] = users;
  }
}

/**
 * Why the addon under `root` did not load, and the fix for that cause: the install script never ran
 * (npm ≥ 11 and pnpm ≥ 10 skip a dependency's install script until it is approved, as --ignore-scripts
 * does), the build failed (native/build/status.json says why: a compiler or OpenBLAS missing), or the
 * built addon cannot load (a shared library missing at run time, or another error).
 */
export function explainFailure(root: string, loadError: unknown): { reason: string; fix: string } {
  const pnpm = /[\\/]\.pnpm[\\/]/.test(root);
  const dependency = /[\\/]node_modules[\\/]/.test(root);
  const rebuild = pnpm ? "pnpm rebuild minima-ml" : dependency ? "npm rebuild minima-ml" : "node native/build.mjs in minima's folder";
  const status = readStatus(root);
  if (status && !status.ok) {
    const reason = status.reason ?? "the native build failed (see native/build/build.log)";
    if (reason.includes("MINIMA_SKIP_NATIVE")) return { reason, fix: `${rebuild} without MINIMA_SKIP_NATIVE=1` };
    if (reason.includes("node-gyp not found")) return { reason, fix: `npm install --global node-gyp, then ${rebuild}` };
    return { reason, fix: `${BUILD_NEEDS}, then ${rebuild}` };
  }
  if (!existsSync(`${root}/${BINARY}`)) {
    if (status?.ok) return { reason: `${BINARY} is missing, though its build succeeded`, fix: rebuild };
    return {
      reason: "the native addon was not built: minima-ml's install script did not run (npm ≥ 11 and pnpm ≥ 10 skip a dependency's install script until it is approved, as --ignore-scripts does)",
      fix: pnpm ? "pnpm approve-builds (choose minima-ml), then pnpm rebuild minima-ml"
        : dependency ? "npm install-scripts approve minima-ml, then npm rebuild minima-ml" : rebuild,
    };
  }
  const message = (loadError instanceof Error ? loadError.message : String(loadError)).split("\n")[0]!;
  const missing = /([\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(message)?.[1];
  if (missing) {
    const pkg = RUNTIME_PACKAGES[missing];
    return { reason: `the native addon needs ${missing}, which is not installed`, fix: `${pkg ? `apt-get install ${pkg}` : `install the package that provides ${missing}`}, or rebuild against what is installed: ${rebuild}` };
  }
  return { reason: `the native addon did not load: ${message}`, fix: rebuild };
}

function readStatus(root: string): { ok: boolean; reason?: string } | null {
  try {
    return JSON.parse(readFileSync(`${root}/${STATUS}`, "utf8")) as { ok: boolean; reason?: string };
  } catch {
    return null; // no build was attempted, or its status is unreadable: judge by the binary
  }
}
