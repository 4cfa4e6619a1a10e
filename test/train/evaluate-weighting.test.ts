import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// mn.train.evaluate over batches of unequal size must give the loss of the whole set at once: each
// batch weighs by its size. The reference is crossEntropy over all 10 samples in one call, and the
// accuracy counted by hand from the full output's argmax.
describe("mn.train.evaluate weighs each batch by its size", () => {
  test("10 samples in batches of 4, 4 and 2: the full-batch crossEntropy and accuracy (1e-12)", () => {
    const gen = new mn.Generator(20);
    const model = new mn.nn.Linear(3, 4, { dtype: "float64", generator: gen });
    // The last two samples (the partial batch) 5 times larger: their loss differs from the others'.
    const x = mn.randn([10, 3], { dtype: "float64", generator: gen }).mul(mn.tensor([1, 1, 1, 1, 1, 1, 1, 1, 5, 5], { dtype: "float64" }).reshape([10, 1]));
    const y = mn.tensor([0, 1, 2, 3, 0, 1, 2, 3, 3, 3], { dtype: "int32" });
    const loader = new mn.data.DataLoader(new mn.data.TensorDataset(x, y), { batchSize: 4 });
    const got = mn.train.evaluate(model, loader, mn.nn.functional.crossEntropy);

    const full = mn.noGrad(() => model.forward(x));
    const want = mn.nn.functional.crossEntropy(full, y).item();
    assert.ok(Math.abs(got.loss - want) < 1e-12, `evaluate ${got.loss} vs the full batch ${want}`);
    const argmax = Array.from({ length: 10 }, (_, i) => { const row = Array.from(full.data.slice(i * 4, i * 4 + 4)); return row.indexOf(Math.max(...row)); });
    assert.equal(got.accuracy, argmax.filter((c, i) => c === y.data[i]).length / 10);

    // The data tells the mutant apart: the mean of the three batch means is far from the full loss.
    const batchMeans = [[0, 4], [4, 8], [8, 10]].map(([a, b]) => mn.nn.functional.crossEntropy(full.narrow(0, a!, b! - a!), y.narrow(0, a!, b! - a!)).item());
    const mutant = batchMeans.reduce((s, v) => s + v, 0) / 3;
    assert.ok(Math.abs(mutant - want) > 0.05, `the mean of batch means ${mutant} is within 0.05 of ${want}: pick other data`);
  });
});
