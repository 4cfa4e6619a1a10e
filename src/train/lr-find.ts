import type { Dataset } from "../data/dataset.js";
import { OptionError, ValueError } from "../errors.js";
import { crossEntropy } from "../nn/losses/index.js";
import type { Module } from "../nn/module.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import { above, checkOptions, choice, isBoolean, isFunction, nonNegativeInt, option, orNull, positiveInt, required, type Check, type OptionsOf } from "../options.js";
import { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Callback } from "./callback.js";
import type { LossFn } from "./evaluate.js";
import { fit, isDataset, isOptimizer } from "./fit.js";
import { lrSuggestions, type LrSuggestions } from "./lr-suggestions.js";
import { LrSweep, type LrSweepStop } from "./lr-sweep.js";
import { snapshotTraining } from "./training-snapshot.js";

const atLeast6: Check = (v) => (Number.isInteger(v) && (v as number) >= 6 ? null : "an integer >= 6 (the suggestions leave out the last 5 points)");
const beta: Check = (v) => (typeof v === "number" && v >= 0 && v < 1 ? null : "a number in [0, 1)");
const generatorList: Check = (v) => (Array.isArray(v) && v.every((g) => g instanceof Generator) ? null : "an array of Generators");

const LR_FIND_OPTIONS = {
  /** The training set (required). */
  train: required<Dataset<Tensor[]>>(isDataset),
  /** Default: cross-entropy. */
  lossFn: option<LossFn>((out, y) => crossEntropy(out, y), isFunction),
  /** The optimizer over the model's parameters (required); every param group trains at the sweep's lr. */
  optimizer: required<Optimizer<GroupOptions>>(isOptimizer),
  /** The first batch's lr (default 1e-7, fastai's). */
  startLr: option(1e-7, above(0)),
  /** The lr the sweep heads for (default 10, fastai's); batch i of numIt trains at startLr·(endLr/startLr)^(i/numIt). */
  endLr: option(10, above(0)),
  /** Batches at most (default 100). */
  numIt: option(100, atLeast6),
  /** "exp" (default, fastai's) or "linear" steps between startLr and endLr. */
  mode: choice("exp", "linear"),
  /** Stop once the smoothed loss exceeds stopDiv × its best (default 4, fastai's); null: run all numIt batches. */
  stopDiv: option<number | null>(4, orNull(above(1))),
  /** β of the debiased moving average of the loss (default 0.98, fastai's AvgSmoothLoss). */
  smoothing: option(0.98, beta),
  /** Default 32, as fit's. */
  batchSize: option(32, positiveInt),
  /** Shuffle the training set (default true). */
  shuffle: option(true, isBoolean),
  /** Seeds the sweep's data order and ctx.generator, as fit's seed (default 0). */
  seed: option(0, nonNegativeInt),
  /** fit's transform (augmentation), applied to each batch. */
  transform: option<((batch: [input: Tensor, target: Tensor], generator: Generator) => Tensor[]) | null>(null, orNull(isFunction)),
  /** fit's penalty, added to the loss before backward (not to the recorded loss). */
  penalty: option<((model: Module) => Tensor) | null>(null, orNull(isFunction)),
  /** fit's clipGradNorm. */
  clipGradNorm: option<number | null>(null, orNull(above(0))),
  /** Random streams of yours that training draws from (beside the global one, always restored): put back afterwards too. */
  generators: option<Generator[]>([], generatorList),
};

/** The options of lrFind. */
export interface LrFindOptions extends OptionsOf<typeof LR_FIND_OPTIONS> {}

/** An LR range test's curve and fastai's suggestions on it. */
export interface LrFindResult {
  /** The lr each batch trained at. */
  lrs: number[];
  /** Each batch's loss. */
  losses: number[];
  /** The debiased moving average of the losses, which the suggestions and the stop read. */
  smoothed: number[];
  /** "diverged": the smoothed loss passed stopDiv × its best; "numIt": every batch ran. */
  stop: LrSweepStop;
  /** fastai's rules on (lrs, smoothed) cut as lr_find cuts them (see lrSuggestions). */
  suggestions: LrSuggestions;
}

/**
 * The LR range test (Smith 2017), exactly as fastai's lr_find: trains from startLr towards endLr one batch
 * at a time, records each loss and its debiased moving average, stops when that average passes stopDiv ×
 * its best, and suggests learning rates (valley, slide, minimum, steep). Then it puts everything back —
 * weights, batch norm's statistics, gradients, module modes, the optimizer's state and hyperparameters,
 * the global random stream and `generators` — so that training afterwards is bit for bit the training
 * without the test (fastai once leaked the optimizer's state: fastai#2892, #3185, #3013).
 * A first loss that is not finite is refused: no learning rate can be read from such a curve.
 * @example const { suggestions } = mn.train.lrFind(model, { train, optimizer: new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }) });
 */
export function lrFind(model: Module, options: LrFindOptions): LrFindResult {
  const o = resolve(options);
  const restore = snapshotTraining(model, o.optimizer, o.generators);
  let sweep: LrSweep;
  try {
    sweep = runSweep(model, o);
  } finally {
    restore();
  }
  const { lrs, losses, smoothed } = sweep;
  return { lrs, losses, smoothed, stop: sweep.stop!, suggestions: lrSuggestions({ lrs, losses: smoothed, numIt: o.numIt }) };
}

function resolve(options: LrFindOptions): Required<LrFindOptions> {
  const o = checkOptions("lrFind", options, LR_FIND_OPTIONS);
  if (!(o.endLr > o.startLr)) {
    throw new OptionError({ where: "lrFind", what: `endLr ${o.endLr} is not above startLr ${o.startLr}`, expected: "endLr > startLr" });
  }
  return o;
}

/** The sweep itself, through fit: it changes the model, the optimizer and the random streams (lrFind puts them back). */
export function runSweep(model: Module, options: LrFindOptions): LrSweep {
  const o = resolve(options);
  const sweep = new LrSweep({ startLr: o.startLr, endLr: o.endLr, numIt: o.numIt, mode: o.mode, stopDiv: o.stopDiv, smoothing: o.smoothing });
  const recorder: Callback = {
    onBatchBegin: (ctx) => {
      const lr = sweep.lrAt(ctx.step);
      for (const g of o.optimizer.paramGroups) g.lr = lr;
    },
    onBatchEnd: (ctx, log) => {
      if (sweep.losses.length === 0 && !Number.isFinite(log.loss)) {
        throw new ValueError({ where: "lrFind", what: `the first batch's loss (at lr ${log.lr}) is ${log.loss}`, expected: "a finite loss before the learning rate grows: check the model's initialization, the data and lossFn" });
      }
      if (sweep.record(log.lr, log.loss)) ctx.stop(sweep.stop === "diverged" ? `the smoothed loss passed ${o.stopDiv} × its best` : `${o.numIt} batches`);
    },
  };
  // Epochs enough for numIt batches; the recorder stops fit at the sweep's end.
  fit(model, {
    train: o.train, loss: o.lossFn, optimizer: o.optimizer, epochs: o.numIt, batchSize: o.batchSize, shuffle: o.shuffle, seed: o.seed,
    transform: o.transform, penalty: o.penalty, clipGradNorm: o.clipGradNorm, callbacks: [recorder], verbose: 0, layerStatsEvery: 0, accuracy: false,
  });
  return sweep;
}
