import { ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { Standardize, type StandardizeState } from "./standardize.js";

/**
 * What a model's inputs went through in training, recorded so that new inputs go through the same:
 * one sample's shape (e.g. [1, 28, 28]: images with pixels in [0, 1], as the IDX loaders give them)
 * and the standardization fitted on the training data (Standardize's state), or null for none.
 */
export interface Preprocessing {
  inputShape: number[];
  standardize: (StandardizeState & { perFeature: boolean }) | null;
}

/**
 * The preprocessing of a fitted Standardize (or none) for inputs of `inputShape`.
 * @example const pre = mn.data.preprocessingOf([1, 28, 28], new mn.data.Standardize({ perFeature: false }).fit(xTrain));
 */
export function preprocessingOf(inputShape: readonly number[], scaler: Standardize | null): Preprocessing {
  return { inputShape: [...inputShape], standardize: scaler ? { perFeature: scaler.perFeature, ...scaler.stateDict() } : null };
}

/**
 * A batch [N, ...inputShape] as the model saw its training data: standardized with the recorded
 * statistics (the same values, bit for bit, as the training run's Standardize gave). A batch of
 * another sample shape is refused.
 * @example const logits = model.forward(mn.data.preprocess(loaded.preprocessing, images));
 */
export function preprocess(preprocessing: Preprocessing, x: Tensor): Tensor {
  const { inputShape, standardize } = preprocessing;
  const sample = x.shape.slice(1);
  if (sample.length !== inputShape.length || sample.some((d, i) => d !== inputShape[i])) {
    throw new ShapeError({ where: "preprocess", what: `the model takes samples of shape ${showShape(inputShape)}`, expected: `a batch [N,${inputShape.join(",")}]`, got: showShape(x.shape) });
  }
  if (!standardize) return x;
  const scaler = new Standardize({ perFeature: standardize.perFeature });
  scaler.loadStateDict(standardize);
  return scaler.transform(x);
}
