import type { Tensor } from "../../tensor/tensor.js";
import { recordFused } from "../fused.js";
import { isGradEnabled, record, withGradMode } from "../tape.js";

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

/**
 * The elementwise binary cross-entropy of logits z against targets t, weighted, as torch 1.13 computes it: with
 * m = max(−z, 0), (1 − t)·z + (1 + (p − 1)·t)·(log(e^(−m) + e^(−z−m)) + m), times w; p (posWeight) and w may be
 * null. Neither exponent is ever positive, so no logit overflows. When only z needs a gradient, the backward
 * is torch's closed form, ((p·t + 1 − t)·σ(z) − p·t)·w, four passes instead of the chain rule through the
 * dozen ops above; a differentiable backward (createGraph), or a gradient for t, p or w, differentiates the ops.
 */
export function binaryCrossEntropyWithLogitsElementwise(z: Tensor, t: Tensor, p: Tensor | null, w: Tensor | null): Tensor {
  const composed = () => {
    const m = z.neg().clamp(0, null);
    const softplusNeg = m.neg().exp().add(z.neg().sub(m).exp()).log().add(m);
    const loss = t.neg().add(1).mul(z).add(p ? p.sub(1).mul(t).add(1).mul(softplusNeg) : softplusNeg);
    return w ? loss.mul(w) : loss;
  };
  if (!isGradEnabled() || !z.requiresGrad || t.requiresGrad || p?.requiresGrad || w?.requiresGrad) return composed();
  const out = withGradMode(false, composed);
  return recordFused(out, "binaryCrossEntropyWithLogits", [z], (gy) => {
    const s = z.sigmoid();
    const pt = p ? p.mul(t) : null;
    const dz = pt ? pt.add(1).sub(t).mul(s).sub(pt) : s.sub(t);
    const gz = (w ? dz.mul(w) : dz).mul(gy);
    return [gz.dtype === z.dtype ? gz : gz.to(z.dtype)]; // a float64 weight on float32 logits promotes the loss, not z's gradient
  }, composed);
}
