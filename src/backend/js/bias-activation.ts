import type { FloatArray } from "../../tensor/dtype.js";

/** The contract's biasActivation: one pass over rows of l, each with its channel's bias. */
export function biasActivation(x: FloatArray, n: number, c: number, l: number, channelsFirst: boolean, bias: FloatArray | null,
  relu: boolean, out: FloatArray): void {
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const src = (channelsFirst ? ch * n + b : b * c + ch) * l, dst = (b * c + ch) * l;
      const add = bias ? bias[ch]! : 0;
      for (let i = 0; i < l; i++) {
        const v = x[src + i]! + add;
        out[dst + i] = relu && v < 0 ? 0 : v;  // a NaN stays NaN, as in torch.relu
      }
    }
  }
}

/**
 * The contract's biasActivationBackward: the ReLU mask, the move back to x's layout and the bias gradient in one
 * pass. The bias sums are reduce's: over n in float64 in row order, rounded to the dtype per (channel, l), then over l.
 */
export function biasActivationBackward(gy: FloatArray, out: FloatArray, n: number, c: number, l: number, channelsFirst: boolean,
  relu: boolean, gx: FloatArray | null, gBias: FloatArray | null): void {
  const sums = gBias ? new Float64Array(c * l) : null;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const src = (b * c + ch) * l, dst = (channelsFirst ? ch * n + b : b * c + ch) * l;
      for (let i = 0; i < l; i++) {
        const g = relu && out[src + i]! <= 0 ? 0 : gy[src + i]!;  // a NaN in out passes gy, as reluGrad
        if (gx) gx[dst + i] = g;
        if (sums) sums[ch * l + i] += g;
      }
    }
  }
  if (!gBias || !sums) return;
  const rounded = gBias instanceof Float32Array ? Float32Array.from(sums) : sums;  // reduce's output after dim 0
  for (let ch = 0; ch < c; ch++) {
    let acc = 0;
    for (let i = 0; i < l; i++) acc += rounded[ch * l + i]!;
    gBias[ch] = acc;
  }
}
