import type { Module } from "../nn/module.js";
import { writeFileAtomic } from "./atomic-write.js";
import { readRegularFile } from "../read-file.js";
import { decodeModel, encodeModel, type LoadedModel, type ModelInfo } from "./saved-model.js";

/**
 * Writes a model file, atomically: the model's state dict under PyTorch's names, with its spec,
 * preprocessing and class names in the metadata, so that loadModel rebuilds it from the file alone.
 * @example mn.nn.saveModel("model.safetensors", model, { spec, preprocessing: mn.data.preprocessingOf([1, 28, 28], null), classes });
 */
export function saveModel(path: string, model: Module, info: ModelInfo): void {
  writeFileAtomic(path, encodeModel(model, info));
}

/**
 * Rebuilds the model in a model file (as `minima train` writes `<run>/model.safetensors`), from the
 * file alone: `{ model, spec, preprocessing, classes, dataset }`, the model in eval mode.
 * @example
 * const { model, preprocessing, classes } = mn.nn.loadModel("runs/mnist/model.safetensors");
 * const probabilities = mn.noGrad(() => model.forward(mn.data.preprocess(preprocessing, images)).softmax(1));
 */
export function loadModel(path: string): LoadedModel {
  return decodeModel(readRegularFile(path, "loadModel"), path);
}
