import { createRequire } from "node:module";
import type cliProgress from "cli-progress";
import type { BatchLog, Callback, FitContext } from "../callback.js";

/**
 * The per-epoch progress bar (loss, samples/s, ETA) of fit's `verbose` and the CLI, drawn with cli-progress on a
 * terminal's stderr; nothing when stderr is not a terminal (CI logs, pipes), unless forced (then its first and last state per epoch, a line each).
 */
export class ProgressBar implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private seen = 0;
  private lossSum = 0;
  private started = 0;
  private epoch = 0;

  constructor(private readonly options: { stream?: NodeJS.WriteStream; force?: boolean; label?: string } = {}) {}

  onEpochBegin(ctx: FitContext, epoch: number): void {
    this.start(ctx, epoch, 0);
  }

  /** A bar from batch `done` on: 0 at an epoch's start, later for the epoch a resumed run continues. */
  private start(ctx: FitContext, epoch: number, done: number): void {
    const stream = this.options.stream ?? process.stderr;
    this.seen = 0;
    this.lossSum = 0;
    this.started = performance.now();
    this.epoch = epoch;
    if (!stream.isTTY && !this.options.force) return;
    // Loaded with the first bar, not with minima: training scripts import the Node entry without drawing bars.
    const bars = createRequire(import.meta.url)("cli-progress") as typeof cliProgress;
    this.bar = new bars.SingleBar({
      format: `${this.options.label ?? ""}epoch ${epoch}/${ctx.epochs} {bar} {value}/{total} | loss {loss} | {rate} samples/s | ETA {eta_formatted}`,
      stream, hideCursor: true, clearOnComplete: true, etaBuffer: 20,
      // Forced off a terminal (fit's verbose 1 into a pipe): a line where the epoch starts and one where it ends, as a log holds them.
      noTTYOutput: !stream.isTTY, notTTYSchedule: 60_000,
    }, bars.Presets.shades_classic);
    this.bar.start(ctx.stepsPerEpoch, done, { loss: "-", rate: "-" });
  }

  onBatchEnd(ctx: FitContext, log: BatchLog): void {
    if (this.epoch !== log.epoch) this.start(ctx, log.epoch, log.batch);
    this.seen += log.size;
    this.lossSum += log.loss * log.size;
    this.bar?.update(log.batch + 1, { loss: (this.lossSum / this.seen).toFixed(4), rate: Math.round(this.seen / ((performance.now() - this.started) / 1000)) });
  }

  onEpochEnd(): void {
    this.stop();
  }

  onTrainEnd(): void {
    this.stop();
  }

  private stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
