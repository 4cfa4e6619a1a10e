import type { Module } from "../nn/module.js";
import { ProgressBar } from "./callbacks/progress-bar.js";
import { fitWithBar, type FitOptions } from "./fit.js";
import type { History } from "./history.js";

/**
 * Trains `model` (the core's fit; see its options), with the Node entry's progress bar: on stderr while it
 * is a terminal under `verbose: "auto"`, always under `verbose: 1`.
 * @example const history = mn.train.fit(model, { train, val, optimizer: new mn.optim.Adam(model.parameters()), epochs: 10, batchSize: 64 });
 */
export function fit(model: Module, options: FitOptions): History {
  return fitWithBar(model, options, (verbose) => new ProgressBar({ force: verbose === 1 }));
}
