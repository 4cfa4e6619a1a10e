import { MinimaError, OptionError } from "../../errors.js";
import { checkOptions, isBoolean, option, type OptionsOf } from "../../options.js";
import { inPlan } from "../../backend/capture/record.js";
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
  let total = 0;
  // In its place in a captured step (mn.compile), which clips each step's gradients again.
  inPlan("clipGradNorm", () => { total = clipTotalNorm(grads, maxNorm, o.normType, o.errorIfNonfinite); }, grads);
  return total;
}

/** clipGradNorm over the gradients' arrays: scales them in place so their total p-norm is at most maxNorm; returns it. */
export function clipTotalNorm(grads: readonly FloatArray[], maxNorm: number, p: number, errorIfNonfinite: boolean): number {
  const where = "clipGradNorm";
  let total: number;
  if (p === Infinity) {
    total = 0;
    for (const g of grads) for (const v of g) total = Math.max(total, Math.abs(v)); // a NaN stays NaN
  } else {
    // The norm of the per-parameter norms, as PyTorch takes it, so the rounding matches its result.
    let acc = 0;
    for (const g of grads) {
      let s = 0;
      for (const v of g) s += Math.abs(v) ** p;
      acc += (s ** (1 / p)) ** p;
    }
    total = acc ** (1 / p);
  }
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new MinimaError({
      where,
      what: `the total norm of order ${p} of the gradients is ${total}, so they cannot be clipped; pass errorIfNonfinite: false to scale them by it anyway`,
    });
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  if (coef !== 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
  return total;
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
  inPlan("clipGradValue", () => {
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) {
        const v = g[i]!;
        if (v > clipValue) g[i] = clipValue;
        else if (v < -clipValue) g[i] = -clipValue;
      }
    }
  }, grads);
}
