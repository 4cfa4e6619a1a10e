import { Command, Option } from "commander";
import { ACTIVATIONS, INITS, type ActivationName, type InitName } from "../../nn/mlp.js";
import { manualSeed } from "../../tensor/random.js";
import { RunDir } from "../../io/run-dir.js";
import { loadDataset, type DatasetName } from "../dataset.js";
import { buildModel, hiddenFor, MODELS, type ModelName } from "../models.js";
import { defaultLr, makeOptimizer, OPTIMIZER_NAMES, type OptimizerFlags } from "../optimizers.js";
import { betas, fraction, integer, intList, number } from "../parse.js";
import { addScheduleOptions, makeSchedule, type ScheduleFlags } from "../schedules.js";
import { formatEpoch, runTraining } from "../training.js";
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
}

export interface TrainFlags extends ModelFlags, OptimizerFlags, ScheduleFlags {
  optimizer: string;
  clipNorm?: number;
}

/** Adds the model, data and run flags. */
export function addModelOptions(cmd: Command): Command {
  return cmd
    .option("--dataset <name>", "mnist (embedded), fashion-mnist, or a folder of IDX files", "mnist")
    .addOption(new Option("--model <kind>", "mlp, or cnn (conv3x3 → ReLU → maxpool 2 per --channels entry, then dense --hidden)").choices(MODELS).default("mlp"))
    .option("--hidden <widths>", "hidden layer widths, comma-separated (\"none\" for a linear model; default 256,256 for mlp, 128 for cnn)", intList)
    .option("--channels <list>", "cnn: output channels of each conv block, comma-separated", intList, [32, 64])
    .addOption(new Option("--activation <name>", "hidden activation").choices(ACTIVATIONS).default("relu"))
    .addOption(new Option("--init <scheme>", "weight initialization (default: PyTorch's Linear init)").choices(INITS).default("default"))
    .option("--epochs <n>", "passes over the training set", integer(1), 10)
    .option("--batch-size <n>", "samples per step (1: stochastic GD; the training-set size: full batch)", integer(1), 64)
    .option("--val-fraction <f>", "share of the training set held out for validation", fraction, 0.1)
    .addOption(new Option("--standardize <how>", "zero-center and scale inputs with training statistics").choices(["none", "global", "feature"]).default("global"))
    .option("--seed <n>", "random seed (weights, split, shuffling)", integer(0), 0)
    .option("--out <dir>", "run directory (default: runs/<dataset>-<time>)");
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

/** `minima train`: an MLP on real digits or clothes, with a run directory of config and metrics. */
export function trainCommand(): Command {
  const cmd = new Command("train").description("train an MLP or CNN classifier and write a run directory (config.json, metrics.jsonl)");
  addModelOptions(cmd);
  cmd.addOption(new Option("--optimizer <name>", "optimizer").choices(OPTIMIZER_NAMES).default("momentum"));
  addOptimizerOptions(cmd);
  addScheduleOptions(cmd);
  cmd.option("--clip-norm <max>", "clip the gradients' global L2 norm to this before each step", number(0, { inclusive: false }));
  return cmd.action((flags: TrainFlags) => runTrain(flags));
}

export function runTrain(flags: TrainFlags): void {
  manualSeed(flags.seed);
  const data = loadDataset(flags.dataset, flags);
  const run = flags.out ? new RunDir(flags.out) : RunDir.fresh("runs", data.name);
  const lr = flags.lr ?? defaultLr(flags.optimizer);
  run.writeConfig({ command: "train", minimaVersion: version, ...flags, hidden: hiddenFor(flags), lr, out: run.path });
  const { model, description } = buildModel(flags, data);
  const optimizer = makeOptimizer(flags.optimizer, model.parameters(), { ...flags, lr });
  const stepsPerEpoch = Math.ceil(data.train.length / flags.batchSize);
  const schedule = makeSchedule(optimizer, flags, { stepsPerEpoch, totalSteps: stepsPerEpoch * flags.epochs });
  console.log(`minima train: ${data.name}, ${data.train.length} train / ${data.val.length} val / ${data.test.length} test, ` +
    `${description} (${model.numParameters()} parameters), ${flags.optimizer} lr ${lr}` +
    (flags.schedule ? `, ${flags.schedule} schedule` : "") + (flags.warmup ? `, ${flags.warmup} warmup steps` : ""));
  console.log(`run directory: ${run.path}`);
  runTraining({
    data, model, optimizer, schedule, epochs: flags.epochs, batchSize: flags.batchSize, seed: flags.seed,
    clipNorm: flags.clipNorm ?? null, label: "",
    onEpoch: (record) => {
      run.appendMetrics(record);
      console.log(formatEpoch(record, flags.epochs));
    },
  });
}
