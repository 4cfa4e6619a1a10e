import { Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DataLoader } from "../../data/data-loader.js";
import { TensorDataset } from "../../data/dataset.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { hessian, type Batch } from "../../landscape/hessian.js";
import { epsSharpness } from "../../landscape/sharpness/eps-sharpness.js";
import { interpolate, type LineResult } from "../../landscape/slices/interpolate.js";
import { crossEntropy } from "../../nn/losses/index.js";
import type { Module } from "../../nn/module.js";
import { svgToPng } from "../../report/png.js";
import type { Tensor } from "../../tensor/tensor.js";
import { Generator, manualSeed } from "../../tensor/random.js";
import { evaluate } from "../../train/evaluate.js";
import { fit } from "../../train/fit.js";
import { backendLabel } from "../backend-label.js";
import { CommandFailedError } from "../exit-codes.js";
import { loadDataset, type DatasetName } from "../dataset.js";
import { buildModel } from "../models.js";
import { makeOptimizer, OPTIMIZER_NAMES } from "../optimizers.js";
import { outFolder } from "../out-paths.js";
import { fraction, integer, intList, MAX_SEED, path, positiveList } from "../parse.js";
import { flatSharpCharts } from "./flat-sharp-charts.js";

interface FlatSharpFlags {
  dataset: DatasetName;
  hidden: number[];
  epochs: number;
  smallBatch: number;
  largeBatch?: number;
  optimizer: string;
  lrsSmall: number[];
  lrsLarge: number[];
  valFraction: number;
  trainSize?: number;
  samples: number;
  epsilon: number[];
  points: number;
  seed: number;
  out: string;
}

/** One regime's grid, the solution it picked, and what was measured at it. */
export interface RegimeResult {
  name: "small" | "large";
  batchSize: number;
  grid: { lr: number; valLoss: number; valAccuracy: number; trainLoss: number; seconds: number }[];
  lr: number;
  train: { loss: number; accuracy: number };
  test: { loss: number; accuracy: number };
  lambdaMax: number;
  trace: { value: number; stderr: number; matvecs: number };
  sharpness: { epsilon: number; value: number; maxLoss: number }[];
  /** ‖x‖₂ of all the weights: the box's size grows with |xᵢ|, so ε-sharpness does too. */
  weightNorm: number;
}

/**
 * `minima experiment flat-sharp`: Keskar et al. 2017's finding on a small MLP: one model trained with small
 * batches (64) and one with large ones (a tenth of the training split), each at the learning rate of a small grid
 * that scores best on the validation split, from the same initialization; then at each solution λmax and the trace
 * of the training loss's Hessian, ε-sharpness, the accuracies, and the loss along the line between the two
 * (the paper's figure 3). Writes flat-sharp.json and the line's plots; prints what was measured.
 */
export function flatSharpCommand(): Command {
  return new Command("flat-sharp")
    .description("small batches against large ones (Keskar et al. 2017): λmax, trace, ε-sharpness and test accuracy of each solution, and the loss along the line between them")
    .option("--dataset <name>", "the data set", path("a data set name, file or folder"), "fashion-mnist")
    .option("--hidden <widths>", "the MLP's hidden widths", intList, [128])
    .option("--epochs <n>", "epochs of each training run (both regimes: the same passes over the data)", integer(1), 10)
    .option("--small-batch <n>", "the small batch size", integer(1), 64)
    .option("--large-batch <n>", "the large batch size (default: a tenth of the training split)", integer(1))
    .addOption(new Option("--optimizer <name>", "the optimizer of both regimes").choices(OPTIMIZER_NAMES).default("adam"))
    .option("--lrs-small <list>", "the learning rates tried with small batches", positiveList("3e-4,1e-3,3e-3"), [3e-4, 1e-3, 3e-3])
    .option("--lrs-large <list>", "the learning rates tried with large batches", positiveList("1e-3,3e-3,1e-2,3e-2"), [1e-3, 3e-3, 1e-2, 3e-2])
    .option("--val-fraction <f>", "the validation split that picks each regime's learning rate", fraction, 0.1)
    .option("--train-size <n>", "use only the first n samples of the training split", integer(1))
    .option("--samples <n>", "training samples the Hessian and ε-sharpness are taken over (the first ones)", integer(1), 2000)
    .option("--epsilon <list>", "ε of the sharpness boxes", positiveList("1e-3,5e-4"), [1e-3, 5e-4])
    .option("--points <n>", "points α on the line from −1 to 2 between the two solutions (α = 0 and 1 among them)", integer(7), 31)
    .option("--seed <n>", "the seed of the initialization, the data order and the split", integer(0, MAX_SEED), 0)
    .option("--out <folder>", "where flat-sharp.json and the plots go", outFolder, "flat-sharp")
    .action((flags: FlatSharpFlags) => {
      flatSharp(flags);
    });
}

function flatSharp(flags: FlatSharpFlags): void {
  const data = loadDataset(flags.dataset, { valFraction: flags.valFraction, standardize: "global", seed: flags.seed, trainSize: flags.trainSize });
  const largeBatch = flags.largeBatch ?? Math.round(data.train.length / 10);
  const choice = { model: "mlp" as const, hidden: flags.hidden, channels: [], activation: "relu" as const, init: "default" as const, batchSize: flags.smallBatch };
  const fresh = () => {
    manualSeed(flags.seed);
    return buildModel(choice, data);
  };
  const { description } = fresh();
  console.log(`minima experiment flat-sharp: ${data.name}, ${data.train.length} train / ${data.val.length} val / ${data.test.length} test, ${description}, ` +
    `${flags.optimizer}, ${flags.epochs} epochs, batch ${flags.smallBatch} against ${largeBatch}; ${backendLabel()}`);

  const measured = firstSamples(data.train, flags.samples);
  const measuredBatches = loaderOf(measured);
  const trainAll = loaderOf(data.train), testAll = loaderOf(data.test);
  const regimes: RegimeResult[] = [];
  const models: Module[] = [];
  for (const [name, batchSize, lrs] of [["small", flags.smallBatch, flags.lrsSmall], ["large", largeBatch, flags.lrsLarge]] as const) {
    let best: { model: Module; valAccuracy: number; valLoss: number; lr: number } | null = null;
    const grid: RegimeResult["grid"] = [];
    for (const lr of lrs) {
      const { model } = fresh();
      const optimizer = makeOptimizer(flags.optimizer, model.parameters(), { lr });
      const started = Date.now();
      const history = fit(model, { train: data.train, val: data.val, optimizer, epochs: flags.epochs, batchSize, seed: flags.seed, verbose: 0, layerStatsEvery: 0 });
      const last = history.epochs[history.epochs.length - 1]!;
      const row = { lr, valLoss: last.valLoss ?? NaN, valAccuracy: last.valAccuracy ?? NaN, trainLoss: last.loss, seconds: (Date.now() - started) / 1000 };
      grid.push(row);
      console.log(`  ${name} batch ${batchSize}, lr ${lr}: val accuracy ${pct(row.valAccuracy)}, val loss ${row.valLoss.toFixed(4)}, train loss ${row.trainLoss.toFixed(4)} (${row.seconds.toFixed(0)} s)`);
      // The best validation accuracy; a diverged run (NaN) never wins.
      if (Number.isFinite(row.valLoss) && (best === null || row.valAccuracy > best.valAccuracy || (row.valAccuracy === best.valAccuracy && row.valLoss < best.valLoss))) {
        best = { model, valAccuracy: row.valAccuracy, valLoss: row.valLoss, lr };
      }
    }
    if (best === null) {
      throw new CommandFailedError({ where: "flat-sharp", what: `every ${name}-batch run diverged (learning rates ${lrs.join(", ")}): try smaller ones with --lrs-${name}` });
    }
    models.push(best.model);
    regimes.push(measure(name, batchSize, grid, best.model, best.lr, flags, measuredBatches, trainAll, testAll));
  }

  const alphas = lineAlphas(flags.points);
  const line = (batches: Tensor[][]): LineResult => interpolate(models[0]!, models[1]!, { model: fresh().model, lossFn: crossEntropy, batches, alphas });
  const interpolation = { alphas, train: line(trainAll), test: line(testAll) };
  const [small, large] = regimes as [RegimeResult, RegimeResult];
  const result = {
    experiment: "flat-sharp", dataset: data.source, model: description, optimizer: flags.optimizer, epochs: flags.epochs, seed: flags.seed,
    samples: measured.length, regimes, testAccuracyGap: small.test.accuracy - large.test.accuracy, interpolation,
  };
  mkdirSync(flags.out, { recursive: true });
  const written = [join(flags.out, "flat-sharp.json")];
  writeFileAtomic(written[0]!, JSON.stringify(result, null, 2) + "\n");
  for (const [name, svg] of Object.entries(flatSharpCharts(result))) {
    const file = join(flags.out, `flat-sharp-${name}`);
    writeFileAtomic(`${file}.svg`, svg);
    writeFileAtomic(`${file}.png`, svgToPng(svg));
    written.push(`${file}.svg`, `${file}.png`);
  }
  for (const line of summary(result)) console.log(line);
  console.log(`written: ${written.join(", ")}`);
}

/** The solution's accuracies, the curvature of its training loss and its ε-sharpness. */
function measure(name: RegimeResult["name"], batchSize: number, grid: RegimeResult["grid"], model: Module, lr: number, flags: FlatSharpFlags,
  batches: Batch[], trainAll: Tensor[][], testAll: Tensor[][]): RegimeResult {
  const train = evaluate(model, trainAll, crossEntropy), test = evaluate(model, testAll, crossEntropy);
  const H = hessian(model, crossEntropy, batches);
  const lambdaMax = H.topEigen({ k: 1, generator: new Generator(flags.seed) }).values[0]!;
  const trace = H.trace({ matvecs: 30, generator: new Generator(flags.seed) });
  const sharpness = flags.epsilon.map((epsilon) => {
    const r = epsSharpness(model, crossEntropy, batches, { epsilon, generator: new Generator(flags.seed) });
    return { epsilon, value: r.value, maxLoss: r.maxLoss };
  });
  const weightNorm = Math.sqrt(model.parameters().reduce((s, p) => s + Array.from(p.data).reduce((t, v) => t + v * v, 0), 0));
  return { name, batchSize, grid, lr, train: { loss: train.loss, accuracy: train.accuracy! }, test: { loss: test.loss, accuracy: test.accuracy! }, lambdaMax, trace, sharpness, weightNorm };
}

/** The first `count` samples of `data` (all when fewer). */
function firstSamples(data: TensorDataset, count: number): TensorDataset {
  const n = Math.min(count, data.length);
  return new TensorDataset(...data.tensors.map((t) => t.narrow(0, 0, n)));
}

/**
 * `points` values of α evenly from −1 to 2 (the paper's range), with 0 and 1 among them exactly: the two
 * solutions themselves (the nearest points are moved onto them).
 */
export function lineAlphas(points: number): number[] {
  const alphas = Array.from({ length: points }, (_, i) => -1 + (3 * i) / (points - 1));
  for (const end of [0, 1]) {
    const nearest = alphas.reduce((k, a, i) => (Math.abs(a - end) < Math.abs(alphas[k]! - end) ? i : k), 0);
    alphas[nearest] = end;
  }
  return alphas;
}

const loaderOf = (data: TensorDataset): Tensor[][] => [...new DataLoader(data, { batchSize: 1000 })];

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The table of what was measured, as printed. */
export function summary(result: { regimes: RegimeResult[]; testAccuracyGap: number; samples: number; interpolation: { alphas: number[]; train: LineResult } }): string[] {
  const rows = result.regimes.map((r) => [
    `${r.name} (${r.batchSize})`, String(r.lr), pct(r.train.accuracy), pct(r.test.accuracy), r.train.loss.toFixed(4), r.test.loss.toFixed(4),
    r.lambdaMax.toPrecision(4), `${r.trace.value.toPrecision(4)} ± ${r.trace.stderr.toPrecision(2)}`, ...r.sharpness.map((s) => s.value.toPrecision(4)), r.weightNorm.toFixed(2),
  ]);
  const head = ["batch", "lr", "train acc", "test acc", "train loss", "test loss", "λmax", "trace", ...result.regimes[0]!.sharpness.map((s) => `φ(ε=${s.epsilon})`), "‖x‖"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  const { alphas, train } = result.interpolation;
  const peak = train.losses.reduce((k, l, i) => (alphas[i]! > 0 && alphas[i]! < 1 && l > train.losses[k]! ? i : k), alphas.findIndex((a) => a > 0));
  return [
    "", fmt(head), ...rows.map(fmt), "",
    `test accuracy gap (small − large): ${(100 * result.testAccuracyGap).toFixed(2)} points`,
    `λmax, trace and ε-sharpness over the first ${result.samples} training samples; ε-sharpness is a searched lower bound (10 L-BFGS iterations)`,
    `training loss along the line: ${train.losses[alphas.indexOf(0)]?.toFixed(4) ?? "?"} at α = 0 (small), ${train.losses[alphas.indexOf(1)]?.toFixed(4) ?? "?"} at α = 1 (large), ` +
      `largest between them ${train.losses[peak]!.toFixed(4)} at α = ${alphas[peak]!.toFixed(2)}`,
  ];
}
