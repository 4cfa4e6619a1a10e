import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { DataLoader } from "../../data/data-loader.js";
import { OptionError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { nonFiniteReplacer } from "../../io/non-finite-json.js";
import { loadSafetensors } from "../../io/safetensors-file.js";
import { randomDirection, type Direction } from "../../landscape/slices/direction.js";
import { eigenDirections } from "../../landscape/slices/eigen-directions.js";
import { pcaDirections } from "../../landscape/slices/pca.js";
import { slice } from "../../landscape/slices/slice.js";
import { linspace } from "../../landscape/slices/weights.js";
import { svgToPng } from "../../report/png.js";
import { slicePlot } from "../../report/slice-plot.js";
import { describeSlice, sliceFigure } from "../../report/slice-figure.js";
import { Generator } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";
import { listEpochWeights } from "../../train/callbacks/epoch-weights.js";
import { evaluate } from "../../train/evaluate.js";
import { backendLabel } from "../backend-label.js";
import { openRun, type CheckpointChoice, type OpenedRun } from "../open-run.js";
import { outFolder } from "../out-paths.js";
import { integer, MAX_SEED, path, plainNumber } from "../parse.js";
import { SliceFolder, type SlicePlan, type SliceSettings } from "../slice-folder.js";

type DirectionKind = "random" | "eigen" | "pca";

interface SliceFlags {
  checkpoint: CheckpointChoice;
  dim: 1 | 2;
  points?: number;
  directions: DirectionKind;
  range?: [number, number];
  seed?: number;
  batches: number;
  batchSize: number;
  out?: string;
  overwrite?: boolean;
}

/** "-1,1" → [-1, 1]: two numbers, the first below the second. */
function range(v: string): [number, number] {
  const parts = v.split(",").map((s) => plainNumber(s.trim()));
  if (parts.length !== 2 || parts.some((x) => x === null || !Number.isFinite(x)) || !(parts[0]! < parts[1]!)) {
    throw new InvalidArgumentError("expected two numbers separated by a comma, the first below the second, like -1,1.");
  }
  return [parts[0]!, parts[1]!];
}

/** `minima slice <run>`: the loss of a trained run along a line or over a plane through its weights. */
export function sliceCommand(): Command {
  return new Command("slice")
    .description("the loss of a trained run along a line or over a plane through its weights (Li et al. 2018): filter-normalized random directions, the top Hessian eigenvectors, or the PCA of the run's epochs (train --keep-epochs); writes slice.json and a line or contour plot (SVG, PNG); a killed slice resumes where it stopped")
    .addArgument(new Argument("<run>", "a run folder written by minima train").argParser(path("a run folder")))
    .addOption(new Option("--checkpoint <which>", "the weights to slice through: the best epoch's or the last").choices(["best", "last"]).default("best"))
    .option("--dim <n>", "1: a line (one direction), 2: a plane (two)", integer(1, 2), 1)
    .option("--points <n>", "steps along each direction (default 41 for a line, 21 for a plane)", integer(2, 401))
    .addOption(new Option("--directions <kind>", "random: Gaussian, filter-normalized, biases and batch norm left still (Li et al.); eigen: the top Hessian eigenvectors (unit); pca: the principal axes of the run's epochs around the checkpoint").choices(["random", "eigen", "pca"]).default("random"))
    .option("--range <lo,hi>", "the steps' range along each direction (default -1,1 for random, -0.5,0.5 for eigen; pca: the run's path and a margin)", range)
    .option("--seed <n>", `random: the directions' seed; eigen: Lanczos's start, 0 to ${MAX_SEED} (default 0)`, integer(0, MAX_SEED))
    .option("--batches <n>", "the loss is averaged over the first n batches of the training split, in order", integer(1), 4)
    .option("--batch-size <n>", "samples per batch", integer(1), 256)
    .option("--out <dir>", "the slice's folder (default: <run>/slices/<directions>-<dim>d)", outFolder)
    .option("--overwrite", "start over in a folder that holds a slice with other settings, instead of refusing")
    .action((run: string, flags: SliceFlags) => {
      for (const line of runSlice(run, flags)) console.log(line);
    });
}

function runSlice(runPath: string, flags: SliceFlags): string[] {
  if (flags.directions === "pca" && flags.seed !== undefined) {
    throw new OptionError({ where: "--seed", what: "sets random directions or the Lanczos start; --directions pca has no randomness" });
  }
  const run = openRun(runPath, { checkpoint: flags.checkpoint, where: "slice" });
  const loader = new DataLoader(run.data.train, { batchSize: flags.batchSize });
  const batches: Tensor[][] = [];
  for (const b of loader) {
    if (batches.length === flags.batches) break;
    batches.push(b as Tensor[]);
  }
  const samples = batches.reduce((n, b) => n + b[1]!.shape[0]!, 0);
  const points = flags.points ?? (flags.dim === 1 ? 41 : 21);
  const settings: SliceSettings = {
    run: resolve(runPath), checkpoint: flags.checkpoint, directions: flags.directions, dim: flags.dim, points,
    range: flags.range ?? null, seed: flags.seed ?? 0, batches: flags.batches, batchSize: flags.batchSize,
    // The checkpoint's own weights: a run trained further since would otherwise mix two slices in one folder.
    weights: weightsDigest(run),
  };
  const out = flags.out ?? join(runPath, "slices", `${flags.directions}-${flags.dim}d`);
  const folder = SliceFolder.open(out, settings, { overwrite: flags.overwrite ?? false, where: "slice" }, () => plan(run, flags, batches, points));
  const lines = [`minima slice: ${runPath} (${flags.checkpoint} checkpoint, epoch ${run.state.epochsDone}), ${describeSlice(flags)}, ${folder.plan.alphas.map((a) => a.length).join("×")} points on ${samples} training samples; ${backendLabel()}`];
  if (folder.resumed) lines.push(`resuming ${out}: ${folder.done.length} cells were done`);
  const result = slice(run.model, run.lossFn, batches, { directions: folder.plan.directions, alphas: folder.plan.alphas, done: folder.done, onCell: (c) => folder.append(c) });
  const svg = slicePlot(result, sliceFigure({ directions: flags.directions, dim: flags.dim, checkpoint: flags.checkpoint, ...folder.plan.about }, runPath));
  writeFileAtomic(join(out, "slice.json"), JSON.stringify({ settings, samples, ...folder.plan.about, ...result }, nonFiniteReplacer, 2) + "\n");
  writeFileAtomic(join(out, "slice.svg"), svg);
  writeFileAtomic(join(out, "slice.png"), svgToPng(svg, { width: 1440 }));
  const centre = evaluate(run.model, batches, run.lossFn).loss;
  const finite = result.losses.filter(Number.isFinite);
  lines.push(...aboutLines(folder.plan.about));
  lines.push(`loss at the checkpoint ${centre.toFixed(4)}; over the ${result.losses.length} points ${Math.min(...finite).toFixed(4)} to ${Math.max(...finite).toFixed(4)}${finite.length < result.losses.length ? ` (${result.losses.length - finite.length} not finite)` : ""}`);
  lines.push(`wrote ${join(out, "slice.json")}, slice.svg, slice.png`);
  return lines;
}

/** The directions and steps, made once: a resumed slice reads them back from its folder. */
function plan(run: OpenedRun, flags: SliceFlags, batches: Tensor[][], points: number): SlicePlan {
  const seed = flags.seed ?? 0;
  const steps = (r: [number, number]) => linspace(r[0], r[1], points);
  if (flags.directions === "random") {
    const generator = new Generator(seed);
    const directions = Array.from({ length: flags.dim }, () => randomDirection(run.model, { generator }));
    return { directions, alphas: directions.map(() => steps(flags.range ?? [-1, 1])), about: {} };
  }
  if (flags.directions === "eigen") {
    const { values, directions } = eigenDirections(run.model, run.lossFn, batches, { k: flags.dim, generator: new Generator(seed) });
    return { directions, alphas: directions.map(() => steps(flags.range ?? [-0.5, 0.5])), about: { eigenvalues: values } };
  }
  const epochs = listEpochWeights(join(run.path, "checkpoints", "epochs"));
  if (epochs.length < flags.dim + 1) {
    const kept = epochs.length === 0 ? "no epoch weights" : `the weights of ${epochs.length} epoch${epochs.length === 1 ? "" : "s"}`;
    throw new OptionError({ where: "--directions pca", what: `${run.path} kept ${kept} (${join(run.path, "checkpoints", "epochs")}), and a PCA with --dim ${flags.dim} needs at least ${flags.dim + 1}: train the run with --keep-epochs` });
  }
  const pca = pcaDirections(run.model, epochs.map((e) => loadSafetensors(e.path)), { k: flags.dim });
  const alphas = pca.directions.map((_, k) => {
    if (flags.range) return steps(flags.range);
    const c = pca.coordinates.map((p) => p[k]!);
    const lo = Math.min(0, ...c), hi = Math.max(0, ...c), margin = 0.15 * (hi - lo);
    return steps([lo - margin, hi + margin]);
  });
  return { directions: pca.directions as Direction[], alphas, about: { explainedVariance: pca.explainedVariance, epochs: epochs.map((e) => e.epoch), coordinates: pca.coordinates } };
}

function aboutLines(about: Record<string, unknown>): string[] {
  if (Array.isArray(about.eigenvalues)) return [`top Hessian eigenvalues ${(about.eigenvalues as number[]).map((v) => v.toPrecision(4)).join(", ")}`];
  if (Array.isArray(about.explainedVariance)) return [`principal axes of ${(about.epochs as number[]).length} epochs' weights explain ${(about.explainedVariance as number[]).map((v) => `${(100 * v).toFixed(1)}%`).join(" and ")} of the path's variance`];
  return [];
}

/** SHA-256 of the model's parameters and buffers as loaded, by name: which weights a slice is through. */
function weightsDigest(run: OpenedRun): string {
  const hash = createHash("sha256");
  for (const [name, t] of Object.entries(run.model.stateDict())) {
    hash.update(name);
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest("hex").slice(0, 16);
}
