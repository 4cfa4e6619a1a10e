import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { TensorDataset } from "../dataset.js";
import { readIdx } from "../formats/idx.js";
import type { ImageClassification } from "./mnist.js";

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

export const FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

const FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] as const;

/** The file for an IDX stem in dir, raw or .gz, or null. */
function findFile(dir: string, stem: string): string | null {
  for (const name of [stem, `${stem}.gz`, stem.replace(/-idx/, ".idx")]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * The folder holding Fashion-MNIST: `$MINIMA_DATA/fashion-mnist`, then Debian's
 * /usr/share/datasets/fashion-mnist. Throws naming the folders searched and the fix.
 */
export function findFashionMnist(): string {
  const candidates = [process.env["MINIMA_DATA"] ? join(process.env["MINIMA_DATA"], "fashion-mnist") : null, DEBIAN_FASHION_MNIST]
    .filter((d): d is string => d !== null);
  const found = candidates.find((d) => existsSync(d) && findFile(d, FILES[0]) !== null);
  if (!found) {
    throw new DataFormatError({ where: "fashionMnist", what: `Fashion-MNIST not found in ${candidates.join(" or ")}; install it with \`apt-get install dataset-fashion-mnist\` or pass a folder of its IDX files` });
  }
  return found;
}

/**
 * Any folder of MNIST-style IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, raw or .gz): images scaled to float32
 * [N, 1, H, W] in [0, 1], labels int32.
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
    if (images.ndim !== 3 || labels.ndim !== 1 || images.shape[0] !== labels.shape[0]) {
      throw new DataFormatError({ where: "loadIdxDataset", what: `${imagesPath} [${images.shape}] and ${labelsPath} [${labels.shape}] do not pair up as N images and N labels` });
    }
    const x = new Float32Array(images.numel());
    for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
    const [n, h, w] = images.shape as [number, number, number];
    return new TensorDataset(new Tensor(x, [n, 1, h, w]), labels);
  };
  return { train: part(paths[0]!, paths[1]!), test: part(paths[2]!, paths[3]!) };
}

/**
 * The real 70,000-image Fashion-MNIST (60,000 train, 10,000 test), from `dir` or found
 * automatically where Debian's `dataset-fashion-mnist` installs it.
 * @example const { train, test, classes } = mn.data.fashionMnist();
 */
export function fashionMnist(options: { dir?: string } = {}): ImageClassification {
  return { ...loadIdxDataset(options.dir ?? findFashionMnist()), classes: FASHION_CLASSES };
}
