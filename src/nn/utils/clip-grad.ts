import { MinimaError, OptionError } from "../../errors.js";
import { checkOptions, isBoolean, option, type OptionsOf } from "../../options.js";
import { inPlan } from "../../backend/capture/record.js";
import { gradNorm, scaleGrads } from "../../backend/js/clip-grad.js";
import { kernels } from "../../backend/select.js";
import type { FloatArray } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";

const CLIP_GRAD_NORM_OPTIONS = {
  /** The p of the p-norm: any p > 0, or Infinity for the largest |g| (default 2). */
  normType: option(2, (v) => (typeof v === "number" && v > 0 ? null : "a number > 0, or Infinity")),
  /** Throw when the total norm is NaN or ±∞ instead of scaling by it (default false: a NaN/∞ norm scales the gradients to NaN/0, as PyTorch does). */
  errorIfNonfinite: option(false, isBoolean),
};

/** The options of clipGradNorm. */
export interface ClipGradNormOptions extends OptionsOf<typeof CLIP_GRAD_NORM_OPTIONS> {}

/** The tensors that have a gradient, from one tensor or an iterable of them (parameters() or a list). */
function withGrad(where: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new OptionError({ where, what: `param ${i} is not a Tensor`, got: String(p) });
  });
  return list.filter((p) => p.grad !== null);
}

/**
 * Rescales the gradients of `params` in place so that their total norm, taken over all of them
 * together as if they were one vector, is at most `maxNorm`; returns that total norm (before
 * clipping), as torch.nn.utils.clip_grad_norm_ (Pascanu, Mikolov & Bengio 2013, "On the
 * difficulty of training recurrent neural networks"):
 *
 *   ‖g‖ₚ = (Σᵢ ‖gᵢ‖ₚᵖ)^(1/p)          ‖g‖∞ = maxᵢ maxⱼ |gᵢⱼ|
 *   c = maxNorm / (‖g‖ₚ + 1e-6)        every gᵢ ← min(c, 1)·gᵢ
 *
 * The direction of the step is kept; only its length is capped, which tames the rare huge
 * gradient (exploding gradients, a loss spike) without touching the ordinary ones. Call it
 * between `loss.backward()` and `opt.step()`. Parameters whose `grad` is null are skipped; with
 * none left the total norm is 0. The norm is accumulated in double precision whatever the
 * gradients' dtype, so for float32 it can differ from PyTorch's float32 sum in the last bits.
 *
 * @param params   the parameters (a Tensor or any iterable of them, e.g. `model.parameters()`)
 * @param maxNorm  the largest total norm allowed (≥ 0)
 * @param options  normType and errorIfNonfinite
 * @returns the total norm of the gradients before clipping
 * @example loss.backward(); const norm = mn.nn.utils.clipGradNorm(model.parameters(), 1.0); opt.step();
 */
export function clipGradNorm(params: Tensor | Iterable<Tensor>, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const where = "clipGradNorm";
  const o = checkOptions(where, options, CLIP_GRAD_NORM_OPTIONS);
  if (typeof maxNorm !== "number" || !(maxNorm >= 0)) throw new OptionError({ where, what: "invalid maxNorm", expected: "a number ≥ 0", got: String(maxNorm) });
  const list = withGrad(where, params);
  if (list.length === 0) return 0;
  const grads = list.map((t) => t.grad!.data as FloatArray);
  if (o.errorIfNonfinite) {
    // The check throws from JavaScript, so the clipping runs in its place in a captured step (inPlan).
    let total = 0;
    inPlan("clipGradNorm", () => {
      total = gradNorm(grads, o.normType);
      if (!Number.isFinite(total)) {
        throw new MinimaError({
          where,
          what: `the total norm of order ${o.normType} of the gradients is ${total}, so they cannot be clipped; pass errorIfNonfinite: false to scale them by it anyway`,
        });
      }
      scaleGrads(grads, maxNorm, total);
    }, grads);
    return total;
  }
  // A kernel call (mn.compile's step replays it among the others); the total is read after it.
  const total = new Float64Array(1);
  kernels().clipGradNorm(grads, maxNorm, o.normType, total);
  return total[0]!;
}

/**
 * Clamps every gradient element into [−clipValue, clipValue] in place, as
 * torch.nn.utils.clip_grad_value_. Unlike clipGradNorm this changes the direction of the
 * step (each coordinate is cut on its own). Parameters whose `grad` is null are skipped; NaN
 * elements stay NaN.
 * @param params     the parameters (a Tensor or any iterable of them)
 * @param clipValue  the largest |g| allowed (≥ 0)
 * @example loss.backward(); mn.nn.utils.clipGradValue(model.parameters(), 0.5); opt.step();
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const where = "clipGradValue";
  if (typeof clipValue !== "number" || !(clipValue >= 0)) throw new OptionError({ where, what: "invalid clipValue", expected: "a number ≥ 0", got: String(clipValue) });
  const grads = withGrad(where, params).map((t) => t.grad!.data as FloatArray);
  kernels().clipGradValue(grads, clipValue);
}
