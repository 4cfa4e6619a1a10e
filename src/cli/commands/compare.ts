import { Command, Option } from "commander";
import { join } from "node:path";
import { OptionError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { RunDir } from "../../io/run-dir.js";
import { ewmaSeries } from "../../optim/ewma.js";
import { lineChart } from "../../report/svg/line-chart.js";
import { LambdaCallback, ProgressBar } from "../../train/callbacks/index.node.js";
import { compare, type CompareResult } from "../../train/compare.js";
import { seedBand, type SeedStat } from "../../train/seed-stats.js";
import { backendLabel } from "../backend-label.js";
import { loadDataset } from "../dataset.js";
import { checkFlags } from "../flag-rules.js";
import { formatEpoch } from "../../train/epoch-line.js";
import { buildModel, hiddenFor, MODELS } from "../models.js";
import { lrFlag, lrsFor, type LrFlag } from "../optimizer-lrs.js";
import { makeOptimizer, OPTIMIZER_NAMES, type OptimizerFlags } from "../optimizers.js";
import { LR_FACTORS, tuneLearningRates, type LrSearch } from "../tune-lr.js";
import { integer, MAX_SEED, nameList } from "../parse.js";
import { StopOnSignal } from "../stop-signals.js";
import { version } from "../version.js";
import { addModelOptions, addOptimizerOptions, type ModelFlags } from "./train.js";

export interface CompareFlags extends ModelFlags, Omit<OptimizerFlags, "lr"> {
  optimizers: string[];
  /** One lr for all, or one per optimizer by name (the others keep their usual one). */
  lr?: LrFlag | undefined;
  /** Runs per optimizer, with seeds --seed, --seed + 1, … */
  seeds: number;
  /** Tune each optimizer's lr on the validation set first (tune-lr.ts). */
  tuneLr?: boolean;
}

/** What `minima compare` ran: the library's result, with each optimizer's learning rate. */
export interface CompareOutcome extends CompareResult {
  lrs: Record<string, number>;
}

/** `minima compare`: several optimizers, one model, the same initial weights and batches; with --seeds, several of each. */
export function compareCommand(): Command {
  const cmd = new Command("compare")
    .description(`train one model (--model ${MODELS.slice(0, -1).join(", ")} or ${MODELS.at(-1)}) with each optimizer from the same initial weights on the same batches, ` +
      "with --seeds seeds each; print a table (mean ± standard deviation over the seeds) and draw their loss curves")
    .option("--optimizers <names>", `comma-separated, from ${OPTIMIZER_NAMES.join(", ")}`, nameList(OPTIMIZER_NAMES), ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]);
  addModelOptions(cmd);
  cmd.option("--seeds <n>", "train each optimizer with n seeds, --seed, --seed + 1, …: each draws other initial weights, batch order and dropout masks " +
    "(the validation split stays --seed's); the table shows mean ± standard deviation", integer(1), 1);
  addOptimizerOptions(cmd, new Option("--lr <rate|name=rate,...>", "learning rate: one for every optimizer, or one per optimizer (sgd=0.1,adam=0.003; " +
    "the others keep their usual one: sgd/momentum/nesterov 0.05, adam 1e-3)").argParser(lrFlag(OPTIMIZER_NAMES)));
  cmd.option("--tune-lr", `first tune each optimizer's lr on the validation set: ${LR_FACTORS.length} runs each at its usual lr × ${LR_FACTORS.map((f) => Number(f.toPrecision(3))).join(", ")} ` +
    "(--epochs, --seed), the lowest final validation loss wins; then compare at those lrs");
  // One setting per optimizer: --betas may act with adam and do nothing with sgd.
  cmd.hook("preAction", () => {
    const flags = cmd.opts<CompareFlags>();
    const twice = flags.optimizers.find((name, i) => flags.optimizers.indexOf(name) !== i);
    if (twice !== undefined) throw new OptionError({ where: "--optimizers", what: `names ${twice} twice`, expected: "each optimizer once" });
    checkFlags(cmd, flags.optimizers.map((optimizer) => ({ ...flags, optimizer })), { optimizer: "--optimizers" });
    if (flags.tuneLr && flags.lr !== undefined) throw new OptionError({ where: "--lr", what: "does nothing with --tune-lr, which chooses each optimizer's lr", expected: "one of --lr and --tune-lr" });
    if (flags.tuneLr && flags.valFraction === 0) throw new OptionError({ where: "--tune-lr", what: "tunes on the validation set, and --val-fraction 0 leaves none", expected: "a --val-fraction above 0" });
  });
  return cmd.action((flags: CompareFlags) => { runCompare(flags); });
}

/** The seeds of a comparison: --seeds of them from --seed on, each a valid --seed. */
export function seedList(seed: number, count: number): number[] {
  if (seed + count - 1 > MAX_SEED) {
    throw new OptionError({ where: "--seeds", what: `${count} seeds from --seed ${seed} run past the largest seed, ${MAX_SEED}`, expected: `at most ${MAX_SEED - seed + 1} seed${seed === MAX_SEED ? "" : "s"} from --seed ${seed}` });
  }
  return Array.from({ length: count }, (_, i) => seed + i);
}

export function runCompare(flags: CompareFlags): CompareOutcome {
  const seeds = seedList(flags.seed, flags.seeds);
  const data = loadDataset(flags.dataset, flags);
  let lrs = lrsFor(flags.optimizers, flags.lr);
  let searches: LrSearch[] = [];
  if (flags.tuneLr) {
    console.log(`minima compare --tune-lr: ${LR_FACTORS.length} runs per optimizer on ${data.name}'s validation set, ${flags.epochs} epochs, seed ${seeds[0]}`);
    searches = tuneLearningRates(flags, data, seeds[0]!);
    lrs = Object.fromEntries(searches.map((s) => [s.optimizer, s.best]));
  }
  const { description } = buildModel(flags, data);
  const run = flags.out ? new RunDir(flags.out) : RunDir.fresh("runs", `compare-${data.name}`);
  run.writeConfig({ command: "compare", minimaVersion: version, ...flags, hidden: hiddenFor(flags), lr: lrs, out: run.path, ...(flags.tuneLr ? { lrSearch: searches } : {}) });
  console.log(`minima compare: ${flags.optimizers.join(", ")} on ${data.name} (${data.train.length} train / ${data.val.length} val / ${data.test.length} test), ` +
    `${description}, ${flags.epochs} epochs, batch ${flags.batchSize}${seeds.length > 1 ? `, ${seeds.length} seeds (${seeds.join(", ")})` : ""}; ${backendLabel()}`);
  console.log(`run directory: ${run.path}`);
  const label = (name: string, seed: number) => (seeds.length > 1 ? `${name} seed ${seed}` : name);
  const width = Math.max(9, ...flags.optimizers.map((name) => label(name, seeds.at(-1)!).length + 1));
  const result = compare(() => buildModel(flags, data).model, {
    train: data.train, val: data.val.length > 0 ? data.val : null, test: data.test.length > 0 ? data.test : null, epochs: flags.epochs, batchSize: flags.batchSize, seeds, layerStatsEvery: 0, verbose: 0, // its own bar and lines name the optimizer
    optimizers: Object.fromEntries(flags.optimizers.map((name) => [name, (params) => makeOptimizer(name, params, { ...flags, lr: lrs[name]! })])),
    // Ctrl-C ends the comparison after a whole step, with the terminal restored (compare keeps no checkpoints).
    callbacks: ({ optimizer, seed }) => [
      new ProgressBar({ label: `${label(optimizer, seed)} ` }),
      new StopOnSignal({ where: `compare (${label(optimizer, seed)})` }),
      new LambdaCallback({
        onEpochEnd: (_ctx, log) => {
          run.appendMetrics({ kind: "epoch", optimizer, seed, ...log });
          console.log(`${label(optimizer, seed).padEnd(width)} ${formatEpoch(log, flags.epochs)}`);
        },
      }),
    ],
  });
  const outcome = { ...result, lrs };
  const table = resultsTable(outcome);
  console.log("\n" + table);
  writeFileAtomic(join(run.path, "compare.svg"), lossChart(outcome, data.name));
  writeFileAtomic(join(run.path, "results.md"), table + "\n");
  console.log(`\nloss curves: ${join(run.path, "compare.svg")}`);
  return outcome;
}

/**
 * A Markdown table of each optimizer's last epoch; with several seeds, each cell is the mean ± the sample standard
 * deviation over them, under a line that says so.
 */
export function resultsTable(outcome: CompareOutcome): string {
  const many = outcome.seeds.length > 1;
  const cell = (s: SeedStat | null, format: (x: number) => string, unit = "") =>
    (s === null ? "-" : many ? `${format(s.mean)} ± ${format(s.std)}${unit}` : `${format(s.mean)}${unit}`);
  const num = (s: SeedStat | null) => cell(s, (x) => x.toFixed(4));
  const pct = (s: SeedStat | null) => cell(s, (x) => (100 * x).toFixed(2), "%");
  const rows = outcome.optimizers.map((r) => [r.name, String(outcome.lrs[r.name]), num(r.final.loss), pct(r.final.accuracy), num(r.final.valLoss),
    pct(r.final.valAccuracy), num(r.final.testLoss), pct(r.final.testAccuracy), cell(r.seconds, (x) => x.toFixed(1), " s")]);
  const head = ["optimizer", "lr", "train loss", "train acc", "val loss", "val acc", "test loss", "test acc", "time"];
  const table = [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
  return many ? `Mean ± standard deviation over ${outcome.seeds.length} seeds (${outcome.seeds.join(", ")}) of each run's last epoch:\n\n${table}` : table;
}

/** Each optimizer's smoothed per-step training loss; with several seeds, their mean over a band spanning the seeds. */
function lossChart(outcome: CompareOutcome, dataName: string): string {
  const many = outcome.seeds.length > 1;
  return lineChart({
    title: `Training loss on ${dataName}: ${many ? `mean of ${outcome.seeds.length} seeds, band: their range` : "same initial weights, same batches"}`,
    xLabel: "optimizer step", yLabel: "training loss (EWMA β=0.98, bias-corrected)", yScale: "log",
    series: outcome.optimizers.map((r) => {
      const band = seedBand(r.histories.map((h) => ewmaSeries(h.steps.map((s) => s.loss), 0.98)));
      return {
        name: `${r.name} (lr ${outcome.lrs[r.name]})`, x: band.mean.map((_, i) => i + 1), y: band.mean,
        ...(many ? { band: { lower: band.min, upper: band.max } } : {}),
      };
    }),
  });
}
