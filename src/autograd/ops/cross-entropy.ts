import type { FloatArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { recordFused } from "../fused.js";
import { checkIndex, gather } from "./indexing.js";
import { logSoftmax } from "./softmax.js";
import { kernels, scratch } from "./util.js";

/**
 * The per-sample cross-entropy of logits x [n, c] against int32 class indices target [n], with label
 * smoothing s: −(1 − s)·log softmax(x)[target] − s/c·Σ log softmax(x), in one kernel pass that also keeps
 * the softmax for the backward, softmax − the smoothed one-hot target. A backward that must itself be
 * differentiable (createGraph) differentiates the composition of logSoftmax and gather instead.
 */
export function classCrossEntropy(x: Tensor, target: Tensor, smoothing: number): Tensor {
  const [n, c] = x.shape as [number, number];
  const t = checkIndex("crossEntropy", target, c, 1);
  const loss = scratch([n], x.dtype), probs = scratch([n, c], x.dtype);
  kernels().crossEntropy(x.data as FloatArray, n, c, t, smoothing, loss.data as FloatArray, probs.data as FloatArray);
  return recordFused(loss, "crossEntropy", [x], (gy) => {
    const gx = scratch([n, c], x.dtype);
    kernels().crossEntropyBackward(probs.data as FloatArray, t, n, c, smoothing, gy.data as FloatArray, gx.data as FloatArray);
    return [gx];
  }, () => composed(x, target, smoothing));
}

/** The same loss in differentiable ops. */
function composed(x: Tensor, target: Tensor, smoothing: number): Tensor {
  const logp = logSoftmax(x, -1);
  const picked = gather(logp, 1, target.reshape([-1, 1])).reshape([-1]).neg();
  return smoothing > 0 ? picked.mul(1 - smoothing).add(logp.mean(1).neg().mul(smoothing)) : picked;
}
