import { describe, test } from "node:test";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { assertSame, onOneAndTwoThreads, random } from "./helpers.js";

// The native biasActivationBackward against the js kernel, bit for bit (the same masks, moves and double sums).
describe("native biasActivationBackward", () => {
  if (!nativeStatus.loaded) return;
  const kernels = nativeKernels() as Kernels;

  test("equals the js kernel bit for bit: both layouts, relu or not, either output left out, odd sizes, NaN and ±0 in out, both dtypes, 1 and 2 threads", () => {
    const gen = new Generator(21);
    onOneAndTwoThreads((threads) => {
      for (const dtype of ["float32", "float64"] as const) {
        for (const [n, c, l] of [[1, 1, 1], [3, 7, 1], [7, 3, 33], [33, 5, 7], [128, 257, 1], [2, 3, 4099]] as const) {
          const gy = random(n * c * l, dtype, gen), out = random(n * c * l, dtype, gen);
          [Number.NaN, -0, 0].forEach((v, i) => { if (i < out.length) out[i] = v; });
          for (const channelsFirst of [false, true]) {
            for (const relu of [false, true]) {
              for (const [withGx, withBias] of [[true, true], [true, false], [false, true]]) {
                const make = (size: number) => (dtype === "float32" ? new Float32Array(size) : new Float64Array(size)).fill(7);
                const [wantGx, gotGx, wantBias, gotBias] = [make(gy.length), make(gy.length), make(c), make(c)];
                jsKernels.biasActivationBackward(gy, out, n, c, l, channelsFirst, relu, withGx ? wantGx : null, withBias ? wantBias : null);
                kernels.biasActivationBackward(gy, out, n, c, l, channelsFirst, relu, withGx ? gotGx : null, withBias ? gotBias : null);
                const label = `${n}x${c}x${l} channelsFirst=${channelsFirst} relu=${relu} threads=${threads}`;
                assertSame(gotGx, wantGx, `gx ${label}`, dtype);
                assertSame(gotBias, wantBias, `gBias ${label}`, dtype);
              }
            }
          }
        }
      }
    });
  });
});
