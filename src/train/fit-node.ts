import type { Module } from "../nn/module.js";
import { ProgressBar } from "./callbacks/progress-bar.js";
import { fitWithBar, type FitOptions } from "./fit.js";
import type { History } from "./history.js";

/**
 * Trains `model` (the core's fit; see its options), with the Node entry's progress bar: on stderr while it
 * is a terminal under `verbose: "auto"`, always under `verbose: 1` (none of its own when `callbacks` hold a ProgressBar).
 * @example const history = mn.train.fit(model, { train, val, optimizer: new mn.optim.Adam(model.parameters()), epochs: 10, batchSize: 64 });
 */
export function fit(model: Module, options: FitOptions): History {
  // A ProgressBar among the callbacks is the bar: a second would draw over it.
  return fitWithBar(model, options, (verbose, callbacks) => (callbacks.some((c) => c instanceof ProgressBar) ? null : new ProgressBar({ force: verbose === 1 })));
}
