import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { Subset, TensorDataset, type Dataset } from "../../src/data/index.node.js";

const rows = (n: number, f: number) => mn.arange(n * f).reshape([n, f]).float();

describe("TensorDataset (torch.utils.data.TensorDataset semantics)", () => {
  test("length is the shared first dim; get(i) returns row i of each tensor", () => {
    const ds = new TensorDataset(rows(4, 3), mn.tensor([10, 11, 12, 13], { dtype: "int32" }));
    assert.equal(ds.length, 4);
    assert.equal(ds.tensors.length, 2);
    const [x, y] = ds.get(2) as [mn.Tensor, mn.Tensor];
    assert.deepEqual(x.toArray(), [6, 7, 8]);
    assert.deepEqual(y.shape, []);
    assert.equal(y.item(), 12);
  });

  test("first dims that differ are a ShapeError naming the sizes", () => {
    assert.throws(() => new TensorDataset(rows(3, 2), mn.zeros([4])),
      (e: Error) => e instanceof mn.ShapeError && /first dims 3 vs 4 \(shapes \[3,2\], \[4\]\)/.test(e.message));
    assert.throws(() => new TensorDataset(), mn.ShapeError);
    assert.throws(() => new TensorDataset(mn.tensor(1)), { message: /tensor 0 is 0-d/ });
  });

  test("get out of range is an IndexError", () => {
    const ds = new TensorDataset(rows(2, 2));
    assert.throws(() => ds.get(2), { name: "IndexError", message: /index 2 is out of range for a dataset of 2/ });
    assert.throws(() => ds.get(-1), mn.IndexError);
    assert.throws(() => ds.get(0.5), mn.IndexError);
  });
});

describe("Subset (torch.utils.data.Subset semantics)", () => {
  test("maps its indices into the dataset, without copying", () => {
    const base: Dataset<string> = { length: 5, get: (i) => "abcde"[i]! };
    const s = new Subset(base, [4, 0, 2]);
    assert.equal(s.length, 3);
    assert.deepEqual([0, 1, 2].map((i) => s.get(i)), ["e", "a", "c"]);
    assert.throws(() => s.get(3), mn.IndexError);
  });

  test("indices outside the dataset are refused at construction", () => {
    const base: Dataset<number> = { length: 5, get: (i) => i };
    assert.throws(() => new Subset(base, [0, 5]), { name: "IndexError", message: /index 5 is out of range for a dataset of 5/ });
  });
});
