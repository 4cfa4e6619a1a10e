import { existsSync, readdirSync, statSync } from "node:fs";
import { TensorDataset } from "../data/dataset.js";
import { mnist } from "../data/datasets/mnist.js";
import { fashionMnist } from "../data/datasets/fashion-mnist.js";
import { findIdxFile, IDX_FILES, loadIdxDataset } from "../data/datasets/idx-folder.js";
import { contiguousClassCount } from "../data/labels.js";
import { randomSplit } from "../data/split.js";
import { Standardize } from "../data/standardize.js";
import { DataFormatError, OptionError, showShape } from "../errors.js";
import { readCsv } from "../data/formats/csv-file.js";
import { imageFolder } from "../data/formats/image-folder.js";
import { Generator } from "../tensor/random.js";
import { cat } from "../autograd/ops/indexing.js";
import { basename, join, resolve } from "node:path";
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

/** How to read a data set from its name: the label column of a CSV file. */
export interface DatasetOptions {
  labelColumn?: string | undefined;
}

const UNKNOWN = "mnist, fashion-mnist, a .csv file, or an existing folder (IDX files, or class folders of PNG images)";

/**
 * Loads a data set by CLI name (mnist, fashion-mnist, a CSV file, a folder of IDX files or of PNG
 * images in class folders), not split nor standardized. A CSV file or a folder of class folders is a
 * training set with an empty test part, unless the folder holds train/ and test/ folders of classes.
 */
export function loadDatasetParts(name: DatasetName, options: DatasetOptions = {}): DatasetParts {
  if (options.labelColumn !== undefined && !isCsv(name)) {
    throw new OptionError({ where: "--label-column", what: `does nothing with --dataset ${name}; it acts with a CSV file` });
  }
  if (name === "mnist" || name === "fashion-mnist") {
    const { train, test, classes } = name === "mnist" ? mnist() : fashionMnist();
    return { label: name, source: name, train, test, classNames: classes };
  }
  if (isCsv(name) && !existsSync(name)) throw new OptionError({ where: "--dataset", what: `no such file: ${name}` });
  if (!existsSync(name)) throw new OptionError({ where: "--dataset", what: `unknown data set "${name}"`, expected: UNKNOWN });
  const label = basename(name), source = resolve(name);
  if (!statSync(name).isDirectory()) {
    if (!isCsv(name)) throw new OptionError({ where: "--dataset", what: `${name} is a file, but not a .csv file`, expected: UNKNOWN });
    const { dataset, classNames } = readCsv(name, options.labelColumn === undefined ? {} : { labelColumn: options.labelColumn }, "--label-column");
    return { label, source, train: dataset, test: emptyLike(dataset), classNames };
  }
  if (!findIdxFile(name, IDX_FILES[0]) && holdsImages(name)) return { label, source, ...imageParts(name) };
  const parts = loadIdxDataset(name);
  // The model gets one output per class 0..K-1: a class no training label has (a mislabelled sample) is refused.
  const count = contiguousClassCount("--dataset", { labels: parts.train.tensors[1]!.data, file: findIdxFile(name, IDX_FILES[1])! });
  return { label, source, ...parts, classNames: Array.from({ length: count }, (_, i) => String(i)) };
}

const isCsv = (name: string) => name.toLowerCase().endsWith(".csv");

/** A folder with subfolders or PNG files is meant as images in class folders (imageFolder names what is wrong with it). */
function holdsImages(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) => !e.name.startsWith(".") && (e.isDirectory() || e.name.toLowerCase().endsWith(".png")));
}

/** An image folder's parts: train/ and test/ folders of the same classes, or one folder of classes for training only. */
function imageParts(dir: string): { train: TensorDataset; test: TensorDataset; classNames: string[] } {
  const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort();
  if (folders.join() !== "test,train") {
    const { dataset, classNames } = imageFolder(dir);
    return { train: dataset, test: emptyLike(dataset), classNames };
  }
  let train = imageFolder(join(dir, "train")), test = imageFolder(join(dir, "test"));
  if (train.classNames.join("\n") !== test.classNames.join("\n")) {
    throw new DataFormatError({ where: "--dataset", what: `${join(dir, "test")} has the classes ${test.classNames.join(", ")}, ${join(dir, "train")} ${train.classNames.join(", ")}`, expected: "the same class folders in both" });
  }
  // Colour in either part makes both RGB, as colour in one image of a folder does: a grey part's channel three times,
  // which is what decoding its grey images as RGB gives (imageFromPng), without reading them again.
  const channels = (part: typeof train) => part.dataset.tensors[0]!.shape[1]!;
  const rgb = (part: typeof train) => {
    const [x, y] = part.dataset.tensors as [Tensor, Tensor];
    return { ...part, dataset: new TensorDataset(cat([x, x, x], 1), y) };
  };
  if (channels(train) < channels(test)) train = rgb(train);
  if (channels(test) < channels(train)) test = rgb(test);
  const [xTrain, xTest] = [train.dataset.tensors[0]!, test.dataset.tensors[0]!];
  if (showShape(xTrain.shape.slice(1)) !== showShape(xTest.shape.slice(1))) {
    const size = (x: Tensor) => `${x.shape[3]}×${x.shape[2]}`;
    throw new DataFormatError({ where: "--dataset", what: `${test.files[0]} is ${size(xTest)} pixels, ${train.files[0]} ${size(xTrain)}`, expected: "one size for the images of train/ and test/ (resize them first)" });
  }
  return { train: train.dataset, test: test.dataset, classNames: train.classNames };
}

/** No samples, of the same sample shape and dtypes: the test part of a data set that has none. */
function emptyLike(d: TensorDataset): TensorDataset {
  return new TensorDataset(...d.tensors.map((t) => t.narrow(0, 0, 0)));
}

/**
 * Loads a data set by CLI name, holds out a seeded validation split of the training set,
 * and standardizes all three parts with statistics of the training part only.
 */
export function loadDataset(name: DatasetName, options: DatasetOptions & { valFraction: number; standardize: "none" | "global" | "feature"; seed: number; trainSize?: number | undefined }): PreparedData {
  const parts = loadDatasetParts(name, options);
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

