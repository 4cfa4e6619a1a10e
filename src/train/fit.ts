import { DataLoader } from "../data/data-loader.js";
import type { Dataset } from "../data/dataset.js";
import { StateDictError } from "../errors.js";
import { crossEntropy } from "../nn/losses.js";
import type { Module } from "../nn/module.js";
import { clipGradNorm } from "../nn/utils/clip-grad.js";
import type { GroupOptions, Optimizer, OptimizerStateDict } from "../optim/optimizer.js";
import { above, checkOptions, isBoolean, isFunction, nonNegativeInt, option, orNull, positiveInt, required, type Check, type OptionsOf } from "../options.js";
import { defaultGenerator, Generator, type GeneratorState } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import type { BatchLog, Callback, FitContext, SchedulerLike } from "./callback.js";
import type { Checkpoint, TrainState } from "./checkpoint.js";
import { evaluate, type LossFn } from "./evaluate.js";
import { History, type EpochLog } from "./history.js";
import { batchCorrect } from "./batch-correct.js";
import { LayerStats } from "./layer-stats.js";
import { globalGradNorm } from "./norms.js";
import { scheduledLR, type ScheduledLR } from "./scheduled-lr.js";

export type { ScheduledLR } from "./scheduled-lr.js";

const isDataset: Check = (v) =>
  v !== null && typeof v === "object" && typeof (v as Dataset<unknown>).get === "function" && Number.isInteger((v as Dataset<unknown>).length) ? null : "a dataset (length and get(i))";
const isOptimizer: Check = (v) =>
  v !== null && typeof v === "object" && Array.isArray((v as Optimizer<GroupOptions>).paramGroups) && typeof (v as Optimizer<GroupOptions>).step === "function" ? null : "an mn.optim optimizer";
const isCallbackList: Check = (v) => (Array.isArray(v) && v.every((c) => c !== null && typeof c === "object") ? null : "an array of callbacks");

const FIT_OPTIONS = {
  /** The training set (required). */
  train: required<Dataset<Tensor[]>>(isDataset),
  /** Evaluated after every epoch (valLoss, valAccuracy) (default null: none). */
  val: option<Dataset<Tensor[]> | null>(null, orNull(isDataset)),
  /** Evaluated after every epoch too (testLoss, testAccuracy) (default null: none). */
  test: option<Dataset<Tensor[]> | null>(null, orNull(isDataset)),
  /** Default: cross-entropy (class indices or soft targets). */
  loss: option<LossFn>((out, y) => crossEntropy(out, y), isFunction),
  /** The optimizer over the model's parameters (required). */
  optimizer: required<Optimizer<GroupOptions>>(isOptimizer),
  /**
   * A bare scheduler steps per epoch, as in PyTorch recipes (ReduceLROnPlateau on valLoss), unless
   * it declares `interval: "step"`; or say when with { scheduler, interval, monitor }.
   */
  scheduler: option<SchedulerLike | ScheduledLR | null>(null),
  /** Passes over the training set (required). */
  epochs: required<number>(positiveInt),
  /** Default 32 (Keras's). */
  batchSize: option(32, positiveInt),
  /** Batch size for validation and test passes (default 1000). */
  evalBatchSize: option(1000, positiveInt),
  /** Reshuffle the training set every epoch (default true). */
  shuffle: option(true, isBoolean),
  /** Drop each epoch's last, smaller batch (default false). */
  dropLast: option(false, isBoolean),
  /** Callbacks, called in order (checkpoint writers last) (default none). */
  callbacks: option<Callback[]>([], isCallbackList),
  /** Seeds the data order and ctx.generator (augmentation, noise); default 0. */
  seed: option(0, nonNegativeInt),
  /** Applied to every training batch ([input, target] in, out), e.g. augmentation or mixup. */
  transform: option<((batch: Tensor[], generator: Generator) => Tensor[]) | null>(null, orNull(isFunction)),
  /** Added to the loss before backward (L1/L2 penalties); not part of the reported loss. */
  penalty: option<((model: Module) => Tensor) | null>(null, orNull(isFunction)),
  /** Clip the gradients' global L2 norm to this before each step (default null: no clipping). */
  clipGradNorm: option<number | null>(null, orNull(above(0))),
  /** Record per-parameter norms and update/weight ratios every this many steps (default: 10 times an epoch; 0: never). */
  layerStatsEvery: option(-1, (v) => (Number.isInteger(v) && (v as number) >= -1 ? null : "a non-negative integer")),
  /** Report accuracy (argmax of the output against class indices or soft targets' argmax). Default: when targets are int32. */
  accuracy: option<boolean | "auto">("auto", (v) => (v === true || v === false || v === "auto" ? null : 'true, false or "auto"')),
  /** A checkpoint to continue from (mn.train.loadCheckpoint): the model, optimizer, scheduler, callbacks, RNGs and history resume exactly. */
  resume: option<Checkpoint | null>(null),
};

/** The options of fit. */
export interface FitOptions extends OptionsOf<typeof FIT_OPTIONS> {}

/**
 * Trains `model` for `epochs` passes over `train` in shuffled mini-batches (Keras's model.fit, in
 * PyTorch's terms): zero the gradients, forward, loss (+ penalty), backward, clip, step; the
 * scheduler after each step or epoch; validation and test metrics after each epoch in eval mode.
 * Callbacks watch and steer (early stopping, checkpoints, logging, divergence guards); the History
 * holds every epoch, every step (loss, lr, gradient norm) and sampled per-layer statistics.
 *
 * Deterministic: the data order and ctx.generator come from `seed`, dropout from the global
 * generator; a checkpoint holds all three, so `resume` continues bit for bit.
 * @example const history = mn.train.fit(model, { train, val, optimizer: new mn.optim.Adam(model.parameters()), epochs: 10, batchSize: 64,
 *   callbacks: [new mn.train.callbacks.EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export function fit(model: Module, options: FitOptions): History {
  const o = checkOptions("fit", options, FIT_OPTIONS);
  const { optimizer } = o;
  const scheduled = scheduledLR(o.scheduler);
  const orderGenerator = new Generator(o.seed * 2 + 1);
  const generator = new Generator(o.seed * 2 + 2);
  const loader = new DataLoader(o.train, { batchSize: o.batchSize, shuffle: o.shuffle, dropLast: o.dropLast, generator: orderGenerator });
  const stepsPerEpoch = loader.length;
  const layerStats = new LayerStats(model, o.layerStatsEvery === -1 ? Math.max(1, Math.floor(stepsPerEpoch / 10)) : o.layerStatsEvery);
  // Callbacks that write checkpoints run after the others, so the state they save is the epoch's final one.
  const callbacks = [...o.callbacks].sort((a, b) => Number(a.late === true) - Number(b.late === true));
  // Checkpoints hold the state of the callbacks that have one, matched by position and class on resume.
  const stateful = callbacks.filter((c) => typeof c.stateDict === "function");
  const evalLoader = (d: Dataset<Tensor[]>) => new DataLoader(d, { batchSize: o.evalBatchSize });

  let history = new History();
  let epochsDone = 0, batchesDone = 0, step = 0, stopped = false;
  // The running sums of the epoch in progress and the order generator's state before its shuffle.
  let running = { seen: 0, lossSum: 0, correct: 0, scored: 0, lr: 0 };
  let orderState: GeneratorState = orderGenerator.getState();
  let inEpoch = false;

  const ctx: FitContext = {
    model, optimizer, scheduler: scheduled?.scheduler ?? null, epochs: o.epochs, stepsPerEpoch, generator,
    get history() { return history; },
    get epoch() { return epochsDone + (batchesDone > 0 || inEpoch ? 1 : 0); },
    get step() { return step; },
    get stopped() { return stopped; },
    stop(reason: string) {
      if (!stopped) history.stopReason = reason;
      stopped = true;
    },
    scaleLearningRate(factor: number) {
      for (const g of optimizer.paramGroups) {
        g.lr *= factor;
        const initial = (g as { initialLr?: number }).initialLr;
        if (initial !== undefined) Object.defineProperty(g, "initialLr", { value: initial * factor, writable: true, configurable: true, enumerable: false });
      }
      const bases = scheduled?.scheduler.baseLrs;
      if (bases) for (let i = 0; i < bases.length; i++) bases[i]! *= factor;
    },
    checkpoint(): Checkpoint {
      const state: TrainState = {
        format: "minima.checkpoint", version: 1, epochsDone, batchesDone, step,
        optimizer: optimizer.stateDict(),
        scheduler: scheduled?.scheduler.stateDict() ?? null,
        generators: {
          order: batchesDone > 0 ? orderState : orderGenerator.getState(),
          augment: generator.getState(),
          global: defaultGenerator.getState(),
        },
        running: { ...running },
        history: history.toJSON(),
        seed: o.seed,
      };
      // Callbacks hand back snapshots (possibly holding Tensors, which structuredClone would strip).
      return { weights: model.copyStateDict(), state: { ...structuredClone(state), callbacks: stateful.map((c) => ({ type: c.constructor.name, state: c.stateDict!() })) } };
    },
    restoreWeights(checkpoint: Checkpoint) {
      model.loadStateDict(checkpoint.weights);
      // The optimizer's buffers go back; its hyperparameters (lr cuts made since) stay as they are now.
      const options = optimizer.paramGroups.map(({ params: _p, ...rest }) => rest);
      optimizer.loadStateDict(checkpoint.state["optimizer"] as OptimizerStateDict);
      optimizer.paramGroups.forEach((g, i) => Object.assign(g, options[i]));
    },
  };

  if (o.resume) {
    const s = o.resume.state;
    if (s.format !== "minima.checkpoint" || s.version !== 1) throw new StateDictError({ where: "fit", what: "resume is not a minima checkpoint (mn.train.loadCheckpoint gives one)" });
    if (s["seed"] !== o.seed) throw new StateDictError({ where: "fit", what: `the checkpoint was saved by a run with seed ${String(s["seed"])}, this one has seed ${o.seed}` });
    const saved = s["callbacks"] as { type: string; state: unknown }[];
    const types = (list: { type: string }[]) => list.map((c) => c.type).join(", ") || "none";
    const ours = stateful.map((c) => ({ type: c.constructor.name }));
    if (!Array.isArray(saved) || types(saved) !== types(ours)) {
      throw new StateDictError({ where: "fit", what: `the checkpoint holds the state of callbacks [${Array.isArray(saved) ? types(saved) : "none"}], this run has [${types(ours)}]; resume with the same stateful callbacks in the same order` });
    }
    model.loadStateDict(o.resume.weights);
    optimizer.loadStateDict(s["optimizer"] as OptimizerStateDict);
    if (scheduled) scheduled.scheduler.loadStateDict(s["scheduler"] as never);
    const gens = s["generators"] as { order: GeneratorState; augment: GeneratorState; global: GeneratorState };
    orderGenerator.setState(gens.order);
    generator.setState(gens.augment);
    defaultGenerator.setState(gens.global);
    stateful.forEach((c, i) => c.loadStateDict?.(saved[i]!.state));
    history = History.fromJSON(s["history"] as never);
    ({ epochsDone, batchesDone, step } = s);
    running = { ...(s["running"] as typeof running) };
    stopped = history.stopReason !== null; // a run that already ended early stays ended
  }

  const accuracyWanted = o.accuracy;
  model.train();
  try {
    for (const c of callbacks) c.onTrainBegin?.(ctx);
    while (epochsDone < o.epochs && !stopped) {
      const epoch = epochsDone + 1;
      const started = performance.now();
      const resumingMidEpoch = batchesDone > 0;
      if (!resumingMidEpoch) {
        running = { seen: 0, lossSum: 0, correct: 0, scored: 0, lr: optimizer.paramGroups[0]!.lr };
        for (const c of callbacks) c.onEpochBegin?.(ctx, epoch);
      }
      orderState = orderGenerator.getState();
      inEpoch = true;
      let b = 0;
      for (let batch of loader) {
        if (b++ < batchesDone) continue; // replaying a resumed epoch's order up to where it stopped
        for (const c of callbacks) c.onBatchBegin?.(ctx, batchesDone);
        if (o.transform) batch = o.transform(batch, generator);
        const [x, y] = batch as [Tensor, Tensor];
        optimizer.zeroGrad();
        const out = model.forward(x);
        const dataLoss = o.loss(out, y);
        (o.penalty ? dataLoss.add(o.penalty(model)) : dataLoss).backward();
        if (o.clipGradNorm !== null) clipGradNorm(model.parameters(), o.clipGradNorm);
        for (const c of callbacks) c.onBeforeStep?.(ctx);
        const gradNorm = globalGradNorm(model.parameters());
        const lr = optimizer.paramGroups[0]!.lr;
        const sample = layerStats.due(step + 1) ? layerStats.before() : null;
        optimizer.step();
        step++;
        if (sample) history.layers.push(...layerStats.after(sample, step, epoch));
        if (scheduled?.interval === "step") scheduled.scheduler.step();
        const size = y.shape[0]!;
        const loss = dataLoss.item();
        const correct = accuracyWanted === false ? null : batchCorrect(out, y, accuracyWanted === true);
        running.seen += size;
        running.lossSum += loss * size;
        if (correct !== null) { running.correct += correct; running.scored += size; }
        batchesDone++;
        const log: BatchLog = { step, epoch, loss, lr, gradNorm, batch: batchesDone - 1, size };
        history.steps.push({ step, epoch, loss, lr, gradNorm });
        for (const c of callbacks) c.onBatchEnd?.(ctx, log);
        if (stopped) break;
      }
      if (stopped && batchesDone < stepsPerEpoch) break;
      const val = o.val ? evaluate(model, evalLoader(o.val), o.loss) : null;
      const test = o.test ? evaluate(model, evalLoader(o.test), o.loss) : null;
      const log: EpochLog = {
        epoch, loss: running.lossSum / running.seen, accuracy: running.scored > 0 ? running.correct / running.scored : null,
        valLoss: val?.loss ?? null, valAccuracy: val?.accuracy ?? null,
        testLoss: test?.loss ?? null, testAccuracy: test?.accuracy ?? null,
        lr: running.lr, steps: step, seconds: (performance.now() - started) / 1000,
      };
      if (scheduled?.interval === "epoch") {
        const metric = log[scheduled.monitor ?? (val ? "valLoss" : "loss")];
        scheduled.scheduler.step(metric ?? undefined);
      }
      epochsDone++;
      batchesDone = 0;
      inEpoch = false;
      history.epochs.push(log);
      for (const c of callbacks) c.onEpochEnd?.(ctx, log);
    }
  } finally {
    inEpoch = false;
    for (const c of callbacks) c.onTrainEnd?.(ctx);
  }
  return history;
}
