import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { DataLoader, Subset, TensorDataset, type Dataset } from "../../src/data/index.node.js";

/** n rows: x[i] = [3i, 3i+1, 3i+2] (float32), y[i] = i (int32), so each row says where it came from. */
const numbered = (n: number) => new TensorDataset(mn.arange(3 * n).reshape([n, 3]).float(), mn.arange(n));
const labels = (loader: DataLoader) => [...loader].flatMap(([, y]) => Array.from(y!.data));

describe("DataLoader (torch.utils.data.DataLoader semantics)", () => {
  test("in order: rows stacked along dim 0, last batch partial, length = ⌈n / batchSize⌉", () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4 });
    const batches = [...loader];
    assert.equal(loader.length, 3);
    assert.equal(batches.length, 3);
    assert.deepEqual(batches.map(([x, y]) => [x!.shape, y!.shape]), [[[4, 3], [4]], [[4, 3], [4]], [[2, 3], [2]]]);
    assert.equal(batches[0]![0]!.dtype, "float32");
    assert.equal(batches[0]![1]!.dtype, "int32");
    assert.deepEqual(batches[2]![0]!.toArray(), [[24, 25, 26], [27, 28, 29]]);
    assert.deepEqual(labels(loader), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("dropLast drops the partial batch: length = ⌊n / batchSize⌋", () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4, dropLast: true });
    assert.equal(loader.length, 2);
    assert.deepEqual([...loader].map(([x]) => x!.shape[0]), [4, 4]);
    assert.equal(new DataLoader(numbered(8), { batchSize: 4, dropLast: true }).length, 2);
  });

  test("batchSize 1 is stochastic GD (n batches), batchSize n is full batch (1 batch)", () => {
    assert.deepEqual([...new DataLoader(numbered(5))].map(([x]) => x!.shape), Array(5).fill([1, 3]));
    const full = [...new DataLoader(numbered(5), { batchSize: 5 })];
    assert.equal(full.length, 1);
    assert.deepEqual(full[0]![0]!.shape, [5, 3]);
    assert.equal(new DataLoader(numbered(5), { batchSize: 100 }).length, 1);
  });

  test("shuffle: each epoch is a permutation covering every row exactly once, rows kept whole", () => {
    const loader = new DataLoader(numbered(103), { batchSize: 10, shuffle: true, generator: new mn.Generator(1) });
    for (const [x, y] of loader) {
      for (let r = 0; r < y!.numel(); r++) assert.equal(x!.data[3 * r], 3 * y!.data[r]!);
    }
    const seen = labels(loader);
    assert.equal(seen.length, 103);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 103 }, (_, i) => i));
    assert.notDeepEqual(seen, Array.from({ length: 103 }, (_, i) => i));
  });

  test("shuffle: same seed → same order; each new epoch draws a new order", () => {
    const make = () => new DataLoader(numbered(50), { batchSize: 7, shuffle: true, generator: new mn.Generator(42) });
    const a = make(), b = make();
    const [a1, a2] = [labels(a), labels(a)];
    assert.deepEqual(labels(b), a1);
    assert.deepEqual(labels(b), a2);
    assert.notDeepEqual(a1, a2);
  });

  test("shuffle without a generator draws from the default one (mn.manualSeed)", () => {
    const loader = new DataLoader(numbered(30), { batchSize: 8, shuffle: true });
    mn.manualSeed(7);
    const first = labels(loader);
    mn.manualSeed(7);
    assert.deepEqual(labels(loader), first);
  });

  test("any Dataset of tensors is batched with stack; a Subset of a TensorDataset gives the same batches", () => {
    const ds = numbered(9);
    const generic: Dataset<mn.Tensor[]> = { length: ds.length, get: (i) => ds.get(i) };
    const same = (a: mn.Tensor[][], b: mn.Tensor[][]) =>
      assert.deepEqual(a.map((t) => t.map((u) => [u.shape, u.toArray()])), b.map((t) => t.map((u) => [u.shape, u.toArray()])));
    same([...new DataLoader(generic, { batchSize: 4 })], [...new DataLoader(ds, { batchSize: 4 })]);
    const idx = [8, 1, 5, 3];
    const viaSubset = [...new DataLoader(new Subset(new Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8]), idx), { batchSize: 3 })];
    same(viaSubset, [...new DataLoader({ length: 4, get: (i: number) => ds.get(idx[i]!) }, { batchSize: 3 })]);
    assert.deepEqual(Array.from(viaSubset[0]![1]!.data), [8, 1, 5]);
  });

  test("reuseBuffers: the same batches as fresh arrays (in order, shuffled, a Subset), each pass writing into one set of arrays per batch size", () => {
    const ds = numbered(23);
    // Each batch read as it is drawn (Array.from maps during the iteration), before the next overwrites it.
    const values = (loader: DataLoader) => Array.from(loader, (b) => b.map((t) => [t.shape, t.toArray()]));
    const loaders = (o: { shuffle?: boolean; dropLast?: boolean }, d: Dataset<mn.Tensor[]> = ds) =>
      [false, true].map((reuseBuffers) => new DataLoader(d, { batchSize: 5, ...o, generator: new mn.Generator(3), reuseBuffers }));
    for (const o of [{}, { shuffle: true }, { dropLast: true }]) {
      const [fresh, reused] = loaders(o);
      assert.deepEqual(values(reused!), values(fresh!));
    }
    const [fresh, reused] = loaders({ shuffle: true }, new Subset(ds, [22, 0, 7, 3, 19, 11, 5]));
    assert.deepEqual(values(reused!), values(fresh!));
    // Every full batch of a pass holds the same arrays; the short last batch its own; a new pass (a new for…of) new ones.
    const arrays = (loader: DataLoader) => Array.from(loader, ([x, y]) => [x!.data, y!.data]);
    const pass = arrays(new DataLoader(ds, { batchSize: 5, reuseBuffers: true }));
    assert.equal(new Set(pass.slice(0, 4).map(([x]) => x)).size, 1);
    assert.equal(new Set(pass.slice(0, 4).map(([, y]) => y)).size, 1);
    assert.notEqual(pass[4]![0], pass[0]![0]);
    assert.equal(pass[4]![0]!.length, 3 * 3);
    const freshPass = arrays(new DataLoader(ds, { batchSize: 5 }));
    assert.equal(new Set(freshPass.map(([x]) => x)).size, 5);
  });

  test("reuseBuffers: a batch kept past the next is overwritten (the documented contract), its clone is not", () => {
    const it = new DataLoader(numbered(6), { batchSize: 2, reuseBuffers: true })[Symbol.iterator]();
    const [, y0] = it.next().value!;
    const kept = y0!.clone();
    it.next();
    assert.deepEqual(Array.from(y0!.data), [2, 3]);
    assert.deepEqual(Array.from(kept.data), [0, 1]);
  });

  test("reuseBuffers on a dataset that is not a TensorDataset (or a Subset of one) is an OptionError naming what it got", () => {
    const ds = numbered(4);
    const generic: Dataset<mn.Tensor[]> = { length: ds.length, get: (i) => ds.get(i) };
    assert.throws(() => new DataLoader(generic, { reuseBuffers: true }), {
      name: "OptionError",
      message: "DataLoader: reuseBuffers needs a dataset whose rows it can copy into the reused arrays; expected a TensorDataset or a Subset of one, got Object",
    });
    class Squares implements Dataset<mn.Tensor[]> { length = 3; get(i: number) { return [mn.tensor([i * i])]; } }
    assert.throws(() => new DataLoader(new Squares(), { reuseBuffers: true }), { message: /got Squares$/ });
    assert.throws(() => new DataLoader(ds, { reuseBuffers: 1 as never }), { message: "DataLoader: invalid reuseBuffers; expected true or false, got 1" });
    assert.equal(new DataLoader(generic, { reuseBuffers: false }).length, 4);
  });

  test("bad options are OptionErrors naming the field and the value; PyTorch's snake_case gets a suggestion", () => {
    const ds = numbered(4);
    for (const bad of [0, -2, 2.5, "4", Number.NaN]) {
      assert.throws(() => new DataLoader(ds, { batchSize: bad as number }),
        (e: Error) => e instanceof mn.OptionError && e.message.startsWith("DataLoader: invalid batchSize; expected a positive integer, got"));
    }
    assert.throws(() => new DataLoader(ds, { batchSize: 0 }), { message: "DataLoader: invalid batchSize; expected a positive integer, got 0" });
    assert.throws(() => new DataLoader(ds, { batch_size: 4 } as never), { name: "OptionError", message: /unknown option "batch_size" — did you mean "batchSize"\?/ });
    assert.throws(() => new DataLoader(ds, { drop_last: true } as never), { message: /did you mean "dropLast"/ });
    assert.throws(() => new DataLoader(ds, { shuffle: 1 as never }), { message: /invalid shuffle; expected true or false, got 1/ });
    assert.throws(() => new DataLoader(ds, { generator: 42 as never }), { message: /invalid generator; expected an mn.Generator, got 42/ });
    assert.throws(() => new DataLoader([] as never), { name: "OptionError", message: /dataset must have an integer length and a get\(i\) method/ });
  });
});
