import { Command } from "commander";
import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { RunDir } from "../../io/run-dir.js";
import { buildModel, hiddenFor } from "../models.js";
import { ewmaSeries } from "../../optim/ewma.js";
import { lineChart } from "../../report/svg/line-chart.js";
import { manualSeed } from "../../tensor/random.js";
import { loadDataset } from "../dataset.js";
import { checkFlags } from "../flag-rules.js";
import { defaultLr, makeOptimizer, OPTIMIZER_NAMES, type OptimizerFlags } from "../optimizers.js";
import { nameList } from "../parse.js";
import { fit } from "../../train/fit.js";
import { LambdaCallback, ProgressBar } from "../../train/callbacks/index.node.js";
import type { EpochLog } from "../../train/history.js";
import { backendLabel } from "../backend-label.js";
import { formatEpoch } from "../format-epoch.js";
import { StopOnSignal } from "../stop-signals.js";
import { version } from "../version.js";
import { addModelOptions, addOptimizerOptions, type ModelFlags } from "./train.js";

interface CompareFlags extends ModelFlags, OptimizerFlags {
  optimizers: string[];
}

export interface CompareResult {
  optimizer: string;
  lr: number;
  final: EpochLog;
  seconds: number;
  stepLosses: number[];
}

/** `minima compare`: several optimizers, one model, the same initial weights and batches. */
export function compareCommand(): Command {
  const cmd = new Command("compare")
    .description("train the same MLP from the same initial weights on the same batches with each optimizer; print a table and draw their loss curves")
    .option("--optimizers <names>", `comma-separated, from ${OPTIMIZER_NAMES.join(", ")}`, nameList(OPTIMIZER_NAMES), ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]);
  addModelOptions(cmd);
  addOptimizerOptions(cmd);
  // One setting per optimizer: --betas may act with adam and do nothing with sgd.
  cmd.hook("preAction", () => {
    const flags = cmd.opts<CompareFlags>();
    checkFlags(cmd, flags.optimizers.map((optimizer) => ({ ...flags, optimizer })), { optimizer: "--optimizers" });
  });
  return cmd.action((flags: CompareFlags) => { runCompare(flags); });
}

export function runCompare(flags: CompareFlags): CompareResult[] {
  const data = loadDataset(flags.dataset, flags);
  const run = flags.out ? new RunDir(flags.out) : RunDir.fresh("runs", `compare-${data.name}`);
  run.writeConfig({ command: "compare", minimaVersion: version, ...flags, hidden: hiddenFor(flags), out: run.path });
  const build = () => buildModel(flags, data).model;
  manualSeed(flags.seed);
  const initial = build().copyStateDict();
  console.log(`minima compare: ${flags.optimizers.join(", ")} on ${data.name} (${data.train.length} train / ${data.val.length} val / ${data.test.length} test), ` +
    `${buildModel(flags, data).description}, ${flags.epochs} epochs, batch ${flags.batchSize}; ${backendLabel()}`);
  console.log(`run directory: ${run.path}`);
  const results: CompareResult[] = flags.optimizers.map((name) => {
    const model = build();
    model.loadStateDict(initial);
    const lr = flags.lr ?? defaultLr(name);
    const optimizer = makeOptimizer(name, model.parameters(), { ...flags, lr });
    const history = fit(model, {
      train: data.train, val: data.val.length > 0 ? data.val : null, test: data.test.length > 0 ? data.test : null, optimizer, epochs: flags.epochs,
      batchSize: flags.batchSize, seed: flags.seed, layerStatsEvery: 0,
      // Ctrl-C ends the comparison after a whole step, with the terminal restored (compare keeps no checkpoints).
      callbacks: [new ProgressBar({ label: `${name} ` }), new StopOnSignal({ where: `compare (${name})` }), new LambdaCallback({
        onEpochEnd: (_ctx, log) => {
          run.appendMetrics({ kind: "epoch", optimizer: name, ...log });
          console.log(`${name.padEnd(9)} ${formatEpoch(log, flags.epochs)}`);
        },
      })],
    });
    return { optimizer: name, lr, final: history.epochs.at(-1)!, seconds: history.epochs.reduce((s, r) => s + r.seconds, 0), stepLosses: history.steps.map((s) => s.loss) };
  });
  const table = resultsTable(results);
  console.log("\n" + table);
  const svg = lineChart({
    title: `Training loss on ${data.name}: same initial weights, same batches`,
    xLabel: "optimizer step", yLabel: "training loss (EWMA β=0.98, bias-corrected)", yScale: "log",
    series: results.map((r) => ({ name: r.optimizer, x: r.stepLosses.map((_, i) => i + 1), y: ewmaSeries(r.stepLosses, 0.98) })),
  });
  writeFileAtomic(join(run.path, "compare.svg"), svg);
  writeFileAtomic(join(run.path, "results.md"), table + "\n");
  console.log(`\nloss curves: ${join(run.path, "compare.svg")}`);
  return results;
}

/** A Markdown table of the final epoch of each optimizer. */
export function resultsTable(results: readonly CompareResult[]): string {
  const pct = (x: number | null) => (x === null ? "-" : (100 * x).toFixed(2) + "%");
  const num = (x: number | null) => (x === null ? "-" : x.toFixed(4));
  const rows = results.map((r) => [r.optimizer, String(r.lr), num(r.final.loss), pct(r.final.accuracy), num(r.final.valLoss),
    pct(r.final.valAccuracy), num(r.final.testLoss), pct(r.final.testAccuracy), `${r.seconds.toFixed(1)} s`]);
  const head = ["optimizer", "lr", "train loss", "train acc", "val loss", "val acc", "test loss", "test acc", "time"];
  return [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}
