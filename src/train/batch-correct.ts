import { countCorrect } from "../metrics/accuracy.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * Correct predictions in a batch, for accuracy: against int32 class indices, or (`soft`, as mixup
 * and cutmix make them) against the argmax of probability targets. Null when the batch is not a
 * classification one (a regression's float targets and `soft` off).
 */
export function batchCorrect(output: Tensor, target: Tensor, soft: boolean): number | null {
  if (target.dtype === "int32") return countCorrect(output, target);
  if (!soft || target.ndim !== 2 || output.ndim !== 2) return null;
  return countCorrect(output, target.argmax(1));
}
