import { DTypeError, IndexError, OptionError, ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * The confusion matrix: entry [i][j] counts the samples of true class i predicted as class j, so
 * row i sums to class i's samples and the diagonal holds the correct ones (scikit-learn's layout).
 * Predictions are scores [N, C] (the argmax is taken) or class indices [N]; classes are 0..numClasses−1.
 * @example mn.metrics.confusionMatrix(model.forward(x), y, 10)[3][5] // threes taken for fives
 */
export function confusionMatrix(predictions: Tensor, target: Tensor, numClasses: number): number[][] {
  return countConfusions("confusionMatrix", predictions, target, numClasses);
}

/** confusionMatrix for the metrics made from it, which name themselves (`where`) in errors. */
export function countConfusions(where: string, predictions: Tensor, target: Tensor, numClasses: number): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new OptionError({ where, what: "invalid numClasses", expected: "a positive integer", got: String(numClasses) });
  if (target.dtype !== "int32") throw new DTypeError({ where, what: "target must hold int32 class indices", got: target.dtype });
  const pred = predictions.ndim === 2 ? predictions.argmax(1) : predictions;
  if (pred.dtype !== "int32" || target.ndim !== 1 || pred.numel() !== target.numel()) {
    throw new ShapeError({ where, what: `predictions ${predictions.dtype} ${showShape(predictions.shape)} do not match target ${showShape(target.shape)}`, expected: "scores [N, C] or int32 class indices [N]" });
  }
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < target.data.length; i++) {
    const t = target.data[i]!, p = pred.data[i]!;
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses)) {
      throw new IndexError({ where, what: `sample ${i} has target ${t} and prediction ${p}`, expected: `classes in [0, ${numClasses})` });
    }
    matrix[t]![p]!++;
  }
  return matrix;
}
