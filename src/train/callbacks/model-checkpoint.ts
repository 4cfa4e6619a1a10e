import { mkdirSync } from "node:fs";
import { OptionError } from "../../errors.js";
import { atLeast, checkOptions, isBoolean, nonNegativeInt, oneOf, anything } from "../../options.js";
import type { BatchLog, Callback, FitContext } from "../callback.js";
import { saveCheckpoint } from "../checkpoint-files.js";
import type { EpochLog, MetricName } from "../history.js";
import { Monitor, type MonitorMode } from "./monitor.js";

export interface ModelCheckpointOptions {
  /** The folder: `last.*` and `best.*` files go here (a run's `checkpoints/`). */
  dir: string;
  /** Save `last` after every epoch (default true). */
  saveLast?: boolean;
  /** Save `best` whenever the monitored metric improves (default true). */
  saveBest?: boolean;
  /** Also save `last` every this many optimizer steps inside an epoch (default 0: only at epoch ends). */
  everySteps?: number;
  monitor?: MetricName;
  mode?: MonitorMode;
  minDelta?: number;
}

/**
 * Saves checkpoints a killed run can resume from (mn.train.loadCheckpoint + fit's `resume`):
 * `last.safetensors` + `last.json` (+ `last.state.safetensors`) after every epoch, and `best.*`
 * when the monitored metric improves. Each save is atomic (see saveCheckpoint). It runs after the
 * other callbacks, so their state in the checkpoint is that epoch's final state.
 * @example new mn.train.callbacks.ModelCheckpoint({ dir: "runs/a/checkpoints", monitor: "valAccuracy" })
 */
export class ModelCheckpoint implements Callback {
  readonly late = true;
  private readonly o: Required<ModelCheckpointOptions>;
  private readonly monitor: Monitor;

  constructor(options: ModelCheckpointOptions) {
    this.o = checkOptions<Required<ModelCheckpointOptions>>("ModelCheckpoint", options,
      { dir: undefined as never, saveLast: true, saveBest: true, everySteps: 0, monitor: "valLoss", mode: "auto", minDelta: 0 },
      { dir: (v) => (typeof v === "string" && v.length > 0 ? null : "a folder path"), saveLast: isBoolean, saveBest: isBoolean,
        everySteps: nonNegativeInt, monitor: anything, mode: oneOf("min", "max", "auto"), minDelta: atLeast(0) });
    if (options?.dir === undefined) throw new OptionError({ where: "ModelCheckpoint", what: "missing option dir", expected: "a folder path" });
    this.monitor = new Monitor("ModelCheckpoint", this.o.monitor, this.o.mode, this.o.minDelta);
    mkdirSync(this.o.dir, { recursive: true });
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
