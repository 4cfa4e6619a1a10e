import { Argument, Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { OptionError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { curvatureSummary, type CurvatureSummary } from "../../landscape/curvature.js";
import { hessian, type Batch } from "../../landscape/hessian.js";
import { svgToPng } from "../../report/png.js";
import { spectrumPlot } from "../../report/svg/spectrum-plot.js";
import type { Tensor } from "../../tensor/tensor.js";
import { backendLabel } from "../backend-label.js";
import { openRun, type CheckpointChoice, type OpenedRun } from "../open-run.js";
import { outFolder } from "../out-paths.js";
import { integer, path } from "../parse.js";

interface CurvatureFlags {
  checkpoint: CheckpointChoice;
  batches: number;
  batchSize?: number;
  k: number;
  traceMatvecs: number;
  densityRuns: number;
  densitySteps: number;
  out?: string;
}

/** The optimizers whose steps are preconditioned: lr·λmax against 2 is plain gradient descent's limit, not theirs. */
const ADAPTIVE = ["adagrad", "adadelta", "rmsprop", "adam", "adamw", "adamax", "nadam", "radam", "lion"];

/** `minima curvature <run>`: the Hessian of a trained run's training loss at a checkpoint, summed up honestly. */
export function curvatureCommand(): Command {
  return new Command("curvature")
    .description("the curvature of a trained run's training loss at a checkpoint: λmax…, λmin, trace/n, |λmin/λmax|, the share of negative eigenvalues, lr·λmax against 2, per-layer λmax and the spectral density; writes curvature.json and a spectrum plot (SVG and PNG)")
    .addArgument(new Argument("<run>", "a run folder written by minima train").argParser(path("a run folder")))
    .addOption(new Option("--checkpoint <which>", "the weights to study: best (lowest validation loss) or last").choices(["best", "last"]).default("best"))
    .option("--batches <n>", "training batches the Hessian averages over (the first ones of the training split, in its order)", integer(1), 4)
    .option("--batch-size <n>", "samples per batch (default: the run's batch size)", integer(1))
    .option("--k <k>", "how many of the largest eigenvalues", integer(1), 5)
    .option("--trace-matvecs <n>", "Hessian-vector products for the trace (Hutch++)", integer(4), 100)
    .option("--density-runs <n>", "stochastic Lanczos quadrature: independent runs", integer(1), 10)
    .option("--density-steps <n>", "stochastic Lanczos quadrature: Lanczos steps per run", integer(1), 80)
    .option("--out <dir>", "where to write curvature.json, curvature.svg and curvature.png (default: the run folder)", outFolder)
    .action((run: string, flags: CurvatureFlags) => {
      for (const line of curvature(run, flags)) console.log(line);
    });
}

function curvature(path: string, flags: CurvatureFlags): string[] {
  const opened = openRun(path, { checkpoint: flags.checkpoint, where: "curvature" });
  const { batches, samples, batchSize } = trainingBatches(opened, flags);
  // Each batch's first-order graph is kept between products: the products run on fixed weights.
  const H = hessian(opened.model, opened.lossFn, batches, { keepGraph: true });
  const lr = opened.state.history.steps.at(-1)?.lr ?? opened.config.lr;
  const started = performance.now();
  const summary = curvatureSummary(H, { k: flags.k, traceMatvecs: flags.traceMatvecs, densityRuns: flags.densityRuns, densitySteps: flags.densitySteps, lr, seed: opened.config.seed });
  const seconds = (performance.now() - started) / 1000;
  const out = flags.out ?? opened.path;
  mkdirSync(out, { recursive: true });
  const at = { epoch: opened.state.epochsDone, step: opened.state.step };
  const json = {
    format: "minima.curvature", version: "1.0", run: opened.path, checkpoint: opened.checkpoint, ...at,
    data: { split: "train", samples, batches: batches.length, batchSize }, loss: lossName(opened), mode: "eval", optimizer: opened.config.optimizer,
    ...summary, seconds,
  };
  const files = [join(out, "curvature.json"), join(out, "curvature.svg"), join(out, "curvature.png")] as const;
  const svg = spectrumPlot(summary, { title: `Hessian spectrum: ${basename(opened.path)}, ${opened.checkpoint} checkpoint (epoch ${at.epoch})` });
  writeFileAtomic(files[0], JSON.stringify(json, null, 2) + "\n");
  writeFileAtomic(files[1], svg);
  writeFileAtomic(files[2], svgToPng(svg));
  return [
    `minima curvature: ${opened.path}, checkpoint ${opened.checkpoint} (epoch ${at.epoch}, step ${at.step}), ${opened.description} (${summary.parameters} parameters); ${backendLabel()}`,
    `the Hessian of the training loss (${lossName(opened)}) on ${samples} training samples (${batches.length} batch${batches.length === 1 ? "" : "es"} of ${batchSize}), eval mode`,
    "",
    ...summaryLines(summary, opened),
    "",
    `${summary.matvecs} Hessian-vector products in ${seconds.toFixed(1)} s`,
    `wrote ${files.join(", ")}`,
  ];
}

/** The first `--batches` batches of the training split, in its order: the same samples every time. */
function trainingBatches(opened: OpenedRun, flags: CurvatureFlags): { batches: Batch[]; samples: number; batchSize: number } {
  const batchSize = flags.batchSize ?? opened.config.batchSize;
  const train = opened.data.train, wanted = flags.batches * batchSize;
  if (wanted > train.length) {
    const fit = Math.floor(train.length / batchSize);
    throw new OptionError({ where: "--batches", what: `${flags.batches} batches of ${batchSize} need ${wanted} samples; the run's training split has ${train.length}`, expected: fit > 0 ? `at most ${fit} (or a smaller --batch-size)` : `a --batch-size of at most ${train.length}` });
  }
  const [x, y] = train.tensors as [Tensor, Tensor];
  const batches = Array.from({ length: flags.batches }, (_, i) => [x.narrow(0, i * batchSize, batchSize), y.narrow(0, i * batchSize, batchSize)]);
  return { batches, samples: wanted, batchSize };
}

function lossName(opened: OpenedRun): string {
  const smoothing = opened.config.labelSmoothing ?? 0;
  return smoothing > 0 ? `cross-entropy, label smoothing ${smoothing}` : "cross-entropy";
}

const num = (x: number) => (x === 0 ? "0" : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? Number(x.toPrecision(4)).toString() : x.toExponential(3));
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The summary in words: the figures that hold for a singular, indefinite Hessian, and no condition number. */
function summaryLines(s: CurvatureSummary, opened: OpenedRun): string[] {
  const { optimizer, momentum } = opened.config;
  const beta = optimizer === "momentum" || optimizer === "nesterov" ? momentum || 0.9 : optimizer === "sgd" ? momentum ?? 0 : 0;
  const stability = s.stability!;
  const limitNote = ADAPTIVE.includes(optimizer)
    ? `; ${optimizer} preconditions its steps, so this is plain gradient descent's limit, not ${optimizer}'s`
    : beta > 0 ? `; with momentum β = ${beta} the heavy-ball limit is 2(1 + β) = ${num(2 * (1 + beta))}` : "";
  return [
    `λmax            ${num(s.lambdaMax)}${s.topEigenvalues.length > 1 ? `   (top ${s.topEigenvalues.length}: ${s.topEigenvalues.map(num).join(", ")})` : ""}`,
    `λmin            ${num(s.lambdaMin)}`,
    `|λmin/λmax|     ${num(s.minOverMax)}`,
    `trace           ${num(s.trace.value)} ± ${num(s.trace.stderr)} (Hutch++, ${s.trace.matvecs} products; ± one standard error)`,
    `trace/n         ${num(s.traceOverN)}`,
    `negative        ${percent(s.negativeFraction)} of the eigenvalues (bounds ${percent(s.negativeBounds[0])}–${percent(s.negativeBounds[1])}; SLQ, ${s.density.runs.length} runs × ${s.density.steps} steps)`,
    `lr·λmax         ${num(stability.lrTimesLambdaMax)} (lr ${num(stability.lr)}): gradient descent is stable on a quadratic while it is below 2${limitNote}`,
    ...(s.layers.length > 0 ? [`λmax per layer  ${s.layers.map((l) => `${l.name}: ${num(l.lambdaMax)} (${l.parameters} parameters)`).join("; ")}`] : []),
    "",
    s.lambdaMin < 0
      ? "The Hessian is indefinite (λmin < 0) and, like every network's, nearly singular: it has no meaningful condition number, so none is printed."
      : "No negative eigenvalue was found, but a network's Hessian is nearly singular (eigenvalues crowd at zero): λmax/λmin is no meaningful condition number, so none is printed.",
  ];
}
