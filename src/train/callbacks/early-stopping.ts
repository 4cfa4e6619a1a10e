import { atLeast, checkOptions, isBoolean, nonNegativeInt, oneOf, option, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Callback, FitContext } from "../callback.js";
import type { EpochLog, MetricName } from "../history.js";
import { Monitor, type MonitorMode } from "./monitor.js";

const EARLY_STOPPING_OPTIONS = {
  /** The epoch metric to watch: a built-in one, or one of fit's `metrics` by the name History.metric takes, e.g. "valTop5Accuracy" (default valLoss). */
  monitor: option<MetricName | (string & {})>("valLoss"),
  /** "min", "max", or "auto" (default: max for accuracies, min otherwise). */
  mode: option<MonitorMode>("auto", oneOf("min", "max", "auto")),
  /** Epochs without improvement before stopping (default 0: stop at the first). */
  patience: option(0, nonNegativeInt),
  /** Smallest change that counts as an improvement (default 0). */
  minDelta: option(0, atLeast(0)),
  /** Put the weights of the best epoch back when training ends, however it ends (default false). */
  restoreBestWeights: option(false, isBoolean),
  /** Stop unless the metric beats this by the end of the patience (default null: none). */
  baseline: option<number | null>(null, (v) => (v === null || (typeof v === "number" && Number.isFinite(v)) ? null : "a finite number or null")),
  /** Epochs to let pass before watching, for warmup (default 0). */
  startFromEpoch: option(0, nonNegativeInt),
};

/** The options of EarlyStopping (Keras's, in camelCase). */
export interface EarlyStoppingOptions extends OptionsOf<typeof EARLY_STOPPING_OPTIONS> {}

/**
 * Stops training when the monitored metric has not improved for `patience` epochs (Keras's
 * EarlyStopping). With restoreBestWeights the model ends with the weights of its best epoch
 * whether training stopped early, ran all its epochs, or was ended by another callback; the best
 * weights are part of the callback's state, so they survive a resume.
 * @example new mn.train.callbacks.EarlyStopping({ monitor: "valLoss", patience: 3, restoreBestWeights: true })
 */
export class EarlyStopping implements Callback {
  private readonly o: Required<EarlyStoppingOptions>;
  private readonly monitor: Monitor;
  private wait = 0;
  private bestWeights: Record<string, Tensor> | null = null;
  /** The epoch training stopped at (0: it did not stop early). */
  stoppedEpoch = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    this.o = checkOptions("EarlyStopping", options, EARLY_STOPPING_OPTIONS);
    this.monitor = new Monitor("EarlyStopping", this.o.monitor, this.o.mode, this.o.minDelta);
  }

  /** The best value seen and its epoch. */
  get best(): { value: number | null; epoch: number } {
    return { value: this.monitor.best, epoch: this.monitor.bestEpoch };
  }

  onTrainBegin(ctx: FitContext): void {
    this.monitor.checkRun(ctx);
  }

  onEpochEnd(ctx: FitContext, log: EpochLog): void {
    const value = this.monitor.valueOf(log);
    if (log.epoch <= this.o.startFromEpoch) return;
    // Keras's rule: count every epoch, reset on an improvement (that also beats the baseline), stop
    // after a non-improving epoch once `patience` have passed; so patience 0 and 1 both stop at the first.
    this.wait++;
    if (this.monitor.update(value, log.epoch)) {
      if (this.o.restoreBestWeights) this.bestWeights = ctx.model.copyStateDict();
      const b = this.o.baseline;
      if (b === null || (this.monitor.mode === "min" ? value < b : value > b)) this.wait = 0;
      return;
    }
    if (this.wait >= this.o.patience) {
      this.stoppedEpoch = log.epoch;
      ctx.stop(`early stopping at epoch ${log.epoch}: ${this.o.monitor} has not improved on ${fmt(this.monitor.best)} (epoch ${this.monitor.bestEpoch}) for ${this.wait} epoch${this.wait === 1 ? "" : "s"}`);
    }
  }

  onTrainEnd(ctx: FitContext): void {
    if (!this.bestWeights) return;
    ctx.model.loadStateDict(this.bestWeights);
    // For the diagnosis, which then does not advise what was already done.
    ctx.history.events.push({ step: ctx.step, epoch: ctx.history.epochs.at(-1)?.epoch ?? 0,
      message: `early stopping: restored the weights of epoch ${this.monitor.bestEpoch} (best ${this.o.monitor} ${fmt(this.monitor.best)})` });
  }

  stateDict(): unknown {
    return { ...this.monitor.stateDict(), wait: this.wait, stoppedEpoch: this.stoppedEpoch, bestWeights: this.bestWeights };
  }

  loadStateDict(state: unknown): void {
    const s = state as { best: number | null; bestEpoch: number; wait: number; stoppedEpoch: number; bestWeights: Record<string, Tensor> | null };
    this.monitor.loadStateDict(s);
    this.wait = s.wait;
    this.stoppedEpoch = s.stoppedEpoch;
    this.bestWeights = s.bestWeights;
  }
}

const fmt = (v: number | null) => (v === null ? "nothing" : v.toPrecision(4));
