import { existsSync } from "node:fs";
import { appendLineDurable, writeFileAtomic } from "../../io/atomic-write.js";
import { checkOptions, option, required, type OptionsOf } from "../../options.js";
import type { Callback, FitContext } from "../callback.js";
import { nonFiniteReplacer, type History } from "../history.js";

const JSONL_LOGGER_OPTIONS = {
  /** The file, e.g. a run's metrics.jsonl (required). */
  path: required<string>((v) => (typeof v === "string" && v.length > 0 ? null : "a file path")),
  /** Computes the "end" line's diagnosis from the history (e.g. mn.train.diagnose) (default null: none). */
  diagnose: option<((history: History) => unknown) | null>(null),
};

/** The options of JsonlLogger. */
export interface JsonlLoggerOptions extends OptionsOf<typeof JSONL_LOGGER_OPTIONS> {}

/**
 * Logs a run as JSON Lines: {"kind":"step",…} per optimizer step, {"kind":"layer",…} per sampled
 * parameter, {"kind":"event",…}, {"kind":"epoch",…} after each epoch's steps, and {"kind":"end",
 * "stopReason", "diagnosis"} when training ends. NaN and ±Infinity are written as strings. Lines go
 * out once per epoch, each batch appended and fsynced; at train begin the file is rewritten from
 * the history, so a resumed run's log holds exactly what its checkpoint had and nothing a killed
 * run wrote after it.
 */
export class JsonlLogger implements Callback {
  private readonly o: Required<JsonlLoggerOptions>;
  private written = { steps: 0, layers: 0, events: 0, epochs: 0 };

  constructor(options: JsonlLoggerOptions) {
    this.o = checkOptions("JsonlLogger", options, JSONL_LOGGER_OPTIONS);
  }

  onTrainBegin(ctx: FitContext): void {
    this.written = { steps: 0, layers: 0, events: 0, epochs: 0 };
    const lines = this.pending(ctx.history);
    writeFileAtomic(this.o.path, lines.length ? lines.join("\n") + "\n" : "");
  }

  onEpochEnd(ctx: FitContext): void {
    this.flush(ctx.history);
  }

  onTrainEnd(ctx: FitContext): void {
    if (!existsSync(this.o.path)) return; // training failed before it began
    const end = { kind: "end", stopReason: ctx.history.stopReason, diagnosis: this.o.diagnose ? this.o.diagnose(ctx.history) : null };
    this.flush(ctx.history, [JSON.stringify(end, nonFiniteReplacer)]);
  }

  private flush(history: History, extra: string[] = []): void {
    const lines = [...this.pending(history), ...extra];
    if (lines.length) appendLineDurable(this.o.path, lines.join("\n"));
  }

  /** The lines not yet written, in order: each epoch's steps, layers and events, then the epoch; then an unfinished epoch's. */
  private pending(h: History): string[] {
    const lines: string[] = [];
    const line = (kind: string, o: object) => lines.push(JSON.stringify({ kind, ...o }, nonFiniteReplacer));
    const w = this.written;
    const through = (epoch: number) => {
      for (; w.steps < h.steps.length && h.steps[w.steps]!.epoch <= epoch; w.steps++) line("step", h.steps[w.steps]!);
      for (; w.layers < h.layers.length && h.layers[w.layers]!.epoch <= epoch; w.layers++) line("layer", h.layers[w.layers]!);
      for (; w.events < h.events.length && h.events[w.events]!.epoch <= epoch; w.events++) line("event", h.events[w.events]!);
    };
    for (; w.epochs < h.epochs.length; w.epochs++) {
      through(h.epochs[w.epochs]!.epoch);
      line("epoch", h.epochs[w.epochs]!);
    }
    through(Infinity);
    return lines;
  }
}
