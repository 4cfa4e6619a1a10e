import { cat, narrow } from "../autograd/ops/indexing.js";
import { DTypeError, ShapeError } from "../errors.js";
import type { Module } from "../nn/module.js";
import { checkOptions, option, positiveInt, type OptionsOf } from "../options.js";
import { Tensor } from "../tensor/tensor.js";
import { inInferenceMode } from "./inference-mode.js";

const PREDICT_OPTIONS = {
  /** Samples per forward pass: the memory of the activations grows with it, not with the set (default 32, Keras's). */
  batchSize: option(32, positiveInt),
};

/** The options of predict. */
export interface PredictOptions extends OptionsOf<typeof PREDICT_OPTIONS> {}

/**
 * The model's outputs for every sample of `x` (Keras's model.predict): forwarded in batches along the
 * first dimension, in eval mode (dropout off, batch norm's running statistics) and without recording a
 * graph, so memory holds one batch's activations and the outputs rather than the whole set's
 * activations; every module goes back to the mode it was in. The outputs are those of one forward of the
 * whole set in eval mode (up to the rounding of kernels that split work by batch size).
 * @example const probs = mn.train.predict(model, xTest, { batchSize: 500 }).softmax(1);
 */
export function predict(model: Module, x: Tensor, options: PredictOptions = {}): Tensor {
  const { batchSize } = checkOptions("predict", options, PREDICT_OPTIONS);
  if (!(x instanceof Tensor)) throw new DTypeError({ where: "predict", what: "x must be a Tensor of samples", got: x === null ? "null" : typeof x });
  const n = x.shape[0];
  if (n === undefined || n === 0) throw new ShapeError({ where: "predict", what: `x has ${n === undefined ? "no dimension" : "no sample"}`, expected: "samples along the first dimension [N, …] with N ≥ 1" });
  return inInferenceMode(model, () => {
    if (n <= batchSize) return model.forward(x);
    const outputs: Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) outputs.push(model.forward(narrow(x, 0, start, Math.min(batchSize, n - start))));
    return cat(outputs, 0);
  });
}
