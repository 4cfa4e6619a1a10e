import type { AdagradOptions } from "../../optim/adagrad.js";
import type { AdamOptions } from "../../optim/adam.js";
import type { StepArgs } from "../../optim/optimizer.js";
import type { RMSpropOptions } from "../../optim/rmsprop.js";
import type { SGDOptions } from "../../optim/sgd.js";
import type { FloatArray } from "../../tensor/dtype.js";

/** The addon's fused updates (native/src/optim.cc): one pass over a parameter per step. */
export interface NativeOptimizerKernels {
  sgdStep(p: FloatArray, g: FloatArray, buf: FloatArray | null, lr: number, momentum: number, undamped: number,
    weightDecay: number, sign: number, nesterov: boolean, first: boolean): void;
  adamStep(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vMax: FloatArray | null, b1: number, c1: number, b2: number, c2: number,
    stepSize: number, bc2: number, bc2Sqrt: number, eps: number, l2: number, shrink: number, sign: number, epsInsideSqrt: boolean): void;
  rmspropStep(p: FloatArray, g: FloatArray, squareAvg: FloatArray, gradAvg: FloatArray | null, momentumBuffer: FloatArray | null,
    lr: number, alpha: number, c: number, eps: number, weightDecay: number, momentum: number, sign: number, epsInsideSqrt: boolean): void;
  adagradStep(p: FloatArray, g: FloatArray, sum: FloatArray, clr: number, weightDecay: number, eps: number, sign: number,
    h0: number, first: boolean, epsInsideSqrt: boolean): void;
}

type Step<O> = (args: StepArgs<O>) => void;

/**
 * The rules the addon fuses, by rule name (the Kernels contract's optimizerSteps): each computes the
 * per-step scalars exactly as the rule's own loop in src/optim/ does and hands the buffers over.
 */
export function nativeOptimizerSteps(k: NativeOptimizerKernels): Record<string, Step<never>> {
  const adam = (decoupled: boolean): Step<Required<AdamOptions>> => ({ p, g, s, t, o }) => {
    const [b1, b2] = o.betas;
    const bc1 = o.biasCorrection ? 1 - b1 ** t : 1, bc2 = o.biasCorrection ? 1 - b2 ** t : 1;
    k.adamStep(p, g, s["expAvg"]!, s["expAvgSq"]!, s["maxExpAvgSq"] ?? null, b1, 1 - b1, b2, 1 - b2, o.lr / bc1, bc2, Math.sqrt(bc2), o.eps,
      decoupled ? 0 : o.weightDecay, decoupled ? 1 - o.lr * o.weightDecay : 1, o.maximize ? -1 : 1, o.epsInsideSqrt);
  };
  const sgd: Step<Required<SGDOptions>> = ({ p, g, s, t, o }) =>
    k.sgdStep(p, g, s["momentumBuffer"] ?? null, o.lr, o.momentum, 1 - o.dampening, o.weightDecay, o.maximize ? -1 : 1, o.nesterov, t === 1);
  const rmsprop: Step<Required<RMSpropOptions>> = ({ p, g, s, o }) =>
    k.rmspropStep(p, g, s["squareAvg"]!, s["gradAvg"] ?? null, s["momentumBuffer"] ?? null, o.lr, o.alpha, 1 - o.alpha, o.eps, o.weightDecay,
      o.momentum, o.maximize ? -1 : 1, o.epsInsideSqrt);
  const adagrad: Step<Required<AdagradOptions>> = ({ p, g, s, t, o }) =>
    k.adagradStep(p, g, s["sum"]!, o.lr / (1 + (t - 1) * o.lrDecay), o.weightDecay, o.eps, o.maximize ? -1 : 1,
      o.initialAccumulatorValue, t === 1, o.epsInsideSqrt);
  return { SGD: sgd, Adam: adam(false), AdamW: adam(true), RMSprop: rmsprop, Adagrad: adagrad } as Record<string, Step<never>>;
}
