import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { assertSame, random } from "./helpers.js";

// The native fused cross-entropy and its backward against the js kernels.
describe("native cross-entropy kernels", () => {
  if (!nativeStatus.loaded) return;
  const kernels = nativeKernels() as Kernels;

  test("crossEntropy and its backward equal the js kernels (to the last bits of exp and log): odd sizes, smoothing, both dtypes", () => {
    const gen = new Generator(14);
    for (const dtype of ["float32", "float64"] as const) {
      const ulp = dtype === "float32" ? 2 ** -23 : 2 ** -50;
      const close = (got: ArrayLike<number>, want: ArrayLike<number>, label: string) => {
        for (let i = 0; i < want.length; i++) {
          if (!(Math.abs(got[i]! - want[i]!) <= 4 * ulp * Math.max(1, Math.abs(want[i]!)))) assert.fail(`${label} element ${i}: native ${got[i]}, js ${want[i]}`);
        }
      };
      for (const [n, c] of [[1, 1], [3, 7], [33, 10], [257, 3], [1000, 33]] as const) {
        const x = random(n * c, dtype, gen).map((v) => v * 8);
        const target = Int32Array.from({ length: n }, () => Math.floor(gen.random() * c));
        const gLoss = random(n, dtype, gen);
        for (const smoothing of [0, 0.1]) {
          const make = (len: number) => (dtype === "float32" ? new Float32Array(len) : new Float64Array(len));
          const [lossJs, probsJs, lossNative, probsNative] = [make(n), make(n * c), make(n), make(n * c)];
          jsKernels.crossEntropy(x, n, c, target, smoothing, lossJs, probsJs);
          kernels.crossEntropy(x, n, c, target, smoothing, lossNative, probsNative);
          close(lossNative, lossJs, `loss ${n}x${c} s=${smoothing} ${dtype}`);
          close(probsNative, probsJs, `probs ${n}x${c} s=${smoothing} ${dtype}`);
          const [gJs, gNative] = [make(n * c), make(n * c)];
          jsKernels.crossEntropyBackward(probsJs, target, n, c, smoothing, gLoss, gJs);
          kernels.crossEntropyBackward(probsJs, target, n, c, smoothing, gLoss, gNative);
          assertSame(gNative, gJs, `crossEntropyBackward ${n}x${c} s=${smoothing}`, dtype);
        }
      }
    }
  });
});
