import type { Module } from "../nn/module.js";
import { compareWith, type CompareOptions, type CompareResult } from "./compare.js";
import { fit } from "./fit-node.js";

/**
 * Compares optimizers fairly over seeds (the core's compare; see its options), each run the Node entry's fit, which
 * draws the progress bar `verbose` asks for (on stderr while it is a terminal under "auto", always under 1).
 * @example const result = mn.train.compare(() => mn.nn.mlp({ inputs: 2, hidden: [32], outputs: 2 }), { train, val, epochs: 20, batchSize: 64, seeds: 3, optimizers });
 */
export function compare(modelFactory: () => Module, options: CompareOptions): CompareResult {
  return compareWith(fit, modelFactory, options);
}
