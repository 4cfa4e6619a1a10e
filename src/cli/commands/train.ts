import { Command, Option } from "commander";
import { crossEntropy } from "../../nn/losses.js";
import { ACTIVATIONS, INITS, mlp, type ActivationName, type InitName } from "../../nn/mlp.js";
import { SGD } from "../../optim/sgd.js";
import { manualSeed, Generator } from "../../tensor/random.js";
import { evaluate, trainEpoch, type LossFn } from "../../train/epoch.js";
import { RunDir } from "../../io/run-dir.js";
import { DataLoader } from "../../data/data-loader.js";
import type { TensorDataset } from "../../data/dataset.js";
import { loadDataset, type DatasetName } from "../dataset.js";
import { EpochBar } from "../progress.js";
import { fraction, integer, intList, number } from "../parse.js";
import { version } from "../version.js";

export interface TrainConfig {
  dataset: DatasetName;
  hidden: number[];
  activation: ActivationName;
  init: InitName;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  valFraction: number;
  standardize: "none" | "global" | "feature";
  seed: number;
  out: string | undefined;
}

/** `minima train`: an MLP on real digits or clothes, with a run directory of config and metrics. */
export function trainCommand(): Command {
  return new Command("train")
    .description("train an MLP classifier with mini-batch SGD and write a run directory")
    .option("--dataset <name>", "mnist (embedded), fashion-mnist, or a folder of IDX files", "mnist")
    .option("--hidden <widths>", "hidden layer widths, comma-separated (\"none\" for a linear model)", intList, [256, 256])
    .addOption(new Option("--activation <name>", "hidden activation").choices(ACTIVATIONS).default("relu"))
    .addOption(new Option("--init <scheme>", "weight initialization (default: PyTorch's Linear init)").choices(INITS).default("default"))
    .option("--epochs <n>", "passes over the training set", integer(1), 10)
    .option("--batch-size <n>", "samples per step (1: stochastic GD; the training-set size: full batch)", integer(1), 64)
    .option("--lr <rate>", "learning rate", number(0), 0.05)
    .option("--momentum <mu>", "heavy-ball momentum", fraction, 0.9)
    .option("--weight-decay <lambda>", "L2 weight decay", number(0), 0)
    .option("--val-fraction <f>", "share of the training set held out for validation", fraction, 0.1)
    .addOption(new Option("--standardize <how>", "zero-center and scale inputs with training statistics").choices(["none", "global", "feature"]).default("global"))
    .option("--seed <n>", "random seed (weights, split, shuffling)", integer(0), 0)
    .option("--out <dir>", "run directory (default: runs/<dataset>-<time>)")
    .action((opts: Omit<TrainConfig, "out"> & { out?: string }) => {
      runTrain({ ...opts, out: opts.out });
    });
}

export function runTrain(config: TrainConfig): void {
  manualSeed(config.seed);
  const data = loadDataset(config.dataset, { valFraction: config.valFraction, standardize: config.standardize, seed: config.seed });
  const run = config.out ? new RunDir(config.out) : RunDir.fresh("runs", data.name);
  run.writeConfig({ command: "train", minimaVersion: version, ...config, out: run.path });
  const model = mlp({ inputs: data.features, hidden: config.hidden, outputs: data.classes, activation: config.activation, init: config.init });
  const optimizer = new SGD(model.parameters(), { lr: config.lr, momentum: config.momentum, weightDecay: config.weightDecay });
  const loss: LossFn = (out, y) => crossEntropy(out, y);
  const shuffleGen = new Generator(config.seed + 1);
  const trainLoader = new DataLoader(data.train, { batchSize: config.batchSize, shuffle: true, generator: shuffleGen });
  const evalBatch = 1000;
  const batches = (d: TensorDataset) => new DataLoader(d, { batchSize: evalBatch });
  console.log(`minima train: ${data.name}, ${data.train.length} train / ${data.val.length} val / ${data.test.length} test, ` +
    `MLP ${[data.features, ...config.hidden, data.classes].join("-")} (${model.numParameters()} parameters), SGD lr ${config.lr} momentum ${config.momentum}`);
  console.log(`run directory: ${run.path}`);
  const bar = new EpochBar();
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    let seen = 0, lossSum = 0, correct = 0;
    bar.start(`epoch ${epoch}/${config.epochs}`, trainLoader.length);
    const train = trainEpoch(model, trainLoader, optimizer, loss, (b) => {
      seen += b.size; lossSum += b.loss * b.size; correct += b.correct;
      bar.update(b.batch + 1, { loss: lossSum / seen, accuracy: correct / seen, samplesPerSecond: seen / ((performance.now() - started) / 1000) });
    });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    const val = data.val.length > 0 ? evaluate(model, batches(data.val), loss) : null;
    const test = evaluate(model, batches(data.test), loss);
    const record = {
      epoch, trainLoss: train.loss, trainAccuracy: train.accuracy,
      valLoss: val?.loss ?? null, valAccuracy: val?.accuracy ?? null,
      testLoss: test.loss, testAccuracy: test.accuracy,
      seconds, samplesPerSecond: data.train.length / seconds,
    };
    run.appendMetrics(record);
    const pct = (x: number) => (100 * x).toFixed(2) + "%";
    console.log(`epoch ${String(epoch).padStart(String(config.epochs).length)}/${config.epochs}  ` +
      `train loss ${train.loss.toFixed(4)} acc ${pct(train.accuracy)}  ` +
      (val ? `val loss ${val.loss.toFixed(4)} acc ${pct(val.accuracy)}  ` : "") +
      `test loss ${test.loss.toFixed(4)} acc ${pct(test.accuracy)}  ${seconds.toFixed(1)}s ${Math.round(record.samplesPerSecond)} samples/s`);
  }
}
