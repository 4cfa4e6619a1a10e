import { constants } from "node:os";
import { nativeStatus } from "../backend/native/index.js";
import { MinimaError } from "../errors.js";
import type { BatchLog, Callback, FitContext } from "../train/callback.js";
import { saveCheckpoint } from "../train/checkpoint-files.js";

/** The signals that stop a run: Ctrl-C, and what `kill` and service managers send. */
export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * A run stopped by a signal, after a whole step, with a checkpoint to resume from: the CLI prints
 * the message and exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as shells do.
 */
export class InterruptedError extends MinimaError {
  readonly signal: StopSignal;
  readonly exitCode: number;
  constructor(signal: StopSignal, what: string, where = "train") {
    super({ where, what });
    this.signal = signal;
    this.exitCode = 128 + constants.signals[signal];
  }
}

/**
 * Ends `minima train` cleanly on Ctrl-C or SIGTERM. fit() is synchronous, so a JavaScript signal
 * handler would run only after training; the native addon's handler only records the signal
 * (native/src/stop-signal.cc), and this callback reads it after every batch:
 * - inside an epoch, after the step in flight is whole (weights, optimizer, schedule, history), it
 *   saves the `last` checkpoint at that point, as ModelCheckpoint's --checkpoint-every does;
 * - after an epoch's last batch it waits for the epoch's end, where ModelCheckpoint (which runs
 *   before it: both are late, it comes first in the list) has saved `last`;
 * then it throws InterruptedError: fit's onTrainEnd hooks stop the progress bar, which shows the
 * cursor again, and the CLI says how to resume. A second signal before that ends the process at
 * once (Node's own handler, which resets the terminal's modes).
 * Without the native addon (a failed build) nothing is installed, and a signal ends the process
 * as before: the last checkpoint stays resumable, as after kill -9.
 */
export class StopOnSignal implements Callback {
  readonly late = true;
  private installed = false;
  private interrupted = false;

  /** `checkpoints` and `run`: where to save and what to resume; without them (minima compare) the run just ends. */
  constructor(private readonly o: { checkpoints?: string; run?: string; where?: string } = {}) {}

  onTrainBegin(): void {
    this.installed = nativeStatus.loaded && nativeStatus.addon.installStopSignals();
  }

  onBatchEnd(ctx: FitContext, log: BatchLog): void {
    if (log.batch + 1 < ctx.stepsPerEpoch) this.check(ctx, log);
  }

  onEpochEnd(ctx: FitContext): void {
    this.check(ctx, null);
  }

  onTrainEnd(): void {
    if (!this.installed || !nativeStatus.loaded) return;
    const late = this.interrupted ? 0 : nativeStatus.addon.pendingStopSignal();
    nativeStatus.addon.removeStopSignals();
    this.installed = false;
    // A signal that came after the last batch's check: the previous handler ends the process.
    if (late) process.kill(process.pid, late);
  }

  /** `log`: the batch just finished inside an epoch (save a checkpoint here); null at an epoch's end. */
  private check(ctx: FitContext, log: BatchLog | null): void {
    const signo = this.installed && nativeStatus.loaded ? nativeStatus.addon.pendingStopSignal() : 0;
    if (signo === 0) return;
    const signal: StopSignal = signo === constants.signals.SIGTERM ? "SIGTERM" : "SIGINT";
    const { checkpoints, run } = this.o;
    if (log && checkpoints) saveCheckpoint(checkpoints, "last", ctx.checkpoint());
    const where = log ? `after step ${ctx.step} (epoch ${ctx.epoch}, batch ${log.batch + 1} of ${ctx.stepsPerEpoch})` : `after epoch ${ctx.epoch} (step ${ctx.step})`;
    this.interrupted = true;
    ctx.stop(`interrupted by ${signal}`);
    const next = checkpoints && run ? `; the checkpoint in ${checkpoints} holds every step so far: continue with\n  minima train --resume ${shellWord(run)}` : "";
    throw new InterruptedError(signal, `interrupted by ${signal} ${where}${next}`, this.o.where ?? "train");
  }
}

/** A path as one shell word: as it is when that is safe, else in single quotes. */
function shellWord(path: string): string {
  return /^[\w./@%+:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
