import { existsSync, statSync } from "node:fs";
import { TensorDataset } from "../data/dataset.js";
import { mnist } from "../data/datasets/mnist.js";
import { fashionMnist } from "../data/datasets/fashion-mnist.js";
import { findIdxFile, IDX_FILES, loadIdxDataset } from "../data/datasets/idx-folder.js";
import { contiguousClassCount } from "../data/labels.js";
import { randomSplit } from "../data/split.js";
import { Standardize } from "../data/standardize.js";
import { OptionError } from "../errors.js";
import { Generator } from "../tensor/random.js";
import { basename, resolve } from "node:path";
import { preprocessingOf, type Preprocessing } from "../data/preprocessing.js";
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
  /** Class names in label order (the labels' numbers for a folder of IDX files). */
  classNames: string[];
  /** What the inputs went through (the standardization fitted on the training part), for the model file. */
  preprocessing: Preprocessing;
  /** How to load the data set again: its name, or the folder's absolute path. */
  source: string;
}

/** A data set's train and test parts as stored, with its name and class names. */
interface DatasetParts {
  label: string;
  source: string;
  train: TensorDataset;
  test: TensorDataset;
  classNames: string[];
}

/** Loads a data set by CLI name (mnist, fashion-mnist, or a folder of IDX files), not split nor standardized. */
export function loadDatasetParts(name: DatasetName): DatasetParts {
  if (name === "mnist" || name === "fashion-mnist") {
    const { train, test, classes } = name === "mnist" ? mnist() : fashionMnist();
    return { label: name, source: name, train, test, classNames: classes };
  }
  if (existsSync(name) && statSync(name).isDirectory()) {
    const parts = loadIdxDataset(name);
    // The model gets one output per class 0..K-1: a class no training label has (a mislabelled sample) is refused.
    const count = contiguousClassCount("--dataset", { labels: parts.train.tensors[1]!.data, file: findIdxFile(name, IDX_FILES[1])! });
    return { label: basename(name), source: resolve(name), ...parts, classNames: Array.from({ length: count }, (_, i) => String(i)) };
  }
  throw new OptionError({ where: "--dataset", what: `unknown data set "${name}"`, expected: `mnist, fashion-mnist, or an existing folder of IDX files` });
}

/**
 * Loads a data set by CLI name, holds out a seeded validation split of the training set,
 * and standardizes all three parts with statistics of the training part only.
 */
export function loadDataset(name: DatasetName, options: { valFraction: number; standardize: "none" | "global" | "feature"; seed: number; trainSize?: number | undefined }): PreparedData {
  const parts = loadDatasetParts(name);
  const { label, source, classNames } = parts;
  const n = parts.train.length;
  const nVal = Math.round(n * options.valFraction);
  let [train, val] = randomSplit(parts.train, [n - nVal, nVal], { generator: new Generator(options.seed) }) as [TensorDataset, TensorDataset];
  if (options.trainSize !== undefined) {
    if (options.trainSize > train.length) throw new OptionError({ where: "--train-size", what: `the training split has only ${train.length} samples`, got: String(options.trainSize) });
    train = new TensorDataset(...train.tensors.map((t) => t.narrow(0, 0, options.trainSize!)));
  }
  const [xTrain, yTrain] = train.tensors as [Tensor, Tensor];
  const classes = classNames.length;
  const features = xTrain.numel() / Math.max(xTrain.shape[0]!, 1);
  const inputShape = xTrain.shape.slice(1);
  const described = { name: label, features, inputShape, classes, classNames, source };
  if (options.standardize === "none") return { ...described, train, val, test: parts.test, preprocessing: preprocessingOf(inputShape, null) };
  const scaler = new Standardize({ perFeature: options.standardize === "feature" }).fit(xTrain);
  const scale = (d: TensorDataset) => new TensorDataset(scaler.transform(d.tensors[0]!), d.tensors[1]!);
  return { ...described, train: new TensorDataset(scaler.transform(xTrain), yTrain), val: scale(val), test: scale(parts.test), preprocessing: preprocessingOf(inputShape, scaler) };
}

