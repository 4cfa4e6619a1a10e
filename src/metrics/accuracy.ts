import { DTypeError, ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * How many predicted classes equal the target: predictions are either scores [N, C]
 * (the argmax is taken) or class indices [N].
 */
export function countCorrect(predictions: Tensor, target: Tensor): number {
  if (target.dtype !== "int32") throw new DTypeError({ where: "accuracy", what: "target must hold int32 class indices", got: target.dtype });
  const pred = predictions.ndim === 2 ? predictions.argmax(1) : predictions;
  if (pred.numel() !== target.numel() || target.ndim !== 1) {
    throw new ShapeError({ where: "accuracy", what: `predictions ${showShape(predictions.shape)} do not match target ${showShape(target.shape)}` });
  }
  let hits = 0;
  for (let i = 0; i < target.data.length; i++) if (pred.data[i] === target.data[i]) hits++;
  return hits;
}

/**
 * The fraction of samples whose predicted class equals the target.
 * @example mn.metrics.accuracy(model.forward(x), y) // 0.93
 */
export function accuracy(predictions: Tensor, target: Tensor): number {
  return target.numel() === 0 ? NaN : countCorrect(predictions, target) / target.numel();
}
