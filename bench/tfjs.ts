/**
 * TensorFlow.js in Node, on its wasm or cpu backend, loaded from the devDependencies. The wasm
 * binaries ship inside @tensorflow/tfjs-backend-wasm: setWasmPaths points at its dist folder, so
 * nothing is downloaded. The wasm backend is single-threaded under Node (tfjs turns
 * WASM_HAS_MULTITHREAD_SUPPORT off there; forcing it fails, its pthread workers are blob URLs).
 * Training needs the union package @tensorflow/tfjs: tfjs-core's Node build registers no
 * gradients (they ship only as ES modules that Node cannot load), tf.node.js bundles them.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";

export type TF = typeof import("@tensorflow/tfjs");

export async function loadTf(backend: "wasm" | "cpu"): Promise<TF> {
  const require = createRequire(import.meta.url);
  const tf = require("@tensorflow/tfjs") as TF; // tfjs-core, its gradients, and the cpu backend
  if (backend === "wasm") {
    const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"))}/`);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not initialize`);
  await tf.ready();
  return tf;
}

let seed = 0;
/** PyTorch's default Linear/Conv init, U(−1/√fanIn, 1/√fanIn), as a TF.js variable. */
export function torchInit(tf: TF, shape: number[], fanIn: number): ReturnType<TF["variable"]> {
  const b = 1 / Math.sqrt(fanIn);
  return tf.variable(tf.randomUniform(shape, -b, b, "float32", seed++));
}
