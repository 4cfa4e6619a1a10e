import { appendLineDurable, writeFileAtomic } from "../../io/atomic-write.js";
import { checkOptions, option, required, type OptionsOf } from "../../options.js";
import type { Callback, FitContext } from "../callback.js";
import { epochValue, metricValueNames, type EpochLog } from "../history.js";

const CSV_LOGGER_OPTIONS = {
  /** The file to write, one row per epoch (required). */
  path: required<string>((v) => (typeof v === "string" && v.length > 0 ? null : "a file path")),
  /** The column separator (default ","). */
  separator: option(",", (v) => (typeof v === "string" && v.length === 1 && !/[0-9.\-"\n\r]/.test(v) ? null : 'one character that cannot appear in a number, e.g. "," or "\\t"')),
};

/** The options of CSVLogger. */
export interface CSVLoggerOptions extends OptionsOf<typeof CSV_LOGGER_OPTIONS> {}

const COLUMNS: (keyof EpochLog)[] = ["epoch", "loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy", "lr", "steps", "seconds"];

/**
 * One CSV row per epoch (Keras's CSVLogger), for spreadsheets: a header, then each EpochLog's
 * fields, then fit's metrics (top5Accuracy, valTop5Accuracy, testTop5Accuracy for each); empty cells where a value is
 * absent. Rewritten from the history at train begin, so a resumed run's file matches its checkpoint.
 */
export class CSVLogger implements Callback {
  private readonly o: Required<CSVLoggerOptions>;
  /** The columns of fit's metrics, by the names History.metric takes. */
  private metricColumns: readonly string[] = [];

  constructor(options: CSVLoggerOptions) {
    this.o = checkOptions("CSVLogger", options, CSV_LOGGER_OPTIONS);
  }

  onTrainBegin(ctx: FitContext): void {
    this.metricColumns = metricValueNames(ctx.metrics ?? []);
    const header = [...COLUMNS, ...this.metricColumns];
    writeFileAtomic(this.o.path, [header.join(this.o.separator), ...ctx.history.epochs.map((e) => this.row(e))].join("\n") + "\n");
  }

  onEpochEnd(_ctx: FitContext, log: EpochLog): void {
    appendLineDurable(this.o.path, this.row(log));
  }

  private row(e: EpochLog): string {
    const cell = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
    const metrics = this.metricColumns.map((name) => cell(epochValue(e, name)));
    return [...COLUMNS.map((c) => cell(e[c] as number | null)), ...metrics].join(this.o.separator);
  }
}
