import { crossEntropy } from "../nn/losses/index.js";
import { above, checkOptions, choice, isFunction, option, positiveInt, required, type OptionsOf } from "../options.js";
import { Generator } from "../tensor/random.js";
import type { BatchLog, Callback, FitContext } from "../train/callback.js";
import type { LossFn } from "../train/evaluate.js";
import { hessian, type Batch } from "./hessian.js";

const SHARPNESS_MONITOR_OPTIONS = {
  /** Measure λmax after every this many optimizer steps (required). */
  every: required<number>(positiveInt),
  /** The fixed batches the Hessian averages over, weighted by size, e.g. a few training batches (required). */
  batches: required<readonly Batch[]>((v) => (Array.isArray(v) && v.length > 0 ? null : "a non-empty array of [inputs, targets] batches")),
  /** The loss whose Hessian it is: fit's `loss` (default cross-entropy, fit's default). */
  lossFn: option<LossFn>((out, y) => crossEntropy(out, y), isFunction),
  /** "lanczos" (default) or "power" (PyHessian's iteration: the largest |λ|). */
  method: choice("lanczos", "power"),
  /** Lanczos: stop when the Ritz pair's residual is at most tol·|λ|; power: when λ changes by less than tol relative (default 1e-3). */
  tol: option(1e-3, above(0)),
  /** At most this many products per measurement (default 50). */
  maxIter: option(50, positiveInt),
};

/** The options of SharpnessMonitor. */
export interface SharpnessMonitorOptions extends OptionsOf<typeof SHARPNESS_MONITOR_OPTIONS> {}

/**
 * Logs the sharpness λmax (the largest eigenvalue of the loss's Hessian on fixed batches) during training, every
 * `every` optimizer steps, into history.sharpness beside the lr the step used: gradient descent on a quadratic is
 * stable only while λmax < 2/lr, and full-batch training rises to that edge and hovers there (Cohen et al. 2021,
 * "Gradient Descent on Neural Networks Typically Occurs at the Edge of Stability"). Each measurement is
 * mn.landscape.hessian(model, lossFn, batches).topEigen() in eval mode, started from a generator seeded with the step,
 * so it draws nothing from training's random streams, leaves gradients and batch-norm statistics alone, and training
 * with the monitor is bit-identical to training without it. The run log writes the records ("sharpness"), and the run
 * report draws them next to 2/lr.
 * @example const monitor = new mn.landscape.SharpnessMonitor({ every: 100, batches: [[x, y]] }); mn.train.fit(model, { train, optimizer, callbacks: [monitor] });
 */
export class SharpnessMonitor implements Callback {
  private readonly o: ReturnType<typeof checkOptions<typeof SHARPNESS_MONITOR_OPTIONS>>;

  constructor(options: SharpnessMonitorOptions) {
    this.o = checkOptions("SharpnessMonitor", options, SHARPNESS_MONITOR_OPTIONS);
  }

  onBatchEnd(ctx: FitContext, log: BatchLog): void {
    if (ctx.step % this.o.every !== 0) return;
    const H = hessian(ctx.model, this.o.lossFn, this.o.batches);
    let warning: string | null = null;
    const { values } = H.topEigen({
      method: this.o.method, tol: this.o.tol, maxIter: this.o.maxIter, generator: new Generator(ctx.step), onWarning: (m: string) => (warning = m),
    });
    ctx.history.sharpness.push({ step: ctx.step, epoch: log.epoch, lambdaMax: values[0]!, lr: log.lr, matvecs: H.matvecs });
    if (warning !== null) ctx.history.events.push({ step: ctx.step, epoch: log.epoch, message: `SharpnessMonitor: ${warning}` });
  }
}
