import { Command, Option } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { firstNonFinite } from "../../data/finite.js";
import { DataFormatError, OptionError } from "../../errors.js";
import { readRunLogHeader } from "../../io/run-log-file.js";
import { loadSafetensors } from "../../io/safetensors-file.js";
import { saveModel } from "../../io/saved-model-file.js";
import { RunDir } from "../../io/run-dir.js";
import { crossEntropy } from "../../nn/losses.js";
import { ACTIVATIONS, INITS, type ActivationName, type InitName } from "../../nn/mlp.js";
import { writeReport } from "../../report/write-report.js";
import { manualSeed } from "../../tensor/random.js";
import type { Callback } from "../../train/callback.js";
import { DivergenceGuard, EarlyStopping, JsonlLogger, LambdaCallback, ModelCheckpoint, ProgressBar } from "../../train/callbacks/index.node.js";
import type { Checkpoint } from "../../train/checkpoint.js";
import { hasCheckpoint, loadCheckpoint } from "../../train/checkpoint-files.js";
import { diagnose, formatDiagnosis } from "../../train/diagnose.js";
import { fit } from "../../train/fit.js";
import type { History } from "../../train/history.js";
import type { Module } from "../../nn/module.js";
import { loadDataset, type DatasetName } from "../dataset.js";
import { freeze, lrForList, parameterGroups, prefixList } from "../fine-tuning.js";
import { backendLabel } from "../backend-label.js";
import { formatEpoch } from "../format-epoch.js";
import { checkTrainConfig } from "../check-config.js";
import { buildModel, hiddenFor, MODELS, type ModelName } from "../models.js";
import { CommandFailedError } from "../exit-codes.js";
import { checkFlags } from "../flag-rules.js";
import { defaultLr, makeOptimizer, OPTIMIZER_NAMES, type OptimizerFlags } from "../optimizers.js";
import { betas, fraction, integer, intList, number } from "../parse.js";
import { addRegularizationOptions, makePenalty, makeTransform, noiseCallbacks, type RegularizationFlags } from "../regularization.js";
import { addScheduleOptions, makeSchedule, type ScheduleFlags } from "../schedules.js";
import { version } from "../version.js";

/** The model and data flags `train` and `compare` share. */
export interface ModelFlags {
  dataset: DatasetName;
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
  initFrom?: string;
  freeze?: string[];
  lrFor?: [string, number][];
}

export interface TrainFlags extends ModelFlags, OptimizerFlags, ScheduleFlags, RegularizationFlags, RunFlags {
  optimizer: string;
  clipNorm?: number;
}

/** Adds the model, data and run flags. */
export function addModelOptions(cmd: Command): Command {
  return cmd
    .option("--dataset <name>", "mnist (embedded), fashion-mnist, or a folder of IDX files", "mnist")
    .addOption(new Option("--model <kind>", "mlp; resmlp (residual blocks of width --hidden[0]); or cnn (conv3x3 → ReLU → maxpool 2 per --channels entry, then dense --hidden)").choices(MODELS).default("mlp"))
    .option("--blocks <n>", "resmlp: residual blocks", integer(0), 2)
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
    .option("--seed <n>", "random seed (weights, split, shuffling)", integer(0), 0)
    .option("--out <dir>", "run directory (default: runs/<dataset>-<time>)");
}

/** Adds the checkpoint, resume, early-stopping, divergence, report and fine-tuning flags. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option("--resume <run>", "continue a killed run from its last checkpoint, with the flags it was started with")
    .option("--checkpoint-every <steps>", "also checkpoint every this many steps inside an epoch (default: at epoch ends)", integer(1))
    .option("--early-stopping <patience>", "stop when validation loss has not improved for this many epochs, and restore the best epoch's weights", integer(0))
    .addOption(new Option("--on-divergence <action>", "when the loss becomes NaN or explodes: stop (a failed run, exit status 1), roll back to the last good epoch and cut lr ×0.1, or continue").choices(["stop", "rollback", "continue"]).default("stop"))
    .option("--png", "also write the report's plots as PNG files in <run>/plots/")
    .option("--init-from <file>", "start from weights in a .safetensors file, loaded by name (missing ones stay initialized)")
    .option("--freeze <prefixes>", "freeze the parameters whose names start with these prefixes (e.g. 1.,3.)", prefixList)
    .option("--lr-for <prefix=lr,...>", "a learning rate per parameter-name prefix, the rest keep --lr (e.g. 1.=1e-4)", lrForList);
}

/** Adds the optimizer hyperparameter flags (each optimizer takes those it has). */
export function addOptimizerOptions(cmd: Command): Command {
  return cmd
    .option("--lr <rate>", "learning rate (default: the optimizer's usual one; sgd/momentum/nesterov 0.05, adam 1e-3)", number(0))
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
    const history = runTrain(flags);
    // DivergenceGuard's reason for stopping: the run failed (exit 1), though its files and diagnosis are written.
    if (history.stopReason?.startsWith("diverged")) throw new CommandFailedError({ where: "train", what: `the run stopped: ${history.stopReason}` });
  });
}

export function runTrain(flags: TrainFlags): History {
  if (flags.resume) return resumeTrain(flags.resume);
  const run = flags.out ? new RunDir(flags.out) : RunDir.fresh("runs", flags.dataset === "mnist" || flags.dataset === "fashion-mnist" ? flags.dataset : "run");
  const lr = flags.lr ?? defaultLr(flags.optimizer);
  const config = { command: "train", minimaVersion: version, ...flags, hidden: hiddenFor(flags), lr, out: run.path };
  run.writeConfig(config);
  return trainRun(run, config, null);
}

/** Continues the run in `path` from its last checkpoint, with the flags it was started with. */
function resumeTrain(path: string): History {
  const configPath = join(path, "config.json");
  if (!existsSync(configPath)) throw new OptionError({ where: "--resume", what: `${path} is not a run directory (no config.json)` });
  let json: { command?: unknown };
  try {
    json = JSON.parse(readFileSync(configPath, "utf8")) as { command?: unknown };
  } catch (e) {
    throw new DataFormatError({ where: "--resume", what: `${configPath} is not valid JSON (${(e as Error).message})` });
  }
  if (json?.command !== "train") throw new OptionError({ where: "--resume", what: `${configPath} is not from minima train`, got: String(json?.command) });
  const config = checkTrainConfig(json, configPath);
  // The logger rewrites metrics.jsonl from the checkpoint: a log a newer minima wrote is not ours to rewrite.
  const metricsPath = join(path, "metrics.jsonl");
  if (existsSync(metricsPath)) readRunLogHeader(metricsPath);
  const run = new RunDir(path);
  const dir = join(run.path, "checkpoints");
  const checkpoint = hasCheckpoint(dir, "last") ? loadCheckpoint(dir, "last") : null;
  console.log(checkpoint ? `resuming ${run.path} after step ${checkpoint.state.step} (epoch ${checkpoint.state.epochsDone}${checkpoint.state.batchesDone ? ` + ${checkpoint.state.batchesDone} batches` : ""})`
    : `no checkpoint in ${dir} yet: starting ${run.path} over`);
  return trainRun(run, { ...config, out: run.path }, checkpoint);
}

function trainRun(run: RunDir, flags: TrainFlags & { lr: number }, checkpoint: Checkpoint | null): History {
  manualSeed(flags.seed);
  const data = loadDataset(flags.dataset, flags);
  const { model, description, spec } = buildModel(flags, data);
  if (flags.initFrom) console.log(initFrom(model, flags.initFrom));
  const frozen = flags.freeze ? freeze(model, flags.freeze) : [];
  const optimizer = makeOptimizer(flags.optimizer, parameterGroups(model, flags.lr, flags.lrFor ?? []), flags);
  const stepsPerEpoch = Math.ceil(data.train.length / flags.batchSize);
  const scheduler = makeSchedule(optimizer, flags, { stepsPerEpoch, totalSteps: stepsPerEpoch * flags.epochs });
  console.log(`minima train: ${data.name}, ${data.train.length} train / ${data.val.length} val / ${data.test.length} test, ` +
    `${description} (${model.numParameters()} parameters${frozen.length ? `, ${frozen.length} tensors frozen` : ""}), ${flags.optimizer} lr ${flags.lr}` +
    (flags.schedule ? `, ${flags.schedule} schedule` : "") + (flags.warmup ? `, ${flags.warmup} warmup steps` : "") + `; ${backendLabel()}`);
  console.log(`run directory: ${run.path}`);
  const history = fit(model, {
    train: data.train, val: data.val.length > 0 ? data.val : null, test: data.test, optimizer, scheduler,
    loss: (out, y) => crossEntropy(out, y, { labelSmoothing: flags.labelSmoothing ?? 0 }),
    epochs: flags.epochs, batchSize: flags.batchSize, seed: flags.seed, clipGradNorm: flags.clipNorm ?? null,
    transform: makeTransform(flags, data.classes), penalty: makePenalty(flags), accuracy: true,
    callbacks: runCallbacks(run, flags), resume: checkpoint,
  });
  // The trained model (the best epoch's, when early stopping restored it), by name, for torch users too,
  // with what `minima evaluate` and `minima predict` need to use it alone (spec, preprocessing, classes).
  saveModel(join(run.path, "model.safetensors"), model, { spec, preprocessing: data.preprocessing, classes: data.classNames, dataset: data.source });
  const diagnosis = diagnose(history);
  console.log("\n" + formatDiagnosis(diagnosis));
  if (history.stopReason) console.log(`stopped: ${history.stopReason}`);
  const written = writeReport(run.path, { png: flags.png ?? false, diagnosis });
  console.log(`report: ${written[0]}`);
  return history;
}

/**
 * Loads the tensors of a .safetensors file into the model by name (shapes must match); parameters
 * the file lacks keep their initialization, which is how a new head is fine-tuned on a saved body.
 */
function initFrom(model: Module, path: string): string {
  const saved = loadSafetensors(path);
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

/** The CLI's callbacks: progress, a line per epoch, noise, early stopping, the divergence guard, the log and checkpoints. */
function runCallbacks(run: RunDir, flags: TrainFlags): Callback[] {
  const valMonitor = flags.valFraction > 0 ? "valLoss" : "loss";
  return [
    new ProgressBar(),
    new LambdaCallback({ onEpochEnd: (_ctx, log) => console.log(formatEpoch(log, flags.epochs)) }),
    ...noiseCallbacks(flags),
    ...(flags.earlyStopping !== undefined ? [new EarlyStopping({ monitor: valMonitor, patience: flags.earlyStopping, restoreBestWeights: true })] : []),
    ...(flags.onDivergence !== "continue" ? [new DivergenceGuard({ action: flags.onDivergence ?? "stop" })] : []),
    new JsonlLogger({ path: join(run.path, "metrics.jsonl"), diagnose }),
    new ModelCheckpoint({ dir: join(run.path, "checkpoints"), monitor: valMonitor, everySteps: flags.checkpointEvery ?? 0 }),
  ];
}
