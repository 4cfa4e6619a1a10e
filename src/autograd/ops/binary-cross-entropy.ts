import type { Tensor } from "../../tensor/tensor.js";
import { record, withGradMode } from "../tape.js";

/**
 * torch's floor under x·(1 − x) in the backward, so that x = 0 or 1 gives a large gradient rather than ±∞ or
 * NaN: 1e-12 as a C++ float, which it stays in float64 too (torch's float64 gradient there is 1/fround(1e-12)).
 */
const EPSILON = Math.fround(1e-12);

/** log(v), floored at −100 as torch floors it, so that a probability of exactly 0 or 1 gives a finite loss. */
function flooredLog(v: Tensor): Tensor {
  return v.log().clamp(-100, null);
}

/**
 * The elementwise binary cross-entropy of probabilities x against targets t, as torch 1.13 computes it:
 * (t − 1)·max(log(1 − x), −100) − t·max(log x, −100). Its backward is torch's too,
 * (x − t) / max(x·(1 − x), 1e-12) for x and log(1 − x) − log x (floored) for t, written in tensor ops
 * so that it can itself be differentiated; differentiating the floored forward instead would give NaN at
 * x = 0 or 1, where torch gives ∓1e12.
 */
export function binaryCrossEntropyElementwise(x: Tensor, t: Tensor): Tensor {
  const out = withGradMode(false, () => t.sub(1).mul(flooredLog(x.neg().add(1))).sub(t.mul(flooredLog(x))));
  return record(out, "binaryCrossEntropy", [x, t], (gy) => [
    x.requiresGrad ? gy.mul(x.sub(t)).div(x.neg().add(1).mul(x).clamp(EPSILON, null)) : null,
    t.requiresGrad ? gy.mul(flooredLog(x.neg().add(1)).sub(flooredLog(x))) : null,
  ]);
}
