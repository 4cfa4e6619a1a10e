import { existsSync } from "node:fs";
import type { LoggedDiagnosis, RunRecord } from "../../io/run-log.js";
import { appendRunLog, writeRunLog } from "../../io/run-log-file.js";
import { checkOptions, option, required, type OptionsOf } from "../../options.js";
import type { Callback, FitContext } from "../callback.js";
import type { History } from "../history.js";

const JSONL_LOGGER_OPTIONS = {
  /** The file, e.g. a run's metrics.jsonl (required). */
  path: required<string>((v) => (typeof v === "string" && v.length > 0 ? null : "a file path")),
  /** Computes the "end" line's diagnosis from the history (e.g. mn.train.diagnose) (default null: none). */
  diagnose: option<((history: History) => LoggedDiagnosis) | null>(null),
};

/** The options of JsonlLogger. */
export interface JsonlLoggerOptions extends OptionsOf<typeof JSONL_LOGGER_OPTIONS> {}

/**
 * Writes the run log (io/run-log.ts): a header, {"kind":"schedule",…} when fit has a learning-rate scheduler, then {"kind":"step",…} per optimizer step,
 * {"kind":"layer",…} per sampled parameter, {"kind":"event",…}, {"kind":"sharpness",…}, {"kind":"epoch",…} after each epoch's
 * steps, and {"kind":"end", "stopReason", "diagnosis"} when training ends. Records go out once per
 * epoch, appended and fsynced; at train begin the file is rewritten from the history, so a resumed
 * run's log holds exactly what its checkpoint had and nothing a killed run wrote after it.
 */
export class JsonlLogger implements Callback {
  private readonly o: Required<JsonlLoggerOptions>;
  private written = { schedule: false, steps: 0, layers: 0, events: 0, sharpness: 0, epochs: 0 };

  constructor(options: JsonlLoggerOptions) {
    this.o = checkOptions("JsonlLogger", options, JSONL_LOGGER_OPTIONS);
  }

  onTrainBegin(ctx: FitContext): void {
    this.written = { schedule: false, steps: 0, layers: 0, events: 0, sharpness: 0, epochs: 0 };
    writeRunLog(this.o.path, this.pending(ctx.history));
  }

  onEpochEnd(ctx: FitContext): void {
    this.flush(ctx.history);
  }

  onTrainEnd(ctx: FitContext): void {
    if (!existsSync(this.o.path)) return; // training failed before it began
    const end: RunRecord = { kind: "end", stopReason: ctx.history.stopReason, diagnosis: this.o.diagnose ? this.o.diagnose(ctx.history) : null };
    this.flush(ctx.history, [end]);
  }

  private flush(history: History, extra: RunRecord[] = []): void {
    appendRunLog(this.o.path, [...this.pending(history), ...extra]);
  }

  /** The records not yet written, in order: each epoch's steps, layers and events, then the epoch; then an unfinished epoch's. */
  private pending(h: History): RunRecord[] {
    const records: RunRecord[] = [];
    const w = this.written;
    if (!w.schedule && h.schedule) records.push({ kind: "schedule", ...h.schedule });
    w.schedule ||= h.schedule !== null;
    const through = (epoch: number) => {
      for (; w.steps < h.steps.length && h.steps[w.steps]!.epoch <= epoch; w.steps++) records.push({ kind: "step", ...h.steps[w.steps]! });
      for (; w.layers < h.layers.length && h.layers[w.layers]!.epoch <= epoch; w.layers++) records.push({ kind: "layer", ...h.layers[w.layers]! });
      for (; w.events < h.events.length && h.events[w.events]!.epoch <= epoch; w.events++) records.push({ kind: "event", ...h.events[w.events]! });
      for (; w.sharpness < h.sharpness.length && h.sharpness[w.sharpness]!.epoch <= epoch; w.sharpness++) records.push({ kind: "sharpness", ...h.sharpness[w.sharpness]! });
    };
    for (; w.epochs < h.epochs.length; w.epochs++) {
      through(h.epochs[w.epochs]!.epoch);
      records.push({ kind: "epoch", ...h.epochs[w.epochs]! });
    }
    through(Infinity);
    return records;
  }
}
