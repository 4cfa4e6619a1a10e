import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { nonFiniteReplacer } from "../../io/non-finite-json.js";
import { svgToPng } from "../../report/png.js";
import { outFolder } from "../out-paths.js";
import { integer, MAX_SEED, number } from "../parse.js";
import { measureRnnCliff, type RnnCliffResult, type RnnCliffSettings } from "./rnn-cliff-measure.js";
import { rnnCliffPlots } from "./rnn-cliff-plots.js";

const RADII = [0.5, 0.9, 1, 1.1, 1.5, 2];

/**
 * `minima experiment rnn-cliff`: exploding gradients and cliffs in a recurrent net (Pascanu, Mikolov & Bengio 2013; the
 * Deep Learning book §8.2.4–8.2.5). An Elman RNN learns the adding problem twice by SGD, the same weights, data and batch
 * order, once with --clip-norm and once without; the command writes each step's loss, gradient norm and ρ(W_hh), the loss
 * along the descent direction where the unclipped run's gradient jumped, and ‖∂L/∂h_t‖ through time for several spectral
 * radii, as rnn-cliff.json and SVG + PNG figures in --out.
 */
export function rnnCliffCommand(): Command {
  return new Command("rnn-cliff")
    .description("exploding gradients and the cliff: an RNN on the adding problem trained with and without gradient clipping")
    .option("--length <n>", "steps per sequence of the adding problem", integer(2, 10_000), 50)
    .option("--hidden <n>", "hidden units of the RNN", integer(1, 4096), 32)
    .option("--steps <n>", "optimizer steps of each run", integer(1), 600)
    .option("--lr <rate>", "SGD learning rate", number(0, { inclusive: false }), 0.1)
    .option("--momentum <m>", "SGD momentum", number(0), 0.9)
    .option("--clip-norm <max>", "the clipped run's largest gradient norm", number(0, { inclusive: false }), 1)
    .option("--batch-size <n>", "sequences per step", integer(1), 32)
    .option("--train-size <n>", "training sequences", integer(1), 2048)
    .option("--test-size <n>", "held-out sequences (final loss, gradients through time)", integer(1), 256)
    .option("--seed <n>", `random seed (data, weights, batch order), 0 to ${MAX_SEED}`, integer(0, MAX_SEED), 0)
    .option("--out <folder>", "where to write rnn-cliff.json and the figures", outFolder, "rnn-cliff")
    .action((flags: Omit<RnnCliffSettings, "radii" | "slicePoints"> & { out: string }) => {
      const { out, ...settings } = flags;
      const every = Math.max(1, Math.floor(settings.steps / 4));
      const result = measureRnnCliff({ ...settings, radii: RADII, slicePoints: 61 }, (run, step) => {
        if (step % every === 0) process.stderr.write(`run ${run + 1}/2 (${run === 0 ? "not clipped" : `clip-norm ${settings.clipNorm}`}): step ${step}/${settings.steps}\n`);
      });
      mkdirSync(out, { recursive: true });
      writeFileAtomic(join(out, "rnn-cliff.json"), `${JSON.stringify(result, nonFiniteReplacer)}\n`);
      for (const plot of rnnCliffPlots(result)) {
        writeFileAtomic(join(out, `${plot.name}.svg`), plot.svg);
        writeFileAtomic(join(out, `${plot.name}.png`), svgToPng(plot.svg, { width: 1440 }));
      }
      console.log(summary(result).join("\n"));
      console.log(`written: ${join(out, "rnn-cliff.json")} and loss, grad-norm, radius, cliff, through-time (.svg, .png)`);
    });
}

/** What was measured, in lines. */
export function summary(r: RnnCliffResult): string[] {
  const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(4) : String(v));
  const lines = [
    `adding problem, ${r.settings.length} steps; held-out MSE of remembering nothing ${fmt(r.baselineLoss)}; ρ(W_hh) at initialization ${fmt(r.initialRadius)}`,
  ];
  for (const run of r.runs) {
    const finite = run.gradNorm.filter(Number.isFinite);
    const name = run.clipNorm === null ? "not clipped" : `clip-norm ${run.clipNorm}`;
    const end = run.divergedAt === null ? `held-out MSE ${fmt(run.testLoss)}` : `diverged at step ${run.divergedAt} (loss ${fmt(run.loss[run.divergedAt]!)})`;
    lines.push(`${name.padEnd(14)} ${end}; largest gradient norm ${fmt(Math.max(...finite))}; ρ(W_hh) at the end ${fmt(run.radius[run.radius.length - 1] ?? NaN)}, largest ${fmt(Math.max(...run.radius))}`);
  }
  const c = r.cliff;
  lines.push(`cliff at step ${c.step} of the unclipped run: ‖g‖ ${fmt(c.gradNorm)}; loss ${fmt(c.losses[Math.round((c.losses.length - 1) / 6)]!)} at the weights, ` +
    `${fmt(lossAt(c, c.clippedStep))} one clipped step along −g (${fmt(c.clippedStep)}), ${fmt(lossAt(c, c.unclippedStep))} one SGD step (${fmt(c.unclippedStep)})`);
  for (const t of r.throughTime) {
    const first = t.gradNorms[0]!, last = t.gradNorms[t.gradNorms.length - 1]!;
    lines.push(`ρ(W_hh) = ${String(t.radius).padEnd(4)} ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = ${fmt(first / last)}`);
  }
  return lines;
}

/** The slice's loss at the distance nearest to d. */
function lossAt(c: RnnCliffResult["cliff"], d: number): number {
  let best = 0;
  c.distances.forEach((x, i) => { if (Math.abs(x - d) < Math.abs(c.distances[best]! - d)) best = i; });
  return c.losses[best]!;
}
