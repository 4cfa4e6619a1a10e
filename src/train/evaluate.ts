import type { Module } from "../nn/module.js";
import type { Tensor } from "../tensor/tensor.js";
import { batchCorrect } from "./batch-correct.js";
import { inInferenceMode } from "./inference-mode.js";

/** A loss over a batch: model outputs and targets in, a scalar tensor out. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/**
 * Mean loss, and accuracy when the targets are class indices (else null), of the model in eval
 * mode over `batches`, without recording a graph; every module goes back to the mode it was in (a model in eval mode
 * stays in eval mode).
 * `onOutput` sees each batch's output and targets (for a confusion matrix, say).
 * @example const { loss, accuracy } = mn.train.evaluate(model, new mn.data.DataLoader(test, { batchSize: 1000 }), mn.nn.functional.crossEntropy);
 */
export function evaluate(model: Module, batches: Iterable<Tensor[]>, loss: LossFn,
  onOutput?: (output: Tensor, target: Tensor) => void): { loss: number; accuracy: number | null } {
  let seen = 0, lossSum = 0, correct = 0, scored = 0;
  inInferenceMode(model, () => {
    for (const [x, y] of batches) {
      const out = model.forward(x!);
      const size = y!.shape[0]!;
      lossSum += loss(out, y!).item() * size;
      const hits = batchCorrect(out, y!, false);
      if (hits !== null) { correct += hits; scored += size; }
      seen += size;
      onOutput?.(out, y!);
    }
  });
  return { loss: lossSum / seen, accuracy: scored > 0 ? correct / scored : null };
}
