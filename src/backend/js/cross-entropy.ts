import type { FloatArray } from "../../tensor/dtype.js";

/** The contract's crossEntropy: per row, the log-sum-exp around the row's max, then the loss and the softmax. */
export function crossEntropy(x: FloatArray, n: number, c: number, target: Int32Array, smoothing: number, loss: FloatArray,
  probs: FloatArray): void {
  for (let i = 0, row = 0; i < n; i++, row += c) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) if (x[row + j]! > max) max = x[row + j]!;
    let sumExp = 0, sumX = 0;
    for (let j = 0; j < c; j++) { sumExp += Math.exp(x[row + j]! - max); sumX += x[row + j]!; }
    const lse = max + Math.log(sumExp);
    loss[i] = -(1 - smoothing) * (x[row + target[i]!]! - lse) - (smoothing / c) * (sumX - c * lse);
    for (let j = 0; j < c; j++) probs[row + j] = Math.exp(x[row + j]! - lse);
  }
}

/** The contract's crossEntropyBackward. */
export function crossEntropyBackward(probs: FloatArray, target: Int32Array, n: number, c: number, smoothing: number, gLoss: FloatArray,
  gx: FloatArray): void {
  const spread = smoothing / c;
  for (let i = 0, row = 0; i < n; i++, row += c) {
    const g = gLoss[i]!;
    for (let j = 0; j < c; j++) gx[row + j] = g * (probs[row + j]! - spread);
    gx[row + target[i]!] = g * (probs[row + target[i]!]! - spread - (1 - smoothing));
  }
}
