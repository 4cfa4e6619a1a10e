import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { TensorDataset } from "../dataset.js";
import { readIdx } from "../formats/idx-file.js";

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
 * float pixels kept as they are), labels int32 [N].
 * @example const { train, test } = mn.data.loadIdxDataset("/data/mnist"); train.tensors[0].shape // [60000, 1, 28, 28]
 */
export function loadIdxDataset(dir: string): { train: TensorDataset; test: TensorDataset } {
  return loadIdxFolder(dir);
}

/**
 * loadIdxDataset, with byte pixel k read as bytePixels[k] instead of k/255 when given (mnist()
 * keeps the rounding of the package it came from this way).
 */
export function loadIdxFolder(dir: string, bytePixels?: Float32Array): { train: TensorDataset; test: TensorDataset } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataFormatError({ where: "loadIdxDataset", what: `no such folder: ${dir}` });
  }
  const paths = IDX_FILES.map((stem) => {
    const p = findIdxFile(dir, stem);
    if (!p) throw new DataFormatError({ where: "loadIdxDataset", what: `${dir} has no ${stem} (or ${stem}.gz); it holds ${readdirSync(dir).join(", ") || "nothing"}` });
    return p;
  });
  const part = (imagesPath: string, labelsPath: string): TensorDataset => {
    const images = readIdx(imagesPath);
    const labels = readIdx(labelsPath);
    if (images.ndim !== 3 || labels.ndim !== 1 || labels.dtype !== "int32" || images.shape[0] !== labels.shape[0]) {
      throw new DataFormatError({
        where: "loadIdxDataset",
        what: `${imagesPath} ${images.dtype} [${images.shape}] and ${labelsPath} ${labels.dtype} [${labels.shape}] do not pair up as N images [N,H,W] and N integer labels [N]`,
      });
    }
    const [n, h, w] = images.shape as [number, number, number];
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
  return { train: part(paths[0]!, paths[1]!), test: part(paths[2]!, paths[3]!) };
}
