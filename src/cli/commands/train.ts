import { Command, Option } from "commander";
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { firstNonFinite } from "../../data/finite.js";
import { DataFormatError, OptionError } from "../../errors.js";
import { appendRunLog, readRunLogHeader } from "../../io/run-log-file.js";
import { confusionMatrix } from "../../metrics/confusion-matrix.js";
import { predict } from "../../train/predict.js";
import type { Tensor } from "../../tensor/tensor.js";
import { readRegularFile } from "../../read-file.js";
import { decodeSafetensors } from "../../io/safetensors.js";
import { saveModel } from "../../io/saved-model-file.js";
import { RunDir } from "../../io/run-dir.js";
import { crossEntropy } from "../../nn/losses/index.js";
import { ACTIVATIONS, INITS, type ActivationName, type InitName } from "../../nn/mlp.js";
import { writeReport } from "../../report/write-report.js";
import { manualSeed } from "../../tensor/random.js";
import type { Callback } from "../../train/callback.js";
import { DivergenceGuard, EarlyStopping, EpochWeights, JsonlLogger, ModelCheckpoint } from "../../train/callbacks/index.node.js";
import type { Checkpoint } from "../../train/checkpoint.js";
import { hasCheckpoint, loadCheckpoint } from "../../train/checkpoint-files.js";
import { diagnose, formatDiagnosis } from "../../train/diagnose.js";
import { SharpnessMonitor } from "../../landscape/sharpness-monitor.js";
import { fit } from "../../train/fit-node.js";
import type { History } from "../../train/history.js";
import type { Module } from "../../nn/module.js";
import { loadDataset, type DatasetName, type PreparedData } from "../dataset.js";
import { fingerprintDifferences, fingerprintOf } from "../data-fingerprint.js";
import { divergenceOf, EXPLODE_FACTOR, healthyBest } from "../healthy-model.js";
import { freeze, lrForList, parameterGroups, prefixList } from "../fine-tuning.js";
import { backendLabel } from "../backend-label.js";
import { readTrainConfig } from "../run-config-file.js";
import { buildModel, hiddenFor, MODELS, type ModelName } from "../models.js";
import { CommandFailedError } from "../exit-codes.js";
import { checkFlags } from "../flag-rules.js";
import { StopOnSignal } from "../stop-signals.js";
import { defaultLr, makeOptimizer, OPTIMIZER_NAMES, type OptimizerFlags } from "../optimizers.js";
import { outFolder } from "../out-paths.js";
import { betas, fraction, integer, intList, MAX_SEED, number, path } from "../parse.js";
import { addRegularizationOptions, makePenalty, makeTransform, noiseCallbacks, type RegularizationFlags } from "../regularization.js";
import { addSamOptions, samLabel, withSam, type SamFlags } from "../sam.js";
import { addScheduleOptions, makeSchedule, type ScheduleFlags } from "../schedules.js";
import { version } from "../version.js";

/** The model and data flags `train` and `compare` share. */
export interface ModelFlags {
  dataset: DatasetName;
  /** A CSV data set's label column: a header name or a 0-based column number (default: "label", else the last). */
  labelColumn?: string;
  model: ModelName;
  hidden?: number[];
  channels: number[];
  activation: ActivationName;
  init: InitName;
  epochs: number;
  batchSize: number;
  valFraction: number;
  standardize: "none" | "global" | "feature";
  seed: number;
  out?: string;
  trainSize?: number;
  blocks: number;
  dropPath?: number;
  dropout?: number;
  batchNorm?: boolean;
}

/** Run-management flags of `minima train`. */
export interface RunFlags {
  resume?: string;
  checkpointEvery?: number;
  earlyStopping?: number;
  onDivergence?: "stop" | "rollback" | "continue";
  png?: boolean;
  overwrite?: boolean;
  initFrom?: string;
  freeze?: string[];
  lrFor?: [string, number][];
  keepEpochs?: boolean;
  sharpnessEvery?: number;
}

export interface TrainFlags extends ModelFlags, OptimizerFlags, ScheduleFlags, RegularizationFlags, RunFlags, SamFlags {
  optimizer: string;
  clipNorm?: number;
  /** Capture the training step once per batch shape and replay it (fit's compile): the same run bit for bit, faster. */
  compile?: boolean;
}

/** The deepest resmlp: past ~10⁵ layers building the model overflows the call stack, and 10⁴ blocks already train to NaN. */
const MAX_BLOCKS = 10_000;

/** Adds the model, data and run flags. */
export function addModelOptions(cmd: Command): Command {
  return cmd
    .option("--dataset <name>", "mnist (embedded), fashion-mnist, a CSV file (numeric features and a label column), a folder of IDX files, or a folder of PNG images in class folders (torchvision's ImageFolder layout; train/ and test/ folders of classes give a test split)", path("a data set name, file or folder"), "mnist")
    .option("--label-column <name>", "a CSV data set's label column: a header name or a 0-based column number (default: the column named label, else the last)")
    .addOption(new Option("--model <kind>", "mlp; resmlp (residual blocks of width --hidden[0]); or cnn (conv3x3 → ReLU → maxpool 2 per --channels entry, then dense --hidden)").choices(MODELS).default("mlp"))
    .option("--blocks <n>", `resmlp: residual blocks (at most ${MAX_BLOCKS})`, integer(0, MAX_BLOCKS), 2)
    .option("--drop-path <p>", "resmlp: stochastic depth, the last block's drop probability (earlier blocks less)", fraction)
    .option("--batch-norm", "mlp, cnn: batch normalization before each hidden activation")
    .option("--hidden <widths>", "hidden layer widths, comma-separated (\"none\" for a linear model; default 256,256 for mlp, 128 for cnn)", intList)
    .option("--channels <list>", "cnn: output channels of each conv block, comma-separated", intList, [32, 64])
    .addOption(new Option("--activation <name>", "hidden activation").choices(ACTIVATIONS).default("relu"))
    .addOption(new Option("--init <scheme>", "weight initialization (default: PyTorch's Linear init)").choices(INITS).default("default"))
    .option("--epochs <n>", "passes over the training set", integer(1), 10)
    .option("--batch-size <n>", "samples per step (1: stochastic GD; the training-set size: full batch)", integer(1), 64)
    .option("--val-fraction <f>", "share of the training set held out for validation", fraction, 0.1)
    .option("--train-size <n>", "train on only this many samples of the (shuffled) training split, e.g. to study overfitting", integer(1))
    .addOption(new Option("--standardize <how>", "zero-center and scale inputs with training statistics").choices(["none", "global", "feature"]).default("global"))
    .option("--seed <n>", `random seed (weights, split, shuffling), 0 to ${MAX_SEED}`, integer(0, MAX_SEED), 0)
    .option("--out <dir>", "run directory (default: runs/<dataset>-<time>)", outFolder);
}

/** Adds the checkpoint, resume, early-stopping, divergence, report and fine-tuning flags. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option("--resume <run>", "continue a killed run from its last checkpoint, with the flags it was started with", path("a run folder"))
    .option("--checkpoint-every <steps>", "also checkpoint every this many steps inside an epoch (default: at epoch ends)", integer(1))
    .option("--early-stopping <patience>", "stop when validation loss has not improved for this many epochs, and restore the best epoch's weights", integer(0))
    .addOption(new Option("--on-divergence <action>", "when the loss becomes NaN or explodes: stop (a failed run, exit status 1), roll back to the last good epoch and cut lr ×0.1, or continue").choices(["stop", "rollback", "continue"]).default("stop"))
    .option("--png", "also write the report's plots as PNG files in <run>/plots/")
    .option("--overwrite", "with --out: replace the run in that folder (its files are removed first) instead of refusing")
    .option("--init-from <file>", "start from weights in a .safetensors file, loaded by name (missing ones stay initialized)", path("a .safetensors file"))
    .option("--freeze <prefixes>", "freeze the parameters whose names start with these prefixes (e.g. 1.,3.)", prefixList)
    .option("--lr-for <prefix=lr,...>", "a learning rate per parameter-name prefix, the rest keep --lr (e.g. 1.=1e-4)", lrForList)
    .option("--keep-epochs", "also keep the weights before the first step and after every epoch (checkpoints/epochs/), the path that minima slice --directions pca needs")
    .option("--sharpness-every <steps>", `log the sharpness λmax (the Hessian's largest eigenvalue on the first ${SHARPNESS_SAMPLES} training samples) every this many steps, beside 2/lr, into metrics.jsonl and the report`, integer(1));
}

/** Adds the optimizer hyperparameter flags (each optimizer takes those it has); `lr`: compare's, which takes one per optimizer. */
export function addOptimizerOptions(cmd: Command, lr = new Option("--lr <rate>", "learning rate (default: the optimizer's usual one; sgd/momentum/nesterov 0.05, adam 1e-3)").argParser(number(0))): Command {
  return cmd
    .addOption(lr)
    .option("--momentum <mu>", "momentum (sgd, rmsprop; momentum/nesterov default to 0.9)", fraction)
    .option("--nesterov", "Nesterov momentum (sgd)")
    .option("--betas <b1,b2>", "Adam-family betas", betas)
    .option("--eps <eps>", "the epsilon that keeps adaptive steps finite", number(0))
    .option("--weight-decay <lambda>", "L2 weight decay (decoupled for adamw)", number(0));
}

/** `minima train`: an MLP or CNN on real digits or clothes, written to a run directory that a killed run resumes from. */
export function trainCommand(): Command {
  const cmd = new Command("train").description("train an MLP, residual MLP or CNN classifier; writes a run directory (config.json, metrics.jsonl, checkpoints/, report.html) and prints a diagnosis of the curves");
  addModelOptions(cmd);
  cmd.addOption(new Option("--optimizer <name>", "optimizer").choices(OPTIMIZER_NAMES).default("momentum"));
  addOptimizerOptions(cmd);
  addScheduleOptions(cmd);
  cmd.option("--clip-norm <max>", "clip the gradients' global L2 norm to this before each step", number(0, { inclusive: false }));
  cmd.option("--compile", "capture the training step once per batch shape and replay its kernel calls (mn.compile): the same run bit for bit, " +
    "with less JavaScript per step; a step it cannot capture runs eagerly, and a note on stderr and in the run's events says why");
  addSamOptions(cmd);
  addRegularizationOptions(cmd);
  addRunOptions(cmd);
  // A resumed run's flags come from its config.json, which was checked when it started.
  cmd.hook("preAction", () => {
    const flags = cmd.opts<TrainFlags>();
    checkFlags(cmd, flags.resume ? [] : [flags]);
  });
  return cmd.action((flags: TrainFlags) => {
    // A resumed run must be the run it continues: its flags come from its config.json, nothing else.
    const given = cmd.options.map((o) => o.attributeName()).filter((name) => name !== "resume" && cmd.getOptionValueSource(name) === "cli");
    if (flags.resume && given.length) {
      throw new OptionError({ where: "--resume", what: `continues a run with the flags it was started with (its config.json); drop ${given.map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")}` });
    }
    if (flags.overwrite && flags.out === undefined) {
      throw new OptionError({ where: "--overwrite", what: "replaces the run in the folder --out names; without --out every run gets a new folder" });
    }
    const { history, divergence } = runTrain(flags);
    // DivergenceGuard's reason for stopping: the run failed (exit 1), though its files and diagnosis are written.
    if (history.stopReason?.startsWith("diverged")) throw new CommandFailedError({ where: "train", what: `the run stopped: ${history.stopReason}` });
    // A run that went on diverging (--on-divergence continue) failed too.
    if (divergence !== null) throw new CommandFailedError({ where: "train", what: `the run diverged: ${divergence}` });
  });
}

/** How a run ended: its History, and why its final weights were not kept (null: they were). */
export interface TrainOutcome {
  history: History;
  divergence: string | null;
}

/**
 * Callbacks a caller adds to a run's own (minima tune's trial runner: report each epoch, prune, tick progress),
 * made once the run folder is known; they come after the run's, so their late ones see the epoch's checkpoint saved.
 */
export interface ExtraCallbacks {
  callbacks?: (runPath: string) => Callback[];
}

/** What a run is built from, made before its folder so that a bad flag leaves no folder behind. */
export interface Setup {
  data: PreparedData;
  model: Module;
  description: string;
  spec: ReturnType<typeof buildModel>["spec"];
  frozen: string[];
  optimizer: ReturnType<typeof makeOptimizer>;
  scheduler: ReturnType<typeof makeSchedule>;
  stepsPerEpoch: number;
}

/**
 * A new run (or, with `--resume`, the run it continues). Everything that can refuse a flag (the data,
 * the model, --init-from, the optimizer, the schedule) is made before the run folder, which is then
 * created and locked; a run that fails before its first step or checkpoint removes the folder it made.
 */
export function runTrain(flags: TrainFlags, extra: ExtraCallbacks = {}): TrainOutcome {
  if (flags.resume) return resumeTrain(flags.resume, extra);
  const overwrite = flags.overwrite ?? false;
  const path = flags.out ?? RunDir.freshPath("runs", flags.dataset === "mnist" || flags.dataset === "fashion-mnist" ? flags.dataset : "run");
  RunDir.checkNew(path, overwrite);
  const lr = flags.lr ?? defaultLr(flags.optimizer);
  const setup = prepare({ ...flags, lr });
  const run = RunDir.create(path, { overwrite });
  const { overwrite: _overwrite, ...rest } = flags;
  // Absolute paths and the data's fingerprint: a resume from any folder finds, and checks, the same files.
  const config = {
    command: "train", minimaVersion: version, ...rest, hidden: hiddenFor(flags), lr, out: run.path,
    dataset: setup.data.source, ...(flags.initFrom !== undefined ? { initFrom: resolve(flags.initFrom) } : {}), data: fingerprintOf(setup.data),
  };
  run.writeConfig(config);
  try {
    return trainRun(run, config, setup, null, extra);
  } catch (e) {
    run.discardUnstarted();
    throw e;
  }
}

/** Continues the run in `path` from its last checkpoint, with the flags it was started with. */
function resumeTrain(path: string, extra: ExtraCallbacks): TrainOutcome {
  const config = readTrainConfig(path, "--resume");
  // The logger rewrites metrics.jsonl from the checkpoint: a log a newer minima wrote is not ours to rewrite.
  const metricsPath = join(path, "metrics.jsonl");
  if (existsSync(metricsPath)) readRunLogHeader(metricsPath);
  const run = RunDir.resume(path);
  const dir = join(run.path, "checkpoints");
  const hasLast = hasCheckpoint(dir, "last");
  const orphans = ["last.safetensors", "last.state.safetensors"].filter((f) => existsSync(join(dir, f)));
  if (!hasLast && orphans.length > 0) {
    throw new DataFormatError({ where: "--resume", what: `${join(dir, "last.json")} is missing, but ${orphans.join(" and ")} remain${orphans.length === 1 ? "s" : ""} in ${dir}: the checkpoint cannot be read without its JSON, and starting over would overwrite them; put last.json back, or start a new run` });
  }
  const setup = prepare(config);
  if (config.data) {
    const differences = fingerprintDifferences(config.data, fingerprintOf(setup.data));
    if (differences.length > 0) {
      throw new DataFormatError({ where: "--resume", what: `the data set ${config.dataset} is not the one ${run.path} started on (${join(run.path, "config.json")}): ${differences.join("; ")}` });
    }
  }
  const checkpoint = hasLast ? loadCheckpoint(dir, "last", { epochs: config.epochs, stepsPerEpoch: setup.stepsPerEpoch }) : null;
  console.log(checkpoint ? `resuming ${run.path} after step ${checkpoint.state.step} (epoch ${checkpoint.state.epochsDone}${checkpoint.state.batchesDone ? ` + ${checkpoint.state.batchesDone} batches` : ""})`
    : `no checkpoint in ${dir} yet: starting ${run.path} over`);
  return trainRun(run, { ...config, out: run.path }, setup, checkpoint, extra);
}

/** The data, the model (with --init-from and --freeze), the optimizer and the schedule of a run, in the order that seeds them. */
export function prepare(flags: TrainFlags & { lr: number }): Setup {
  manualSeed(flags.seed);
  const data = loadDataset(flags.dataset, flags);
  // fit would find the missing validation set only at the first epoch's end, where the monitors fail.
  if (flags.valFraction > 0 && data.val.length === 0) {
    throw new OptionError({ where: "--val-fraction", what: `${flags.valFraction} holds no validation sample (it rounds to 0 samples of the training set)`, expected: "0 for no validation set, or a larger fraction" });
  }
  const { model, description, spec } = buildModel(flags, data);
  if (flags.initFrom) console.log(initFrom(model, flags.initFrom));
  const frozen = flags.freeze ? freeze(model, flags.freeze) : [];
  const optimizer = withSam((params) => makeOptimizer(flags.optimizer, params as never, flags), parameterGroups(model, flags.lr, flags.lrFor ?? []), flags);
  const stepsPerEpoch = Math.ceil(data.train.length / flags.batchSize);
  if (flags.sharpnessEvery !== undefined && flags.sharpnessEvery > stepsPerEpoch * flags.epochs) {
    throw new OptionError({ where: "--sharpness-every", what: `${flags.sharpnessEvery} steps is more than the run's ${stepsPerEpoch * flags.epochs} (${flags.epochs} epoch${flags.epochs === 1 ? "" : "s"} × ${stepsPerEpoch} batch${stepsPerEpoch === 1 ? "" : "es"}): λmax would never be measured`, expected: `at most ${stepsPerEpoch * flags.epochs}` });
  }
  const scheduler = makeSchedule(optimizer, flags, { stepsPerEpoch, totalSteps: stepsPerEpoch * flags.epochs, origin: `${flags.epochs} epoch${flags.epochs === 1 ? "" : "s"} × ${stepsPerEpoch} batch${stepsPerEpoch === 1 ? "" : "es"}` });
  return { data, model, description, spec, frozen, optimizer, scheduler, stepsPerEpoch };
}

/** Trains the run and frees its folder's lock when done: `minima tune` trains many runs in one process. */
function trainRun(run: RunDir, flags: TrainFlags & { lr: number }, setup: Setup, checkpoint: Checkpoint | null, extra: ExtraCallbacks): TrainOutcome {
  try {
    return trainLockedRun(run, flags, setup, checkpoint, extra);
  } finally {
    run.release();
  }
}

function trainLockedRun(run: RunDir, flags: TrainFlags & { lr: number }, setup: Setup, checkpoint: Checkpoint | null, extra: ExtraCallbacks): TrainOutcome {
  const { data, model, description, frozen, optimizer, scheduler } = setup;
  console.log(`minima train: ${data.name}, ${data.train.length} train / ${data.val.length} val / ${data.test.length} test, ` +
    `${description} (${model.numParameters()} parameters${frozen.length ? `, ${frozen.length} tensors frozen` : ""}), ${flags.optimizer} lr ${flags.lr}${samLabel(flags)}` +
    (flags.schedule ? `, ${flags.schedule} schedule` : "") + (flags.warmup ? `, ${flags.warmup} warmup steps` : "") + `; ${backendLabel()}` +
    (flags.compile ? ", compiled step" : ""));
  console.log(`run directory: ${run.path}`);
  const history = fit(model, {
    train: data.train, val: data.val.length > 0 ? data.val : null, test: data.test.length > 0 ? data.test : null, optimizer, scheduler,
    loss: (out, y) => crossEntropy(out, y, { labelSmoothing: flags.labelSmoothing ?? 0 }),
    epochs: flags.epochs, batchSize: flags.batchSize, seed: flags.seed, clipGradNorm: flags.clipNorm ?? null,
    transform: makeTransform(flags, data.classes), penalty: makePenalty(flags), accuracy: true,
    callbacks: [...runCallbacks(run, flags, data), ...(extra.callbacks?.(run.path) ?? [])], resume: checkpoint, compile: flags.compile ?? false,
  });
  const divergence = saveTrainedModel(run, setup, history);
  recordConfusion(run, setup);
  const diagnosis = diagnose(history);
  console.log("\n" + formatDiagnosis(diagnosis));
  if (history.stopReason) console.log(`stopped: ${history.stopReason}`);
  const written = writeReport(run.path, { png: flags.png ?? false, diagnosis });
  console.log(`report: ${written[0]}`);
  return { history, divergence };
}

/**
 * Writes model.safetensors: the trained model (the best epoch's, when early stopping restored it),
 * by name, for torch users too, with what `minima evaluate` and `minima predict` need to use it alone
 * (spec, preprocessing, classes). A diverged run (see divergenceOf) never writes its diverged weights:
 * it keeps the weights of its best checkpoint when that epoch was healthy, else writes no model; the
 * output says which. Returns why the run diverged, or null.
 */
function saveTrainedModel(run: RunDir, { model, spec, data }: Setup, history: History): string | null {
  const path = join(run.path, "model.safetensors");
  const meta = { spec, preprocessing: data.preprocessing, classes: data.classNames, dataset: data.source };
  const divergence = divergenceOf(history, model.stateDict());
  if (divergence === null) {
    saveModel(path, model, meta);
    return null;
  }
  const healthy = healthyBest(join(run.path, "checkpoints"));
  if (healthy) {
    model.loadStateDict(healthy.weights);
    saveModel(path, model, meta);
    console.log(`the run diverged: ${path} holds the weights of epoch ${healthy.epoch}, its best epoch before it diverged (checkpoints/best), not the diverged ones`);
  } else {
    rmSync(path, { force: true });
    console.log(`the run diverged before any epoch ended with a finite loss within ${EXPLODE_FACTOR}× the first: no model.safetensors written`);
  }
  return divergence;
}

/**
 * Appends the saved model's confusion matrix on the test split (the validation split without one), with the class
 * names, to metrics.jsonl, for the report; nothing when no model was saved (a run that diverged from the start).
 */
function recordConfusion(run: RunDir, { model, data }: Setup): void {
  const split = data.test.length > 0 ? "test" : data.val.length > 0 ? "val" : null;
  if (split === null || !existsSync(join(run.path, "model.safetensors"))) return;
  const [x, y] = data[split].tensors as [Tensor, Tensor];
  const matrix = confusionMatrix(predict(model, x, { batchSize: 1000 }), y, data.classes);
  appendRunLog(join(run.path, "metrics.jsonl"), [{ kind: "confusion", split, classes: data.classNames, matrix }]);
}

/**
 * Loads the tensors of a .safetensors file into the model by name (shapes must match); parameters
 * the file lacks keep their initialization, which is how a new head is fine-tuned on a saved body.
 */
function initFrom(model: Module, path: string): string {
  const saved = decodeSafetensors(readRegularFile(path, "--init-from"), path);
  const own = Object.keys(model.stateDict());
  const loaded = own.filter((k) => k in saved), unused = Object.keys(saved).filter((k) => !own.includes(k));
  if (loaded.length === 0) {
    throw new OptionError({ where: "--init-from", what: `${path} has no tensor this model has`, expected: `some of ${own.join(", ")}`, got: Object.keys(saved).join(", ") || "no tensors" });
  }
  for (const name of loaded) {
    const bad = firstNonFinite(saved[name]!.data);
    if (bad >= 0) throw new DataFormatError({ where: "--init-from", what: `${path}: tensor ${name} holds ${saved[name]!.data[bad]} at index ${bad}`, expected: "finite weights (a diverged run's?)" });
  }
  model.loadStateDict(saved, { strict: false });
  const missing = own.filter((k) => !(k in saved));
  return `initialized ${loaded.length} of ${own.length} tensors from ${path}` + (missing.length ? `; kept the initialization of ${missing.join(", ")}` : "")
    + (unused.length ? `; ignored ${unused.join(", ")}` : "");
}

/** The training samples (the first, in the split's order) whose loss's Hessian --sharpness-every measures. */
const SHARPNESS_SAMPLES = 256;

/** --sharpness-every's monitor: λmax of the run's loss on the first SHARPNESS_SAMPLES training samples, as one batch. */
function sharpnessCallbacks(flags: TrainFlags, data: PreparedData): Callback[] {
  if (flags.sharpnessEvery === undefined) return [];
  const [x, y] = data.train.tensors as [Tensor, Tensor];
  const n = Math.min(SHARPNESS_SAMPLES, data.train.length);
  const lossFn = (out: Tensor, target: Tensor) => crossEntropy(out, target, { labelSmoothing: flags.labelSmoothing ?? 0 });
  return [new SharpnessMonitor({ every: flags.sharpnessEvery, batches: [[x.narrow(0, 0, n), y.narrow(0, 0, n)]], lossFn })];
}

/** The CLI's callbacks (fit's verbose "auto" draws the bar and prints a line per epoch): noise, early stopping, the divergence guard, the log and checkpoints. */
function runCallbacks(run: RunDir, flags: TrainFlags, data: PreparedData): Callback[] {
  const valMonitor = flags.valFraction > 0 ? "valLoss" : "loss";
  return [
    ...noiseCallbacks(flags),
    ...sharpnessCallbacks(flags, data),
    ...(flags.earlyStopping !== undefined ? [new EarlyStopping({ monitor: valMonitor, patience: flags.earlyStopping, restoreBestWeights: true })] : []),
    ...(flags.onDivergence !== "continue" ? [new DivergenceGuard({ action: flags.onDivergence ?? "stop" })] : []),
    new JsonlLogger({ path: join(run.path, "metrics.jsonl"), diagnose }),
    new ModelCheckpoint({ dir: join(run.path, "checkpoints"), monitor: valMonitor, everySteps: flags.checkpointEvery ?? 0 }),
    ...(flags.keepEpochs ? [new EpochWeights({ dir: join(run.path, "checkpoints", "epochs") })] : []),
    // After ModelCheckpoint: at an epoch's end, the epoch's checkpoint is saved before a Ctrl-C stops the run.
    new StopOnSignal({ checkpoints: join(run.path, "checkpoints"), run: run.path }),
  ];
}
