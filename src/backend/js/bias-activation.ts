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
