import { noGrad } from "../../autograd/no-grad.js";
import { DTypeError, OptionError, ShapeError, showShape } from "../../errors.js";
import { cloneModule, Module } from "../../nn/module.js";
import { checkOptions, choice, isBoolean, option, optional, unitInterval, type OptionsOf } from "../../options.js";
import { tensor } from "../../tensor/create.js";
import { Tensor } from "../../tensor/tensor.js";

/**
 * A custom average: given the averaged tensor, the model's current one and how many models are
 * in the average so far (≥ 1), returns the new average (as torch's avg_fn). Called under noGrad.
 */
export type AvgFn = (averaged: Tensor, current: Tensor, nAveraged: number) => Tensor;

const AVERAGED_MODEL_OPTIONS = {
  /** How to average: "swa" (equal weights, the default) or "ema" (exponential, Polyak). */
  mode: choice("swa", "ema"),
  /** The EMA's weight of the past (default 0.999); only with mode "ema". */
  decay: option(0.999, unitInterval),
  /** A custom (averaged, current, nAveraged) => Tensor average, used instead of mode and decay. */
  avgFn: optional<AvgFn>((v) => (typeof v === "function" ? null : "a function (averaged, current, nAveraged) => Tensor")),
  /** Average the buffers too (true), or copy the model's buffers at each update (default false). */
  useBuffers: option(false, isBoolean),
};

/** The options of an AveragedModel. */
export interface AveragedModelOptions extends OptionsOf<typeof AVERAGED_MODEL_OPTIONS> {}

/**
 * A running average of a model's weights, kept in a copy of the model, as
 * torch.optim.swa_utils.AveragedModel. Train the model as usual and call
 * `updateParameters(model)` now and then (each epoch for SWA, each step for an EMA); evaluate
 * with `forward` (or `module`), which uses the averaged weights. The first update copies the
 * model; after n models are in the average, the next one is folded in as
 *
 *   "swa" (Izmailov et al. 2018, Stochastic Weight Averaging):  θ̄ ← θ̄ + (θ − θ̄)/(n+1),
 *          the equal-weight mean of every model passed in;
 *   "ema" (Polyak & Juditsky 1992; the EMA of weights):          θ̄ ← decay·θ̄ + (1−decay)·θ,
 *          the exponentially weighted average of mn.optim.EWMA, without bias correction (the
 *          first update copies the model, so there is no zero start to correct).
 *
 * Averaging weights along the end of an SGD trajectory lands nearer the centre of the flat
 * region SGD bounces around in, which tends to generalize better than the last iterate.
 *
 * The copy is a structural clone of `model` (what Python's deepcopy does for torch): the same
 * class, the same fields and child modules, each parameter and buffer a new tensor with its own
 * data, so the model's constructor never has to be called again (its arguments are not known
 * here) and any Module subclass works without a factory. Tensors shared within the model (tied
 * weights, views) stay shared in the copy; objects that are not weights (a Generator, a
 * function) are shared with the model rather than copied.
 *
 * After averaging, BatchNorm statistics belong to no single model: recompute them with
 * `swaUtils.updateBn(loader, averaged)`. `stateDict()` has the keys "module.<name>" and
 * "nAveraged", as torch's.

 * @example
 * const swa = new mn.optim.swaUtils.AveragedModel(model);                        // or { mode: "ema", decay: 0.999 }
 * for (let epoch = 0; epoch < 100; epoch++) { trainOneEpoch(); if (epoch >= 75) swa.updateParameters(model); }
 * mn.optim.swaUtils.updateBn(trainLoader, swa);
 * const logits = mn.noGrad(() => swa.forward(x));
 */
export class AveragedModel<M extends Module = Module> extends Module {
  /** The copy that holds the averaged weights. */
  readonly module: M;
  readonly mode: "swa" | "ema";
  readonly decay: number;
  readonly useBuffers: boolean;
  private readonly avgFn: AvgFn | null;
  private readonly averaged: Tensor;

  constructor(model: M, options: AveragedModelOptions = {}) {
    super();
    const where = "AveragedModel";
    if (!(model instanceof Module)) throw new OptionError({ where, what: "model is not an mn.nn.Module", got: String(model) });
    const o = checkOptions(where, options, AVERAGED_MODEL_OPTIONS);
    if (options.avgFn !== undefined && (options.mode !== undefined || options.decay !== undefined)) {
      throw new OptionError({ where, what: "avgFn replaces mode and decay; pass either avgFn or mode/decay" });
    }
    if (options.decay !== undefined && o.mode !== "ema") {
      throw new OptionError({ where, what: `decay applies to mode "ema" only, and mode is "${o.mode}"` });
    }
    this.mode = o.mode;
    this.decay = o.decay;
    this.useBuffers = o.useBuffers;
    this.avgFn = o.avgFn ?? null;
    this.module = this.registerModule("module", cloneModule(model));
    this.averaged = this.registerBuffer("nAveraged", tensor(0, { dtype: "int32" }));
  }

  /** How many models are in the average (updateParameters calls so far). */
  get nAveraged(): number {
    return this.averaged.data[0]!;
  }

  /** Runs the averaged module. */
  forward(...inputs: Tensor[]): Tensor {
    return this.module.forward(...inputs);
  }

  /** Folds the current weights of `model` (the one being trained, same architecture) into the average. */
  updateParameters(model: Module): void {
    const where = "AveragedModel.updateParameters";
    if (!(model instanceof Module)) throw new OptionError({ where, what: "model is not an mn.nn.Module", got: String(model) });
    const pick = (m: Module) => (this.useBuffers ? [...m.namedParameters(), ...m.namedBuffers()] : m.namedParameters());
    const mine = pick(this.module);
    const theirs = pick(model);
    checkSameLayout(where, mine, theirs);
    const n = this.nAveraged;
    noGrad(() => {
      mine.forEach(([name, avg], i) => {
        const cur = theirs[i]![1];
        const a = avg.data, p = cur.data;
        if (n === 0) a.set(p);
        else if (this.avgFn) {
          const out = this.avgFn(avg.detach(), cur.detach(), n);
          if (!(out instanceof Tensor) || out.numel() !== avg.numel()) {
            throw new ShapeError({ where, what: `avgFn returned ${out instanceof Tensor ? showShape(out.shape) : String(out)} for ${name}, expected a tensor of shape ${showShape(avg.shape)}` });
          }
          a.set(out.data);
        } else if (this.mode === "ema") {
          const d = this.decay;
          for (let j = 0; j < a.length; j++) a[j] = d * a[j]! + (1 - d) * p[j]!;
        } else {
          for (let j = 0; j < a.length; j++) a[j] = a[j]! + (p[j]! - a[j]!) / (n + 1);
        }
      });
    });
    // Buffers that are not averaged follow the model, so they are never stale (torch ≥ 2.0 does the same).
    if (!this.useBuffers) {
      const mineB = this.module.namedBuffers();
      const theirsB = model.namedBuffers();
      checkSameLayout(where, mineB, theirsB);
      mineB.forEach(([, b], i) => b.data.set(theirsB[i]![1].data));
    }
    this.averaged.data[0] = n + 1;
  }

  protected override extraRepr(): string {
    return this.avgFn ? "avgFn" : this.mode === "ema" ? `mode="ema", decay=${this.decay}` : `mode="swa"`;
  }
}

/** Fails unless both lists hold the same names with the same shapes and dtypes, in order. */
function checkSameLayout(where: string, mine: [string, Tensor][], theirs: [string, Tensor][]): void {
  const names = (l: [string, Tensor][]) => l.map(([n]) => n).join(", ");
  if (mine.length !== theirs.length || mine.some(([n], i) => n !== theirs[i]![0])) {
    throw new ShapeError({ where, what: `the model does not match the averaged one: it has [${names(theirs)}], the average [${names(mine)}]` });
  }
  mine.forEach(([name, a], i) => {
    const b = theirs[i]![1];
    if (a.shape.length !== b.shape.length || a.shape.some((d, j) => d !== b.shape[j])) {
      throw new ShapeError({ where, what: `size mismatch for ${name}: the model has ${showShape(b.shape)}, the average ${showShape(a.shape)}` });
    }
    if (a.dtype !== b.dtype) throw new DTypeError({ where, what: `${name} is ${b.dtype} in the model, ${a.dtype} in the average` });
  });
}
