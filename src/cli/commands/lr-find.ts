import { Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DataLoader } from "../../data/data-loader.js";
import type { Dataset } from "../../data/dataset.js";
import { OptionError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { RunDir } from "../../io/run-dir.js";
import { hessian } from "../../landscape/hessian.js";
import { crossEntropy } from "../../nn/losses/index.js";
import { svgToPng } from "../../report/png.js";
import { lrFindChart } from "../../report/svg/lr-find-chart.js";
import { Generator } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Module } from "../../nn/module.js";
import type { LossFn } from "../../train/evaluate.js";
import { lrFind } from "../../train/lr-find.js";
import { backendLabel } from "../backend-label.js";
import { checkFlags } from "../flag-rules.js";
import { OPTIMIZER_NAMES } from "../optimizers.js";
import { outFolder } from "../out-paths.js";
import { integer, number } from "../parse.js";
import { addRegularizationOptions, makePenalty, makeTransform } from "../regularization.js";
import { lrFindRecords, lrFindSummary, type CurvatureCheck, type LrFindSettings } from "../lr-find-summary.js";
import { addModelOptions, addOptimizerOptions, prepare, type TrainFlags } from "./train.js";

interface LrFindFlags extends Omit<TrainFlags, "lr" | "epochs"> {
  startLr: number;
  endLr: number;
  numIt: number;
  mode: "exp" | "linear";
  stopDiv: number | false;
  smoothing: number;
  curvature?: boolean;
  curvatureBatches: number;
  out?: string;
}

/** train's flags that do nothing in a range test: it sets the lr itself, trains numIt batches, and has no per-batch noise callbacks. */
const IDLE_TRAIN_FLAGS = ["--epochs", "--lr", "--out", "--weight-noise", "--grad-noise"];

/** `minima lr-find`: fastai's LR range test on the model and data `minima train` would build from the same flags. */
export function lrFindCommand(): Command {
  const cmd = new Command("lr-find").description("the LR range test (fastai's lr_find): train from --start-lr towards --end-lr one batch at a time, print fastai's suggestions and the one-cycle peak they imply, write lr_find.jsonl and a plot; the model and data are those minima train builds from the same flags");
  addModelOptions(cmd);
  cmd.addOption(new Option("--optimizer <name>", "optimizer").choices(OPTIMIZER_NAMES).default("momentum"));
  addOptimizerOptions(cmd);
  cmd.option("--clip-norm <max>", "clip the gradients' global L2 norm to this before each step", number(0, { inclusive: false }));
  addRegularizationOptions(cmd);
  // commander has no removeOption: these would be accepted and do nothing.
  (cmd.options as Option[]).splice(0, cmd.options.length, ...cmd.options.filter((o) => !IDLE_TRAIN_FLAGS.includes(o.long!)));
  cmd
    .option("--start-lr <lr>", "the first batch's learning rate", number(0, { inclusive: false }), 1e-7)
    .option("--end-lr <lr>", "the learning rate the sweep heads for", number(0, { inclusive: false }), 10)
    .option("--num-it <n>", "batches at most", integer(6), 100)
    .addOption(new Option("--mode <mode>", "exponential or linear steps between the two").choices(["exp", "linear"]).default("exp"))
    .option("--stop-div <x>", "stop once the smoothed loss passes this many times its best", number(1, { inclusive: false }), 4)
    .option("--no-stop-div", "run all --num-it batches")
    .option("--smoothing <beta>", "β of the debiased moving average of the loss", number(0), 0.98)
    .option("--curvature", "also measure the Hessian's largest eigenvalue at the same weights and print 2/λmax, gradient descent's stability limit")
    .option("--curvature-batches <n>", "with --curvature: training batches of --batch-size the Hessian averages over", integer(1), 4)
    .option("--out <dir>", "folder for lr_find.jsonl, lr_find.svg and lr_find.png (default: runs/lr-find-<time>)", outFolder);
  cmd.hook("preAction", () => checkFlags(cmd, [cmd.opts<LrFindFlags>()]));
  return cmd.action((flags: LrFindFlags) => runLrFind(cmd, flags));
}

function runLrFind(cmd: Command, flags: LrFindFlags): void {
  if (cmd.getOptionValueSource("curvatureBatches") === "cli" && !flags.curvature) {
    throw new OptionError({ where: "--curvature-batches", what: "does nothing without --curvature; add --curvature or drop --curvature-batches" });
  }
  if (!(flags.endLr > flags.startLr)) {
    throw new OptionError({ where: "--end-lr", what: `${flags.endLr} is not above --start-lr ${flags.startLr}`, expected: "a sweep towards larger learning rates" });
  }
  if (flags.smoothing >= 1) {
    throw new OptionError({ where: "--smoothing", what: `${flags.smoothing} leaves no weight on the losses`, expected: "a β in [0, 1)" });
  }
  const setup = prepare({ ...flags, epochs: 1, lr: flags.startLr });
  const { data, model, optimizer, description } = setup;
  const loss: LossFn = (out, y) => crossEntropy(out, y, { labelSmoothing: flags.labelSmoothing ?? 0 });
  const settings: LrFindSettings = {
    startLr: flags.startLr, endLr: flags.endLr, numIt: flags.numIt, mode: flags.mode, stopDiv: flags.stopDiv === false ? null : flags.stopDiv,
    smoothing: flags.smoothing, batchSize: flags.batchSize,
  };
  console.log(`minima lr-find: ${data.name}, ${data.train.length} train samples, ${description} (${model.numParameters()} parameters), ${flags.optimizer}; ` +
    `up to ${settings.numIt} batches of ${settings.batchSize} from lr ${settings.startLr} towards ${settings.endLr} (${settings.mode}); ${backendLabel()}`);
  const result = lrFind(model, {
    train: data.train, lossFn: loss, optimizer, ...settings, seed: flags.seed, clipGradNorm: flags.clipNorm ?? null,
    transform: makeTransform(flags, data.classes), penalty: makePenalty(flags),
  });
  const curvature = flags.curvature ? measureCurvature(setup.model, loss, data.train, flags) : null;
  for (const line of lrFindSummary(result, settings, curvature)) console.log(line);
  const out = flags.out ?? RunDir.freshPath("runs", "lr-find");
  mkdirSync(out, { recursive: true });
  writeFileAtomic(join(out, "lr_find.jsonl"), lrFindRecords(result, settings, curvature).map((r) => JSON.stringify(r)).join("\n") + "\n");
  const svg = lrFindChart(result, { title: `LR range test: ${data.name}, ${description}, ${flags.optimizer}` });
  writeFileAtomic(join(out, "lr_find.svg"), svg);
  writeFileAtomic(join(out, "lr_find.png"), svgToPng(svg));
  console.log(`written: ${join(out, "lr_find.jsonl")}, lr_find.svg, lr_find.png`);
}

/** The largest eigenvalue of the loss's Hessian over the first training batches in order (Lanczos, seeded by --seed): the λ that 2/λ, gradient descent's stability limit, is about. */
export function measureCurvature(model: Module, loss: LossFn, train: Dataset<Tensor[]>, flags: Pick<LrFindFlags, "batchSize" | "curvatureBatches" | "seed">): CurvatureCheck {
  const batches: Tensor[][] = [];
  for (const batch of new DataLoader(train, { batchSize: flags.batchSize })) {
    if (batches.length === flags.curvatureBatches) break;
    batches.push(batch);
  }
  const { values } = hessian(model, loss, batches).topEigen({ k: 1, generator: new Generator(flags.seed) });
  return { lambdaMax: values[0]!, batches: batches.length };
}
