import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { randomSplit, Subset, TensorDataset, type Dataset } from "../../src/data/index.node.js";

const numbered = (n: number) => new TensorDataset(mn.arange(2 * n).reshape([n, 2]).float(), mn.arange(n));
const ids = (d: TensorDataset) => Array.from(d.tensors[1]!.data);

describe("randomSplit (torch.utils.data.random_split semantics)", () => {
  test("counts: parts of the given sizes, disjoint, covering the dataset, rows kept whole", () => {
    const parts = randomSplit(numbered(10), [7, 3], { generator: new mn.Generator(0) });
    assert.deepEqual(parts.map((p) => p.length), [7, 3]);
    const all = parts.flatMap(ids);
    assert.deepEqual([...all].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const p of parts) {
      assert.ok(p instanceof TensorDataset);
      ids(p).forEach((id, r) => assert.deepEqual(Array.from(p.tensors[0]!.data.subarray(2 * r, 2 * r + 2)), [2 * id, 2 * id + 1]));
    }
  });

  test("fractions: ⌊f·n⌋ each, the remainder one each to the first parts, round robin (as torch)", () => {
    assert.deepEqual(randomSplit(numbered(10), [0.5, 0.3, 0.2]).map((p) => p.length), [5, 3, 2]);
    assert.deepEqual(randomSplit(numbered(10), [1 / 3, 1 / 3, 1 / 3]).map((p) => p.length), [4, 3, 3]);
    assert.deepEqual(randomSplit(numbered(11), [0.25, 0.25, 0.25, 0.25]).map((p) => p.length), [3, 3, 3, 2]);
    assert.deepEqual(randomSplit(numbered(1), [1]).map((p) => p.length), [1]);
  });

  test("same seed → same split; TensorDataset parts own copies of their rows", () => {
    const ds = numbered(20);
    const a = randomSplit(ds, [0.8, 0.2], { generator: new mn.Generator(3) });
    const b = randomSplit(ds, [0.8, 0.2], { generator: new mn.Generator(3) });
    assert.deepEqual(a.map(ids), b.map(ids));
    assert.notDeepEqual(ids(a[0]!), ids(numbered(16)));
    assert.notEqual(a[0]!.tensors[0]!.data.buffer, ds.tensors[0]!.data.buffer);
  });

  test("other datasets split into Subsets", () => {
    const base: Dataset<string> = { length: 6, get: (i) => "abcdef"[i]! };
    const parts = randomSplit(base, [4, 2], { generator: new mn.Generator(0) });
    assert.ok(parts.every((p) => p instanceof Subset));
    const letters = parts.flatMap((p) => Array.from({ length: p.length }, (_, i) => p.get(i)));
    assert.deepEqual(letters.sort(), ["a", "b", "c", "d", "e", "f"]);
  });

  test("lengths that do not add up are an OptionError saying what they sum to", () => {
    const ds = numbered(10);
    assert.throws(() => randomSplit(ds, [5, 4]), {
      name: "OptionError",
      message: "randomSplit: lengths [5,4] sum to 9, not to the dataset's length 10; expected non-negative counts summing to 10, or fractions summing to 1",
    });
    assert.throws(() => randomSplit(ds, [0.5, 0.4]), { message: /fractions \[0.5,0.4\] sum to 0.9, not to 1/ });
    assert.throws(() => randomSplit(ds, [-1, 11]), { message: /lengths \[-1,11\] hold -1, neither a count nor a fraction/ });
    assert.throws(() => randomSplit(ds, []), mn.OptionError);
    assert.throws(() => randomSplit(ds, [5, 5], { seed: 1 } as never), { message: /unknown option "seed"/ });
  });
});
