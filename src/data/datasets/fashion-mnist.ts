import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../../errors.js";
import { checkOptions, optional } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import { TensorDataset } from "../dataset.js";
import { readIdx } from "../formats/idx.js";
import type { ImageClassification } from "./mnist.js";

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

/** Fashion-MNIST's label names, in label order (Xiao, Rasul & Vollgraf 2017). */
export const FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

const FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] as const;
const HOW_TO_FIX = "install it with `apt-get install dataset-fashion-mnist`, or pass the folder of its IDX files (dir, or --dataset <dir>)";

/** The file for an IDX stem in dir: raw or .gz, with "-idx" or Kaggle's ".idx" spelling; else null. */
function findFile(dir: string, stem: string): string | null {
  for (const base of [stem, stem.replace("-idx", ".idx")]) {
    for (const name of [base, `${base}.gz`]) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/**
 * The folder holding Fashion-MNIST: `$MINIMA_DATA/fashion-mnist`, then Debian's
 * /usr/share/datasets/fashion-mnist. Throws a DataFormatError naming the folders searched and the fix.
 * @example mn.data.findFashionMnist() // "/usr/share/datasets/fashion-mnist"
 */
export function findFashionMnist(): string {
  const env = process.env["MINIMA_DATA"];
  const candidates = [...(env ? [join(env, "fashion-mnist")] : []), DEBIAN_FASHION_MNIST];
  const found = candidates.find((d) => existsSync(d) && findFile(d, FILES[0]) !== null);
  if (!found) {
    throw new DataFormatError({ where: "fashionMnist", what: `Fashion-MNIST not found in ${candidates.join(" or ")}; ${HOW_TO_FIX}` });
  }
  return found;
}

/**
 * Any folder of MNIST-style IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; raw or .gz), such as Fashion-MNIST or the
 * classic MNIST files: images float32 [N, 1, H, W] (byte pixels scaled by 1/255 into [0, 1],
 * float pixels kept as they are), labels int32 [N].
 * @example const { train, test } = mn.data.loadIdxDataset("/data/mnist"); train.tensors[0].shape // [60000, 1, 28, 28]
 */
export function loadIdxDataset(dir: string): { train: TensorDataset; test: TensorDataset } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataFormatError({ where: "loadIdxDataset", what: `no such folder: ${dir}` });
  }
  const paths = FILES.map((stem) => {
    const p = findFile(dir, stem);
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
      x = new Float32Array(images.numel());
      for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
    }
    return new TensorDataset(new Tensor(x, [n, 1, h, w]), labels);
  };
  return { train: part(paths[0]!, paths[1]!), test: part(paths[2]!, paths[3]!) };
}

/**
 * The real 70,000-image Fashion-MNIST (60,000 train, 10,000 test, 28×28 grey images of ten
 * kinds of clothing) from `dir`, else from `$MINIMA_DATA/fashion-mnist`, else from where Debian's
 * `dataset-fashion-mnist` installs it. Images float32 [N, 1, 28, 28] in [0, 1], labels int32.
 * @example const { train, test, classes } = mn.data.fashionMnist(); classes[9] // "Ankle boot"
 */
export function fashionMnist(options: { dir?: string } = {}): ImageClassification {
  const { dir } = checkOptions("fashionMnist", options, { dir: optional<string>((v) => (typeof v === "string" ? null : "a folder path")) });
  if (dir === undefined) return { ...loadIdxDataset(findFashionMnist()), classes: [...FASHION_CLASSES] };
  try {
    return { ...loadIdxDataset(dir), classes: [...FASHION_CLASSES] };
  } catch (e) {
    // A folder or file missing (not a corrupt file): say how to get them, as for the folders searched.
    if (e instanceof DataFormatError && e.where === "loadIdxDataset") {
      throw new DataFormatError({ where: "fashionMnist", what: `${e.what}; ${HOW_TO_FIX}` });
    }
    throw e;
  }
}
