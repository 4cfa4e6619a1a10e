import { checkOptions, isFunction, option, type OptionsOf } from "../../options.js";
import type { Callback, FitContext } from "../callback.js";
import { formatEpoch } from "../epoch-line.js";
import type { EpochLog } from "../history.js";

const EPOCH_LINE_OPTIONS = {
  /** Where each line goes (default console.log: stdout in Node, the console in a browser). */
  write: option<(line: string) => void>((line) => console.log(line), isFunction),
};

/** The options of EpochLine. */
export interface EpochLineOptions extends OptionsOf<typeof EPOCH_LINE_OPTIONS> {}

/**
 * Prints one line per epoch that stays (epoch, losses, accuracy, metrics, lr, time; see formatEpoch):
 * what fit's `verbose` (2, 1 and "auto") adds, as a callback of its own for a custom place to write.
 * @example new mn.train.callbacks.EpochLine({ write: (line) => log.push(line) })
 */
export class EpochLine implements Callback {
  private readonly o: Required<EpochLineOptions>;

  constructor(options: EpochLineOptions = {}) {
    this.o = checkOptions("EpochLine", options, EPOCH_LINE_OPTIONS);
  }

  onEpochEnd(ctx: FitContext, log: EpochLog): void {
    this.o.write(formatEpoch(log, ctx.epochs));
  }
}
