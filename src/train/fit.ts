import { noGrad } from "../autograd/no-grad.js";
import { canReuseBuffers, DataLoader } from "../data/data-loader.js";
import type { Dataset } from "../data/dataset.js";
import { OptionError } from "../errors.js";
import { crossEntropy } from "../nn/losses/index.js";
import type { Module } from "../nn/module.js";
import { clipGradNorm } from "../nn/utils/clip-grad.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import { SAM } from "../optim/sam.js";
import { above, checkOptions, isBoolean, isFunction, nonNegativeInt, option, orNull, positiveInt, required, type Check, type OptionsOf } from "../options.js";
import { scaleInitialLrs } from "../schedule/scheduler.js";
import { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import type { BatchLog, Callback, FitContext, SchedulerLike } from "./callback.js";
import { captureCheckpoint, restoreCheckpoint, restoreWeights, type Checkpoint, type Position, type TrainingParts } from "./checkpoint.js";
import { evaluate, type LossFn } from "./evaluate.js";
import { epochValue, History, type EpochLog, type MetricValues } from "./history.js";
import { addBatchMetrics, metricMeans, resolveMetrics, type Metric, type MetricSpec } from "../metrics/metric.js";
import { EpochLine } from "./callbacks/epoch-line.js";
import { batchCorrect } from "./batch-correct.js";
import { CompiledFitStep, eagerReason, type StepOutcome } from "./compiled-step.js";
import { LayerStats } from "./layer-stats.js";
import { globalGradNorm } from "./norms.js";
import { scheduleHorizon, scheduleLog } from "./schedule-check.js";
import { scheduledLR, type ScheduledLR } from "./scheduled-lr.js";

export type { ScheduledLR } from "./scheduled-lr.js";

export const isDataset: Check = (v) =>
  v !== null && typeof v === "object" && typeof (v as Dataset<unknown>).get === "function" && Number.isInteger((v as Dataset<unknown>).length) ? null : "a dataset (length and get(i))";
export const isOptimizer: Check = (v) =>
  v !== null && typeof v === "object" && Array.isArray((v as Optimizer<GroupOptions>).paramGroups) && typeof (v as Optimizer<GroupOptions>).step === "function" ? null : "an mn.optim optimizer";
const isMetricList: Check = (v) => (Array.isArray(v) ? null : 'an array of metrics ("accuracy", a named function (output, target) => number, or { name, fn })');
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
   * A bare scheduler steps when it says (`interval`: "step" for OneCycleLR, CyclicLR, InverseSqrtLR and containers
   * holding one; "epoch" for ReduceLROnPlateau, on valLoss), else per epoch, as in PyTorch recipes; or say when with
   * { scheduler, interval, monitor } (an interval the scheduler contradicts is refused). History.schedule records it.
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
  transform: option<((batch: [input: Tensor, target: Tensor], generator: Generator) => Tensor[]) | null>(null, orNull(isFunction)),
  /** Added to the loss before backward (L1/L2 penalties); not part of the reported loss. */
  penalty: option<((model: Module) => Tensor) | null>(null, orNull(isFunction)),
  /** Clip the gradients' global L2 norm to this before each step (default null: no clipping). */
  clipGradNorm: option<number | null>(null, orNull(above(0))),
  /** Record per-parameter norms and update/weight ratios every this many steps (default: 10 times an epoch; 0: never). */
  layerStatsEvery: option(-1, (v) => (Number.isInteger(v) && (v as number) >= -1 ? null : "a non-negative integer")),
  /** Report accuracy (argmax of the output against class indices or soft targets' argmax). Default: when targets are int32. */
  accuracy: option<boolean | "auto">("auto", (v) => (v === true || v === false || v === "auto" ? null : 'true, false or "auto"')),
  /**
   * Metrics recorded per epoch for the training batches and the val and test sets, as Keras's: "accuracy", mn.metrics.topKAccuracy(k),
   * or your own named (output, target) => number (a function's name, or { name, fn }), averaged over batches weighted by their size
   * (EpochLog.metrics, the epoch line, metrics.jsonl, the report) (default none).
   */
  metrics: option<MetricSpec[]>([], isMetricList),
  /**
   * What fit prints, as Keras's verbose: "auto" (default) a line per epoch that stays (epoch, losses, metrics, lr, time; see EpochLine),
   * plus a progress bar while a terminal shows it (Node: stderr is a TTY); 2 the line only; 1 the bar (drawn even into a pipe) and the line;
   * 0 nothing. The bar needs the Node entry: in a browser, 1 is refused and "auto" draws none.
   */
  verbose: option<0 | 1 | 2 | "auto">("auto", (v) => (v === 0 || v === 1 || v === 2 || v === "auto" ? null : '0, 1, 2 or "auto"')),
  /** A checkpoint to continue from (mn.train.loadCheckpoint): the model, optimizer, scheduler, callbacks, RNGs and history resume exactly. */
  resume: option<Checkpoint | null>(null),
  /**
   * Capture the training step (zero the gradients, forward, loss + penalty, backward, clip, step) once per batch shape and
   * replay its kernel calls after (mn.compile): the same weights and History bit for bit, with less JavaScript per step.
   * Steps it cannot capture (SAM, a callback with onBeforeStep, a step mn.compile refuses) run eagerly, and a note says
   * why once: in history.events and, unless verbose is 0, on the console. Transforms run before the step, eagerly.
   * Default false.
   */
  compile: option(false, isBoolean),
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
 *
 * A scheduler with a finite length (OneCycleLR's totalSteps) is checked against the steps the run will take before the
 * first step. An error thrown once training began (by the model, the loss, a callback) carries the History so far as
 * `error.history`, so the epochs already trained are not lost.
 * @example const history = mn.train.fit(model, { train, val, optimizer: new mn.optim.Adam(model.parameters()), epochs: 10, batchSize: 64,
 *   callbacks: [new mn.train.callbacks.EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export function fit(model: Module, options: FitOptions): History {
  return fitWithBar(model, options, null);
}

/** Makes the progress bar `verbose` asks for (1: drawn even off a terminal), or null for none; the Node entry's fit has one, the core's none. */
export type ProgressBarFactory = (verbose: 1 | "auto", callbacks: readonly Callback[]) => Callback | null;

/** fit, with the progress bar of the entry it was imported from (null: none, as in a browser). */
export function fitWithBar(model: Module, options: FitOptions, progressBar: ProgressBarFactory | null): History {
  const progress: { history: History | null } = { history: null };
  try {
    return train(model, options, progress, progressBar);
  } catch (e) {
    if (progress.history && e instanceof Error && !("history" in e) && Object.isExtensible(e)) {
      Object.defineProperty(e, "history", { value: progress.history, writable: true, configurable: true, enumerable: false });
    }
    throw e;
  }
}

/** fit()'s body; `progress.history` follows the run's History so that fit can hand it over with an error. */
function train(model: Module, options: FitOptions, progress: { history: History | null }, progressBar: ProgressBarFactory | null): History {
  const o = checkOptions("fit", options, FIT_OPTIONS);
  const { optimizer } = o;
  const metrics = resolveMetrics("fit", o.metrics);
  const scheduled = scheduledLR(o.scheduler, metrics.custom.map((m) => m.name));
  if (metrics.accuracy && o.accuracy === false) {
    throw new OptionError({ where: "fit", what: 'metrics has "accuracy" but accuracy is false', expected: 'one of them: drop "accuracy" from metrics, or accuracy: false' });
  }
  if (o.verbose === 1 && progressBar === null) {
    throw new OptionError({ where: "fit", what: "verbose 1 draws a progress bar, which this entry has none of (the browser's core)", expected: '2 (a line per epoch), "auto" or 0', got: "1" });
  }
  // The bar first, so that it is gone before the epoch's line prints; checkpoint writers last, so the state they save is the epoch's final one.
  const bar = progressBar && (o.verbose === 1 || o.verbose === "auto") ? progressBar(o.verbose, o.callbacks) : null;
  const shown: Callback[] = [...(bar ? [bar] : []), ...(o.verbose !== 0 ? [new EpochLine()] : [])];
  const callbacks = [...shown, ...o.callbacks].sort((a, b) => Number(a.late === true) - Number(b.late === true));
  const parts: TrainingParts = {
    model, optimizer, scheduler: scheduled?.scheduler ?? null, order: new Generator(o.seed * 2 + 1), augment: new Generator(o.seed * 2 + 2),
    callbacks: callbacks.filter((c) => typeof c.stateDict === "function"), seed: o.seed,
  };
  // A captured step copies each batch into its own arrays, and nothing in fit keeps a batch past its step: with
  // compile, batches are drawn into reused arrays (no fresh memory per batch: an epoch of the bench's MLP 20% faster).
  const reuseBuffers = o.compile && canReuseBuffers(o.train);
  const loader = new DataLoader(o.train, { batchSize: o.batchSize, shuffle: o.shuffle, dropLast: o.dropLast, generator: parts.order, reuseBuffers });
  const stepsPerEpoch = loader.length;
  if (stepsPerEpoch === 0) {  // an epoch without a batch "trained" with loss null
    const what = o.train.length === 0 ? "the training set is empty" : `${o.train.length} samples make no full batch of ${o.batchSize} with dropLast`;
    throw new OptionError({ where: "fit", what, expected: "at least one batch per epoch" });
  }
  const sam = samOf(optimizer);
  if (sam) checkSamChunks(sam.m, o.train.length, o.batchSize, o.dropLast);
  const layerStats = new LayerStats(model, o.layerStatsEvery === -1 ? Math.max(1, Math.floor(stepsPerEpoch / 10)) : o.layerStatsEvery);
  let at: Position = { epochsDone: 0, batchesDone: 0, step: 0, running: { seen: 0, lossSum: 0, correct: 0, scored: 0, lr: 0 }, history: new History(), epochOrder: parts.order.getState() };
  let stopped = false, inEpoch = false, compiled: CompiledFitStep | null = null;
  const ctx: FitContext = {
    model, optimizer, scheduler: parts.scheduler, epochs: o.epochs, stepsPerEpoch, generator: parts.augment, metrics: metrics.custom.map((m) => m.name),
    get history() { return at.history; },
    get epoch() { return at.epochsDone + (at.batchesDone > 0 || inEpoch ? 1 : 0); },
    get step() { return at.step; },
    get stopped() { return stopped; },
    stop(reason: string) {
      if (!stopped) at.history.stopReason = reason;
      stopped = true;
    },
    scaleLearningRate(factor: number) {
      for (const g of optimizer.paramGroups) g.lr *= factor;
      if (parts.scheduler?.scaleBaseLrs) parts.scheduler.scaleBaseLrs(factor);
      else scaleInitialLrs(optimizer, factor);
    },
    checkpoint: () => captureCheckpoint(parts, at),
    restoreWeights: (checkpoint: Checkpoint) => {
      restoreWeights(model, optimizer, checkpoint);
      compiled?.recapture(); // the optimizer's state arrays were replaced: a replay would write into the old ones
    },
  };
  if (o.resume) {
    at = restoreCheckpoint(parts, o.resume);
    stopped = at.history.stopReason !== null; // a run that already ended early stays ended
  }
  progress.history = at.history;
  if (scheduled) {
    const steps = scheduled.interval === "step" ? stepsPerEpoch * (o.epochs - at.epochsDone) - at.batchesDone : o.epochs - at.epochsDone;
    scheduleHorizon(scheduled, steps, { epochs: o.epochs - at.epochsDone, stepsPerEpoch, samples: o.train.length, batchSize: o.batchSize, dropLast: o.dropLast });
    at.history.schedule = scheduleLog(scheduled);
  }
  const run: Run = { o, ctx, callbacks, layerStats, scheduled, metrics: metrics.custom, accuracy: metrics.accuracy ? true : o.accuracy, compiled: null };
  if (o.compile) {
    // Said once per run: in the History (the run log, the report) unless a resumed History has it, and on the console.
    const note = (message: string) => {
      if (!at.history.events.some((e) => e.message === message)) at.history.events.push({ step: at.step + 1, epoch: at.epochsDone + 1, message });
      if (o.verbose !== 0) console.warn(message);
    };
    const reason = eagerReason(optimizer, callbacks);
    if (reason !== null) note(`fit: compile is on, but every step runs eagerly: ${reason}`);
    else run.compiled = compiled = new CompiledFitStep(model, (x, y) => capturedStep(run, x, y), note);
  }

  model.train();
  let failed = false;
  try {
    for (const c of callbacks) c.onTrainBegin?.(ctx);
    while (at.epochsDone < o.epochs && !stopped) {
      const epoch = at.epochsDone + 1;
      const started = performance.now();
      if (at.batchesDone === 0) { // else a resumed run continues the epoch's running sums
        at.running = { seen: 0, lossSum: 0, correct: 0, scored: 0, lr: optimizer.paramGroups[0]!.lr, ...(metrics.custom.length > 0 ? { metrics: {} } : {}) };
        for (const c of callbacks) c.onEpochBegin?.(ctx, epoch);
      }
      at.epochOrder = parts.order.getState();
      inEpoch = true;
      let b = 0;
      for (const batch of loader) {
        if (b++ < at.batchesDone) continue; // replaying a resumed epoch's order up to where it stopped
        for (const c of callbacks) c.onBatchBegin?.(ctx, at.batchesDone);
        const log = trainStep(run, at, batch, epoch);
        for (const c of callbacks) c.onBatchEnd?.(ctx, log);
        if (stopped) break;
      }
      if (stopped && at.batchesDone < stepsPerEpoch) break;
      const log = epochLog(run, at, epoch, started);
      if (scheduled?.interval === "epoch") scheduled.scheduler.step(epochValue(log, scheduled.monitor ?? (o.val ? "valLoss" : "loss")) ?? undefined);
      at.epochsDone++;
      at.batchesDone = 0;
      inEpoch = false;
      at.history.epochs.push(log);
      for (const c of callbacks) c.onEpochEnd?.(ctx, log);
    }
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    inEpoch = false;
    for (const c of callbacks) {
      if (!failed) c.onTrainEnd?.(ctx);
      else try { c.onTrainEnd?.(ctx); } catch { /* training already failed: that first error is the one to report (a full disk fails both) */ }
    }
  }
  return at.history;
}

/** The optimizer as a SAM, which fit drives through step(closure); else null. */
const samOf = (optimizer: Optimizer<GroupOptions>): SAM | null => (optimizer instanceof SAM ? (optimizer as SAM) : null);

/** Refuses a SAM whose m-sharpness chunks some batch of the epoch could not fill: each needs a sample at least. */
function checkSamChunks(m: number, samples: number, batchSize: number, dropLast: boolean): void {
  if (m === 1) return;
  if (Math.min(batchSize, samples) < m) {
    throw new OptionError({ where: "fit", what: `SAM's m = ${m} splits each batch into ${m} chunks, but a batch holds ${Math.min(batchSize, samples)} samples`, expected: `batchSize (and training samples) ≥ m` });
  }
  const last = samples % batchSize;
  if (!dropLast && last > 0 && last < m) {
    throw new OptionError({ where: "fit", what: `SAM's m = ${m} splits each batch into ${m} chunks, but the last batch of an epoch holds ${last} samples (${samples} samples in batches of ${batchSize})`, expected: "dropLast: true, or a batch size that leaves m samples or more in the last batch" });
  }
}

/** What a training step and an epoch's end need of fit's run. */
interface Run {
  o: Required<FitOptions>;
  ctx: FitContext;
  callbacks: readonly Callback[];
  layerStats: LayerStats;
  scheduled: ScheduledLR | null;
  /** fit's metrics other than accuracy. */
  metrics: readonly Metric[];
  /** fit's accuracy option, true when metrics has "accuracy". */
  accuracy: boolean | "auto";
  /** The captured step, with compile (null: every step runs eagerly). */
  compiled: CompiledFitStep | null;
}

/** Zero the gradients, forward, loss (+ penalty), backward: the part of a step SAM repeats. */
function forwardBackward({ o, ctx: { model, optimizer } }: Run, input: Tensor, target: Tensor): { out: Tensor; dataLoss: Tensor } {
  optimizer.zeroGrad();
  const out = model.forward(input);
  const dataLoss = o.loss(out, target);
  (o.penalty ? dataLoss.add(o.penalty(model)) : dataLoss).backward();
  return { out, dataLoss };
}

/** The whole step as compile captures it: forward and backward, clip, the optimizer step. */
function capturedStep(run: Run, x: Tensor, y: Tensor): StepOutcome {
  const { o, ctx: { model, optimizer } } = run;
  const { out, dataLoss } = forwardBackward(run, x, y);
  if (o.clipGradNorm !== null) clipGradNorm(model.parameters(), o.clipGradNorm);
  optimizer.step();
  return { out, dataLoss, grads: model.parameters().map((p) => p.grad) };
}

/**
 * One optimizer step: zero the gradients, forward, loss (+ penalty), backward, clip, step; recorded in `at`. SAM runs
 * the first four in its closure, at w and at w + e(w) (per chunk with m > 1), and clips the gradient it steps with.
 */
function trainStep(run: Run, at: Position, batch: Tensor[], epoch: number): BatchLog {
  const { o, ctx, callbacks, layerStats, scheduled, metrics, accuracy, compiled } = run;
  const { model, optimizer } = ctx;
  if (o.transform) batch = o.transform(batch as [Tensor, Tensor], ctx.generator);
  const [x, y] = batch as [Tensor, Tensor];
  const forward = (input: Tensor, target: Tensor) => forwardBackward(run, input, target);
  let gradNorm = 0, lr = 0, sample: ReturnType<LayerStats["before"]> | null = null;
  const beforeStep = () => {
    if (o.clipGradNorm !== null) clipGradNorm(model.parameters(), o.clipGradNorm);
    for (const c of callbacks) c.onBeforeStep?.(ctx);
    gradNorm = globalGradNorm(model.parameters());
    lr = optimizer.paramGroups[0]!.lr;
    sample = layerStats.due(at.step + 1) ? layerStats.before() : null;
  };
  // The outputs at w with their targets (one pair, or one per SAM chunk), for accuracy and metrics.
  const outputs: [out: Tensor, target: Tensor][] = [];
  let loss: number;
  const sam = samOf(optimizer);
  if (sam) {
    loss = sam.step((chunk) => {
      const target = chunk.of(y), { out, dataLoss } = forward(chunk.of(x), target);
      if (!chunk.perturbed) outputs.push([out, target]);
      return dataLoss;
    }, { beforeStep });
  } else if (compiled) {
    // What beforeStep reads, read around the whole step: the lr before it, the weights before it for a sampled
    // step, the gradients after it (the optimizer step leaves them as clipping did).
    lr = optimizer.paramGroups[0]!.lr;
    const weights = layerStats.due(at.step + 1) ? layerStats.weights() : null;
    const { out, dataLoss } = compiled.run(x, y);
    outputs.push([out, y]);
    gradNorm = globalGradNorm(model.parameters());
    sample = weights && layerStats.sample(weights);
    loss = dataLoss.item();
  } else {
    const { out, dataLoss } = forward(x, y);
    outputs.push([out, y]);
    beforeStep();
    optimizer.step();
    loss = dataLoss.item();
  }
  const step = ++at.step;
  if (sample) at.history.layers.push(...layerStats.after(sample, step, epoch));
  if (scheduled?.interval === "step") scheduled.scheduler.step();
  const size = y.shape[0]!;
  const counts = accuracy === false ? [] : outputs.map(([out, target]) => batchCorrect(out, target, accuracy === true));
  const correct = counts.length === 0 || counts.includes(null) ? null : (counts as number[]).reduce((a, b) => a + b, 0);
  // Without recording: a metric's ops on the output (softmax, say) would otherwise join the step's graph.
  if (metrics.length > 0) {
    at.running.metrics = noGrad(() => outputs.reduce((sums, [out, target]) => addBatchMetrics(metrics, sums, out, target), at.running.metrics ?? {}));
  }
  at.running.seen += size;
  at.running.lossSum += loss * size;
  if (correct !== null) { at.running.correct += correct; at.running.scored += size; }
  at.batchesDone++;
  at.history.steps.push({ step, epoch, loss, lr, gradNorm });
  return { step, epoch, loss, lr, gradNorm, batch: at.batchesDone - 1, size };
}

/** The epoch's training means, and its validation and test metrics measured now in eval mode. */
function epochLog({ o, ctx, metrics }: Run, at: Position, epoch: number, started: number): EpochLog {
  const measure = (d: Dataset<Tensor[]> | null) => {
    if (!d) return null;
    let sums: Record<string, number> = {}, seen = 0;
    const onOutput = metrics.length === 0 ? undefined : (out: Tensor, y: Tensor) => {
      sums = addBatchMetrics(metrics, sums, out, y);
      seen += y.shape[0]!;
    };
    const result = evaluate(ctx.model, new DataLoader(d, { batchSize: o.evalBatchSize }), o.loss, onOutput);
    return { ...result, metrics: metricMeans(metrics, sums, seen) };
  };
  const val = measure(o.val), test = measure(o.test), r = at.running;
  const train = metricMeans(metrics, r.metrics ?? {}, r.seen);
  const values = (name: string): MetricValues => ({ train: train[name] ?? null, val: val?.metrics[name] ?? null, test: test?.metrics[name] ?? null });
  return {
    epoch, loss: r.lossSum / r.seen, accuracy: r.scored > 0 ? r.correct / r.scored : null,
    valLoss: val?.loss ?? null, valAccuracy: val?.accuracy ?? null,
    testLoss: test?.loss ?? null, testAccuracy: test?.accuracy ?? null,
    lr: r.lr, steps: at.step, seconds: (performance.now() - started) / 1000,
    ...(metrics.length > 0 ? { metrics: Object.fromEntries(metrics.map((m) => [m.name, values(m.name)])) } : {}),
  };
}
