import { Argument, Command, Option } from "commander";
import { join } from "node:path";
import { DataLoader } from "../../data/data-loader.js";
import type { TensorDataset } from "../../data/dataset.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import type { Batch } from "../../landscape/hessian.js";
import { epsSharpness, type EpsSharpness } from "../../landscape/sharpness/eps-sharpness.js";
import type { BoxMethod } from "../../landscape/sharpness/box-maximize.js";
import { Generator } from "../../tensor/random.js";
import { backendLabel } from "../backend-label.js";
import { openRun, type CheckpointChoice } from "../open-run.js";
import { integer, MAX_SEED, path, positiveList } from "../parse.js";

interface SharpnessFlags {
  checkpoint: CheckpointChoice;
  epsilon: number[];
  method: BoxMethod;
  iterations: number;
  batches: number;
  batchSize: number;
  seed: number;
  subspace?: number;
}

/** `minima sharpness <run>`: Keskar et al.'s ε-sharpness of a trained run's checkpoint on its training data; writes sharpness.json. */
export function sharpnessCommand(): Command {
  return new Command("sharpness")
    .description("Keskar et al.'s ε-sharpness of a trained run: the largest rise of the training loss within the box |yᵢ| ≤ ε(|xᵢ|+1) around the weights, as 100·(max f(x+y) − f(x))/(1 + f(x)); writes sharpness.json in the run folder")
    .addArgument(new Argument("<run>", "a run folder written by minima train").argParser(path("a run folder")))
    .addOption(new Option("--checkpoint <which>", "the checkpoint to study").choices(["best", "last"]).default("best"))
    .option("--epsilon <list>", "the boxes' relative sizes ε, comma-separated (the paper's 1e-3 and 5e-4)", positiveList("1e-3,5e-4"), [1e-3, 5e-4])
    .addOption(new Option("--method <name>", "the maximizer: a projected L-BFGS, or projected sign-gradient ascent").choices(["lbfgs", "ascent"]).default("lbfgs"))
    .option("--iterations <n>", "iterations of the maximizer (the paper: 10 of L-BFGS-B)", integer(1), 10)
    .option("--batches <n>", "how many training batches f is the mean loss over (the first ones, in order)", integer(1), 10)
    .option("--batch-size <n>", "samples per batch", integer(1), 1000)
    .option("--subspace <p>", "search a random p-dimensional subspace y = Az (A Gaussian, the box on z: ε(|(A⁺x)ᵢ| + 1)) instead of the whole space (the paper's p = 100)", integer(1))
    .option("--seed <n>", "the seed of the search's random start in the box (and of the subspace)", integer(0, MAX_SEED), 0)
    .action((run: string, flags: SharpnessFlags) => {
      for (const line of sharpness(run, flags)) console.log(line);
    });
}

/** The first `count` batches of `data`, in order. */
export function firstBatches(data: TensorDataset, count: number, batchSize: number): Batch[] {
  const out: Batch[] = [];
  for (const batch of new DataLoader(data, { batchSize })) {
    if (out.length === count) break;
    out.push(batch);
  }
  return out;
}

function sharpness(runPath: string, flags: SharpnessFlags): string[] {
  const run = openRun(runPath, { checkpoint: flags.checkpoint, where: "sharpness" });
  const batches = firstBatches(run.data.train, flags.batches, flags.batchSize);
  const samples = batches.reduce((n, b) => n + b[1]!.shape[0]!, 0);
  const results: EpsSharpness[] = flags.epsilon.map((epsilon) => epsSharpness(run.model, run.lossFn, batches, {
    epsilon, method: flags.method, iterations: flags.iterations, generator: new Generator(flags.seed), ...(flags.subspace !== undefined ? { subspace: flags.subspace } : {}),
  }));
  const out = join(run.path, "sharpness.json");
  writeFileAtomic(out, JSON.stringify({
    checkpoint: flags.checkpoint, epoch: run.state.epochsDone, samples, batches: batches.length, method: flags.method, iterations: flags.iterations, seed: flags.seed,
    subspace: flags.subspace ?? null, loss: results[0]!.loss,
    sharpness: results.map((r) => ({ epsilon: r.epsilon, value: r.value, maxLoss: r.maxLoss, evaluations: r.evaluations })),
  }, null, 2) + "\n");
  return [
    `minima sharpness: ${run.path} (${run.description}), checkpoint ${flags.checkpoint} (epoch ${run.state.epochsDone}); f = the training loss over the first ${samples} training samples (${batches.length} batch${batches.length === 1 ? "" : "es"}); ${flags.subspace ? `a random ${flags.subspace}-dimensional subspace, ` : ""}${flags.method}, ${flags.iterations} iterations; ${backendLabel()}`,
    `f(x) = ${results[0]!.loss.toPrecision(6)}`,
    ...results.map((r) => `ε = ${r.epsilon}: sharpness ${r.value.toPrecision(4)} (max f(x+y) = ${r.maxLoss.toPrecision(6)}, ${r.evaluations} evaluations)`),
    "the maximum is searched, not proven: each value is a lower bound of the true one",
    `written: ${out}`,
  ];
}
