import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fashionMnist, loadIdxDataset } from "../../../src/data/index.node.js";
import { testErrorCases } from "../../helpers/error-cases.js";
import { writeIdxFolder, type IdxPart } from "../idx-files.js";

// An IDX folder's pixels and labels are checked where they are loaded, each error naming the file and
// the index: a NaN pixel would otherwise reach the weights (relu keeps it now, but the run has already
// started), and a label out of range would fail after a whole epoch, naming no file.

const tmp = mkdtempSync(join(tmpdir(), "minima-idx-folder-"));
let folders = 0;
const folder = (train: IdxPart, test: IdxPart) => writeIdxFolder(join(tmp, `f${folders++}`), train, test);
const bytes = (n: number) => Array.from({ length: 4 * n }, (_, i) => i % 256);
/** n float 2x2 images with one value replaced at index `at`. */
const floats = (n: number, at: number, value: number) => Array.from({ length: 4 * n }, (_, i) => (i === at ? value : i / 10));

describe("loadIdxDataset refuses non-finite pixels and labels that are not classes, naming the file and index", () => {
  const nan = folder({ images: floats(3, 9, NaN), labels: [0, 1, 2], imageType: "float32" }, { images: bytes(1), labels: [1] });
  const inf = folder({ images: bytes(3), labels: [0, 1, 2] }, { images: floats(2, 6, -Infinity), labels: [1, 0], imageType: "float32" });
  const negative = folder({ images: bytes(3), labels: [0, -1, 1], labelType: "sbyte" }, { images: bytes(1), labels: [0] });
  const floatLabels = folder({ images: bytes(2), labels: [0, 1.5], labelType: "float32" }, { images: bytes(1), labels: [0] });
  const testOutside = folder({ images: bytes(3), labels: [0, 2, 1] }, { images: bytes(3), labels: [1, 0, 3] });
  const fashion = folder({ images: bytes(3), labels: [0, 12, 9] }, { images: bytes(1), labels: [0] });
  const fashionTest = folder({ images: bytes(3), labels: [0, 1, 9] }, { images: bytes(2), labels: [0, 10] });
  const file = (dir: string, name: string) => join(dir, name);
  testErrorCases([
    ["a NaN pixel in a float IDX file: the file, the flat index, the image, row and column", () => loadIdxDataset(nan),
      `loadIdxDataset: ${file(nan, "train-images-idx3-ubyte")} holds NaN at index 9 (image 2, row 0, column 1); expected finite pixel values`],
    ["an infinite pixel in the test images", () => loadIdxDataset(inf),
      `loadIdxDataset: ${file(inf, "t10k-images-idx3-ubyte")} holds -Infinity at index 6 (image 1, row 1, column 0); expected finite pixel values`],
    ["a negative label (an sbyte IDX file)", () => loadIdxDataset(negative),
      `loadIdxDataset: ${file(negative, "train-labels-idx1-ubyte")}: label -1 at index 1 is not a class; expected a non-negative integer`],
    ["a float labels file", () => loadIdxDataset(floatLabels),
      `loadIdxDataset: ${file(floatLabels, "train-labels-idx1-ubyte")} holds float32 values; expected class labels of an integer IDX type (08, 09, 0b or 0c)`],
    ["a test label above every training label: train and test do not agree on the classes", () => loadIdxDataset(testOutside),
      `loadIdxDataset: ${file(testOutside, "t10k-labels-idx1-ubyte")}: label 3 at index 2 is not a class of the training set; expected 0..2 (the classes of ${file(testOutside, "train-labels-idx1-ubyte")})`],
    ["label 12 in Fashion-MNIST's 10 classes (fashionMnist with a folder)", () => fashionMnist({ dir: fashion }),
      `loadIdxDataset: ${file(fashion, "train-labels-idx1-ubyte")}: label 12 at index 1 is not a class; expected 0..9`],
    ["label 10 only in Fashion-MNIST's test file", () => fashionMnist({ dir: fashionTest }),
      `loadIdxDataset: ${file(fashionTest, "t10k-labels-idx1-ubyte")}: label 10 at index 1 is not a class; expected 0..9`],
  ]);

  test("finite float pixels load as they are, and labels that are classes pass (the reference: the values written)", () => {
    const ok = folder({ images: floats(2, 0, -3.5), labels: [1, 0], imageType: "float32" }, { images: bytes(1), labels: [1] });
    const { train } = loadIdxDataset(ok);
    assert.deepEqual(Array.from(train.tensors[0]!.data), Array.from(Float32Array.from(floats(2, 0, -3.5))));
    assert.deepEqual(Array.from(train.tensors[1]!.data), [1, 0]);
  });
});
