import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { TensorDataset, type LabeledSample } from "../dataset.js";
import { readIdx } from "../formats/idx-file.js";
import { firstNonFinite } from "../finite.js";
import { checkLabelRange, classCount } from "../labels.js";

/** The four files of an MNIST-style folder, by stem: train images and labels, then test's. */
export const IDX_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] as const;

/** The file for an IDX stem in dir: raw or .gz, with "-idx" or Kaggle's ".idx" spelling; else null. */
export function findIdxFile(dir: string, stem: string): string | null {
  for (const base of [stem, stem.replace("-idx", ".idx")]) {
    for (const name of [base, `${base}.gz`]) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/**
 * Any folder of MNIST-style IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; raw or .gz), such as Fashion-MNIST or the
 * classic MNIST files: images float32 [N, 1, H, W] (byte pixels scaled by 1/255 into [0, 1],
 * float pixels kept as they are), labels int32 [N]. A NaN or infinite pixel fails naming the file and
 * the index, and so does a label that is not a class: negative, at or above `classes` when given, or
 * in the test part above the training labels' largest.
 * @example const { train, test } = mn.data.loadIdxDataset("/data/mnist"); train.tensors[0].shape // [60000, 1, 28, 28]
 */
export function loadIdxDataset(dir: string, options: { classes?: number } = {}): { train: TensorDataset<LabeledSample>; test: TensorDataset<LabeledSample> } {
  return loadIdxFolder(dir, options);
}

/**
 * loadIdxDataset, with byte pixel k read as bytePixels[k] instead of k/255 when given (mnist()
 * keeps the rounding of the package it came from this way).
 */
export function loadIdxFolder(dir: string, options: { bytePixels?: Float32Array; classes?: number } = {}): { train: TensorDataset<LabeledSample>; test: TensorDataset<LabeledSample> } {
  const { bytePixels, classes } = options;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataFormatError({ where: "loadIdxDataset", what: `no such folder: ${dir}` });
  }
  const paths = IDX_FILES.map((stem) => {
    const p = findIdxFile(dir, stem);
    if (!p) throw new DataFormatError({ where: "loadIdxDataset", what: `${dir} has no ${stem} (or ${stem}.gz); it holds ${readdirSync(dir).join(", ") || "nothing"}` });
    return p;
  });
  const part = (imagesPath: string, labelsPath: string): TensorDataset<LabeledSample> => {
    const images = readIdx(imagesPath);
    const labels = readIdx(labelsPath);
    if (labels.dtype !== "int32") {
      throw new DataFormatError({ where: "loadIdxDataset", what: `${labelsPath} holds ${labels.dtype} values`, expected: "class labels of an integer IDX type (08, 09, 0b or 0c)" });
    }
    if (images.ndim !== 3 || labels.ndim !== 1 || images.shape[0] !== labels.shape[0]) {
      throw new DataFormatError({
        where: "loadIdxDataset",
        what: `${imagesPath} ${images.dtype} [${images.shape}] and ${labelsPath} ${labels.dtype} [${labels.shape}] do not pair up as N images [N,H,W] and N integer labels [N]`,
      });
    }
    const [n, h, w] = images.shape as [number, number, number];
    const bad = images.dtype === "int32" ? -1 : firstNonFinite(images.data);
    if (bad >= 0) {
      const [image, pixel] = [Math.floor(bad / (h * w)), bad % (h * w)];
      throw new DataFormatError({
        where: "loadIdxDataset",
        what: `${imagesPath} holds ${images.data[bad]} at index ${bad} (image ${image}, row ${Math.floor(pixel / w)}, column ${pixel % w})`,
        expected: "finite pixel values",
      });
    }
    // IDX stores MNIST pixels as bytes 0..255; a float IDX file already holds intensities.
    // (A plain loop: Float32Array.from with a map function is ~40× slower on 47M pixels.)
    let x = images.data;
    if (images.dtype === "int32") {
      const k = images.data;
      x = new Float32Array(images.numel());
      if (bytePixels) for (let i = 0; i < x.length; i++) x[i] = bytePixels[k[i]!]!;
      else for (let i = 0; i < x.length; i++) x[i] = k[i]! / 255;
    }
    return new TensorDataset(new Tensor(x, [n, 1, h, w]), labels);
  };
  const [train, test] = [part(paths[0]!, paths[1]!), part(paths[2]!, paths[3]!)];
  const [trainLabels, testLabels] = [{ labels: train.tensors[1]!.data, file: paths[1]! }, { labels: test.tensors[1]!.data, file: paths[3]! }];
  checkLabelRange("loadIdxDataset", trainLabels, classes ?? Infinity);
  if (classes !== undefined) checkLabelRange("loadIdxDataset", testLabels, classes);
  else checkLabelRange("loadIdxDataset", testLabels, classCount(trainLabels.labels), ` (the classes of ${paths[1]})`);
  return { train, test };
}
