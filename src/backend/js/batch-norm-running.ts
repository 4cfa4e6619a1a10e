import type { FloatArray } from "../../tensor/dtype.js";

// Batch norm's per-step bookkeeping around its kernels: the batch count, the running statistics' update and
// 1/√(var + eps). Kernels so that a captured step replays them among the others (native/src/batch-norm-running.cc
// does the same arithmetic in the same order, so the same bits).

/** count[0] += 1 (wrapping as an Int32Array does), then cell[0] = momentum, or 1/count[0] when momentum is null. */
export function batchNormCount(count: Int32Array, momentum: number | null, cell: Float64Array): void {
  count[0]! += 1;
  cell[0] = momentum ?? 1 / count[0]!;
}

/**
 * running ← momentum·batch + (1 − momentum)·running in place (torch's order of terms), over m values per channel,
 * the variance unbiased; momentum is momentum[0], read at each call.
 */
export function batchNormRunning(runningMean: FloatArray | null, runningVar: FloatArray | null, mean: Float64Array, variance: Float64Array,
  m: number, momentum: Float64Array): void {
  const k = momentum[0]!;
  for (let j = 0; j < mean.length; j++) {
    if (runningMean) runningMean[j] = k * mean[j]! + (1 - k) * runningMean[j]!;
    if (runningVar) runningVar[j] = k * ((variance[j]! * m) / (m - 1)) + (1 - k) * runningVar[j]!;
  }
}

/** invstd[j] = 1/√(variance[j] + eps) for each of invstd's channels. */
export function batchNormInverseStd(variance: FloatArray, eps: number, invstd: Float64Array): void {
  for (let j = 0; j < invstd.length; j++) invstd[j] = 1 / Math.sqrt(variance[j]! + eps);
}
