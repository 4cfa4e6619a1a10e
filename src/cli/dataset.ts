import { existsSync, statSync } from "node:fs";
import { TensorDataset } from "../data/dataset.js";
import { mnist } from "../data/datasets/mnist.js";
import { fashionMnist } from "../data/datasets/fashion-mnist.js";
import { loadIdxDataset } from "../data/datasets/idx-folder.js";
import { randomSplit } from "../data/split.js";
import { Standardize } from "../data/standardize.js";
import { OptionError } from "../errors.js";
import { Generator } from "../tensor/random.js";
import { basename } from "node:path";
import type { Tensor } from "../tensor/tensor.js";

export type DatasetName = "mnist" | "fashion-mnist" | string;

export interface PreparedData {
  name: string;
  train: TensorDataset;
  val: TensorDataset;
  test: TensorDataset;
  features: number;
  /** One sample's shape, e.g. [1, 28, 28] for the image data sets. */
  inputShape: number[];
  classes: number;
}

/**
 * Loads a data set by CLI name, holds out a seeded validation split of the training set,
 * and standardizes all three parts with statistics of the training part only.
 */
export function loadDataset(name: DatasetName, options: { valFraction: number; standardize: "none" | "global" | "feature"; seed: number; trainSize?: number | undefined }): PreparedData {
  let parts: { train: TensorDataset; test: TensorDataset };
  let label: string;
  if (name === "mnist") { parts = mnist(); label = "mnist"; }
  else if (name === "fashion-mnist") { parts = fashionMnist(); label = "fashion-mnist"; }
  else if (existsSync(name) && statSync(name).isDirectory()) { parts = loadIdxDataset(name); label = basename(name); }
  else throw new OptionError({ where: "--dataset", what: `unknown data set "${name}"`, expected: `mnist, fashion-mnist, or an existing folder of IDX files` });
  const n = parts.train.length;
  const nVal = Math.round(n * options.valFraction);
  let [train, val] = randomSplit(parts.train, [n - nVal, nVal], { generator: new Generator(options.seed) }) as [TensorDataset, TensorDataset];
  if (options.trainSize !== undefined) {
    if (options.trainSize > train.length) throw new OptionError({ where: "--train-size", what: `the training split has only ${train.length} samples`, got: String(options.trainSize) });
    train = new TensorDataset(...train.tensors.map((t) => t.narrow(0, 0, options.trainSize!)));
  }
  const [xTrain, yTrain] = train.tensors as [Tensor, Tensor];
  const classes = Math.max(...Array.from(parts.train.tensors[1]!.data)) + 1;
  const features = xTrain.numel() / Math.max(xTrain.shape[0]!, 1);
  const inputShape = xTrain.shape.slice(1);
  if (options.standardize === "none") return { name: label, train, val, test: parts.test, features, inputShape, classes };
  const scaler = new Standardize({ perFeature: options.standardize === "feature" }).fit(xTrain);
  const scale = (d: TensorDataset) => new TensorDataset(scaler.transform(d.tensors[0]!), d.tensors[1]!);
  return { name: label, train: new TensorDataset(scaler.transform(xTrain), yTrain), val: scale(val), test: scale(parts.test), features, inputShape, classes };
}

