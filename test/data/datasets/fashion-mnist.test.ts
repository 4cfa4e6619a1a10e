import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as mn from "../../../src/index.node.js";
import { FASHION_CLASSES, fashionMnist, findFashionMnist, loadIdxDataset } from "../../../src/data/index.node.js";

const header = (type: number, dims: number[]): number[] => [0, 0, type, dims.length, ...dims.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];

/** A tiny MNIST-style folder: 3 train and 2 test 2×2 images, pixel = 51·label, some files gzipped. */
function tinyFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const part = (prefix: string, labels: number[], gz: boolean) => {
    const images = Uint8Array.from([...header(0x08, [labels.length, 2, 2]), ...labels.flatMap((l) => [51 * l, 51 * l, 0, 255])]);
    const lab = Uint8Array.from([...header(0x08, [labels.length]), ...labels]);
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${gz ? ".gz" : ""}`), gz ? gzipSync(images) : images);
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), lab);
  };
  part("train", [0, 5, 1], true);
  part("t10k", [2, 3], false);
  return dir;
}

const tmp = mkdtempSync(join(tmpdir(), "minima-fashion-"));

describe("loadIdxDataset (any folder of MNIST-style IDX files, raw or .gz)", () => {
  test("pairs images and labels; pixels /255 into float32 [N,1,H,W]", () => {
    const { train, test: held } = loadIdxDataset(tinyFolder(join(tmp, "tiny")));
    const [x, y] = train.tensors;
    assert.deepEqual(x!.shape, [3, 1, 2, 2]);
    assert.equal(x!.dtype, "float32");
    assert.deepEqual(Array.from(y!.data), [0, 5, 1]);
    assert.deepEqual(Array.from(x!.data.subarray(4, 8)), [1, 1, 0, 1]);
    assert.equal(held.length, 2);
  });

  test("a missing folder or file names it", () => {
    const none = join(tmp, "absent");
    assert.throws(() => loadIdxDataset(none), { name: "DataFormatError", message: `loadIdxDataset: no such folder: ${none}` });
    const partial = join(tmp, "partial");
    mkdirSync(partial);
    writeFileSync(join(partial, "train-images-idx3-ubyte"), "");
    assert.throws(() => loadIdxDataset(partial), { message: new RegExp(`${partial} has no train-labels-idx1-ubyte \\(or train-labels-idx1-ubyte.gz\\); it holds train-images-idx3-ubyte`) });
  });
});

describe("fashionMnist()", () => {
  test("reads $MINIMA_DATA/fashion-mnist first, with Fashion-MNIST's class names", () => {
    const before = process.env["MINIMA_DATA"];
    process.env["MINIMA_DATA"] = join(tmp, "env");
    try {
      tinyFolder(join(tmp, "env", "fashion-mnist"));
      assert.equal(findFashionMnist(), join(tmp, "env", "fashion-mnist"));
      const { train, classes } = fashionMnist();
      assert.equal(train.length, 3);
      assert.equal(classes[0], "T-shirt/top");
      assert.equal(classes[9], "Ankle boot");
    } finally {
      if (before === undefined) delete process.env["MINIMA_DATA"];
      else process.env["MINIMA_DATA"] = before;
    }
  });

  test("a dir without the files says how to fix it", () => {
    const none = join(tmp, "nowhere");
    assert.throws(() => fashionMnist({ dir: none }), (e: Error) =>
      e instanceof mn.DataFormatError && e.message.includes(none) && e.message.includes("apt-get install dataset-fashion-mnist"));
    assert.throws(() => fashionMnist({ folder: none } as never), { name: "OptionError", message: /unknown option "folder"/ });
  });

  test("the real data set: 60,000 train and 10,000 test, 6,000 / 1,000 per class (Xiao et al. 2017)", (t) => {
    let dir: string;
    try { dir = findFashionMnist(); } catch (e) {
      t.skip(`dataset-fashion-mnist not installed: ${(e as Error).message}`);
      return;
    }
    const { train, test: held, classes } = fashionMnist({ dir });
    assert.deepEqual(classes, FASHION_CLASSES);
    assert.equal(train.length, 60000);
    assert.equal(held.length, 10000);
    for (const [ds, per] of [[train, 6000], [held, 1000]] as const) {
      const [x, y] = ds.tensors;
      assert.deepEqual(x!.shape, [ds.length, 1, 28, 28]);
      assert.equal(y!.dtype, "int32");
      const counts = Array(10).fill(0) as number[];
      for (const l of y!.data) counts[l]++;
      assert.deepEqual(counts, Array(10).fill(per));
      let lo = Infinity, hi = -Infinity;
      for (let i = 0, d = x!.data; i < d.length; i++) { lo = Math.min(lo, d[i]!); hi = Math.max(hi, d[i]!); }
      assert.deepEqual([lo, hi], [0, 1]);
    }
  });
});
