import { mkdirSync } from "node:fs";
import { atLeast, checkOptions, isBoolean, nonNegativeInt, oneOf, option, required, type OptionsOf } from "../../options.js";
import type { BatchLog, Callback, FitContext } from "../callback.js";
import { cleanCheckpointLeftovers, saveCheckpoint } from "../checkpoint-files.js";
import type { EpochLog, MetricName } from "../history.js";
import { Monitor, type MonitorMode } from "./monitor.js";

const MODEL_CHECKPOINT_OPTIONS = {
  /** The folder: `last.*` and `best.*` files go here (a run's `checkpoints/`) (required). */
  dir: required<string>((v) => (typeof v === "string" && v.length > 0 ? null : "a folder path")),
  /** Save `last` after every epoch (default true). */
  saveLast: option(true, isBoolean),
  /** Save `best` whenever the monitored metric improves (default true). */
  saveBest: option(true, isBoolean),
  /** Also save `last` every this many optimizer steps inside an epoch (default 0: only at epoch ends). */
  everySteps: option(0, nonNegativeInt),
  /** The epoch metric whose improvement saves `best`: a built-in one, or one of fit's `metrics` by the name History.metric takes, e.g. "valTop5Accuracy" (default valLoss). */
  monitor: option<MetricName | (string & {})>("valLoss"),
  /** "min", "max", or "auto" (default: max for accuracies, min otherwise). */
  mode: option<MonitorMode>("auto", oneOf("min", "max", "auto")),
  /** Smallest change that counts as an improvement (default 0). */
  minDelta: option(0, atLeast(0)),
};

/** The options of ModelCheckpoint. */
export interface ModelCheckpointOptions extends OptionsOf<typeof MODEL_CHECKPOINT_OPTIONS> {}

/**
 * Saves checkpoints a killed run can resume from (mn.train.loadCheckpoint + fit's `resume`):
 * `last.safetensors` + `last.json` (+ `last.state.safetensors`) after every epoch, and `best.*`
 * when the monitored metric improves. Each save is atomic (see saveCheckpoint). It runs after the
 * other callbacks, so their state in the checkpoint is that epoch's final state. On construction it
 * tidies what a failed or killed run left in `dir` (see cleanCheckpointLeftovers).
 * @example new mn.train.callbacks.ModelCheckpoint({ dir: "runs/a/checkpoints", monitor: "valAccuracy" })
 */
export class ModelCheckpoint implements Callback {
  readonly late = true;
  private readonly o: Required<ModelCheckpointOptions>;
  private readonly monitor: Monitor;

  constructor(options: ModelCheckpointOptions) {
    this.o = checkOptions("ModelCheckpoint", options, MODEL_CHECKPOINT_OPTIONS);
    this.monitor = new Monitor("ModelCheckpoint", this.o.monitor, this.o.mode, this.o.minDelta);
    mkdirSync(this.o.dir, { recursive: true });
    cleanCheckpointLeftovers(this.o.dir); // a failed or killed run's partial saves, before this run saves again
  }

  onTrainBegin(ctx: FitContext): void {
    this.monitor.checkRun(ctx);
  }

  onBatchEnd(ctx: FitContext, log: BatchLog): void {
    const every = this.o.everySteps;
    if (this.o.saveLast && every > 0 && ctx.step % every === 0 && log.batch + 1 < ctx.stepsPerEpoch) {
      saveCheckpoint(this.o.dir, "last", ctx.checkpoint());
    }
  }

  onEpochEnd(ctx: FitContext, log: EpochLog): void {
    const improved = this.o.saveBest && this.monitor.update(this.monitor.valueOf(log), log.epoch);
    if (!improved && !this.o.saveLast) return;
    const checkpoint = ctx.checkpoint();
    if (improved) saveCheckpoint(this.o.dir, "best", checkpoint);
    if (this.o.saveLast) saveCheckpoint(this.o.dir, "last", checkpoint);
  }

  stateDict(): unknown {
    return this.monitor.stateDict();
  }

  loadStateDict(state: unknown): void {
    this.monitor.loadStateDict(state as { best: number | null; bestEpoch: number });
  }
}
