import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import * as mn from "../../src/index.node.js";
import * as core from "../../src/index.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { digits } from "./fit-helpers.js";

const { compare, fit } = mn.train;
/** A small MLP with dropout, its weights drawn from the global generator as every mn.nn layer does. */
const net = () => mn.nn.mlp({ inputs: 784, hidden: [16], outputs: 10, dropout: 0.2 });
const optimizers = {
  sgd: (p: Tensor[]) => new mn.optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
  adam: (p: Tensor[]) => new mn.optim.Adam(p, { lr: 3e-3 }),
};

describe("mn.train.compare", () => {
  test("each run is the fit() a user would write: manualSeed(seed), a new model with that seed's first weights, fit(seed) — bit-identical histories", () => {
    const { train, val } = digits(120);
    const result = compare(net, { train, val, optimizers, epochs: 2, batchSize: 40, seeds: [3, 5] });
    assert.deepEqual(result.seeds, [3, 5]);
    assert.deepEqual(result.optimizers.map((r) => r.name), ["sgd", "adam"]);
    for (const [i, seed] of [3, 5].entries()) {
      mn.manualSeed(seed);
      const first = net();
      const initial = first.copyStateDict();
      const expected = { sgd: fit(first, { train, val, optimizer: optimizers.sgd(first.parameters()), epochs: 2, batchSize: 40, seed }), adam: null as mn.train.History | null };
      mn.manualSeed(seed);
      const second = net();
      second.loadStateDict(initial);
      expected.adam = fit(second, { train, val, optimizer: optimizers.adam(second.parameters()), epochs: 2, batchSize: 40, seed });
      for (const r of result.optimizers) {
        const got = r.histories[i]!, want = expected[r.name as "sgd" | "adam"]!;
        assert.deepEqual(got.steps.map((s) => s.loss), want.steps.map((s) => s.loss), `${r.name}, seed ${seed}`);
        assert.deepEqual(got.epochs.map((e) => e.valLoss), want.epochs.map((e) => e.valLoss), `${r.name}, seed ${seed}`);
      }
    }
  });

  test("within a seed every optimizer starts from the same weights, batch and dropout mask (equal first losses); seeds differ", () => {
    const { train } = digits(120);
    const result = compare(net, { train, optimizers, epochs: 1, batchSize: 40, seeds: 3 });
    assert.deepEqual(result.seeds, [0, 1, 2]);
    const firstLoss = (name: string, seed: number) => result.optimizers.find((r) => r.name === name)!.histories[seed]!.steps[0]!.loss;
    for (const seed of [0, 1, 2]) assert.equal(firstLoss("sgd", seed), firstLoss("adam", seed), `seed ${seed}`);
    assert.equal(new Set([0, 1, 2].map((s) => firstLoss("sgd", s))).size, 3);
    // After the first step the optimizers part ways.
    assert.notEqual(result.optimizers[0]!.histories[0]!.steps[1]!.loss, result.optimizers[1]!.histories[0]!.steps[1]!.loss);
  });

  test("the summary is the mean and sample standard deviation of the last epochs over seeds (closed form); metrics the runs lack are null", () => {
    const { train, val } = digits(120);
    const result = compare(net, { train, val, optimizers, epochs: 2, batchSize: 40, seeds: 3 });
    for (const r of result.optimizers) {
      assert.equal(r.histories.length, 3);
      for (const metric of ["loss", "valLoss", "accuracy", "valAccuracy"] as const) {
        const values = r.histories.map((h) => h.epochs[1]![metric]!);
        const mean = (values[0]! + values[1]! + values[2]!) / 3;
        const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
        const stat = r.final[metric]!;
        assert.deepEqual(stat.values, values);
        assert.ok(Math.abs(stat.mean - mean) <= 1e-15 * Math.abs(mean) && Math.abs(stat.std - std) <= 1e-12 * std, `${r.name} ${metric}: ${stat.mean} ± ${stat.std} vs ${mean} ± ${std}`);
        if (metric.endsWith("oss")) assert.ok(stat.std > 0, `${r.name} ${metric}: seeds give different runs`);
      }
      assert.equal(r.final.testLoss, null);
      assert.equal(r.final.testAccuracy, null);
      assert.deepEqual(r.seconds.values, r.histories.map((h) => h.epochs[0]!.seconds + h.epochs[1]!.seconds));
    }
  });

  test("the summary covers fit's metrics by History.metric's names: each the mean and sample standard deviation of the last epochs' records over seeds (closed form)", () => {
    const { train, val } = digits(120);
    const result = compare(net, { train, val, optimizers, epochs: 2, batchSize: 40, seeds: 3, metrics: [mn.metrics.topKAccuracy(3)] });
    for (const r of result.optimizers) {
      for (const [name, split] of [["top3Accuracy", "train"], ["valTop3Accuracy", "val"]] as const) {
        const values = r.histories.map((h) => h.epochs[1]!.metrics!["top3Accuracy"]![split]!);
        const mean = (values[0]! + values[1]! + values[2]!) / 3;
        const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
        const stat = r.final[name]!;
        assert.deepEqual(stat.values, values);
        assert.ok(Math.abs(stat.mean - mean) <= 1e-15 * Math.abs(mean) && Math.abs(stat.std - std) <= 1e-12 * Math.max(std, 1e-300), `${r.name} ${name}: ${stat.mean} ± ${stat.std} vs ${mean} ± ${std}`);
      }
      assert.equal(r.final["testTop3Accuracy"], null);
      assert.deepEqual(Object.keys(r.final), ["loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy", "top3Accuracy", "valTop3Accuracy", "testTop3Accuracy"]);
    }
  });

  test("from the Node entry each run is the Node entry's fit: verbose 1 draws its bar (the core's compare refuses 1, as the core's fit does)", () => {
    const { train } = digits(40);
    const options = { train, optimizers: { sgd: optimizers.sgd }, epochs: 1, batchSize: 20, verbose: 1 as const };
    assert.throws(() => core.train.compare(net, options),
      { name: "OptionError", message: 'fit: verbose 1 draws a progress bar, which this entry has none of (the browser\'s core); expected 2 (a line per epoch), "auto" or 0, got 1' });
    let stderr = "";
    const lines: string[] = [];
    const original = Object.getOwnPropertyDescriptor(process, "stderr")!;
    const log = console.log;
    Object.defineProperty(process, "stderr", { value: new Writable({ write(chunk, _enc, done) { stderr += String(chunk); done(); } }), configurable: true });
    console.log = (line: string) => { lines.push(line); };
    try {
      compare(net, options);
    } finally {
      Object.defineProperty(process, "stderr", original);
      console.log = log;
    }
    assert.match(stderr, /epoch 1\/1 .* 2\/2/s);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^epoch 1\/1  train loss /);
  });

  test("scheduler and callbacks are built anew for every run, which they are told about; fit's options reach every run", () => {
    const { train } = digits(80);
    const runs: string[] = [];
    const result = compare(net, {
      train, optimizers, epochs: 3, batchSize: 40, seeds: 2, layerStatsEvery: 0,
      scheduler: (o) => new mn.optim.lrScheduler.StepLR(o, { stepSize: 1, gamma: 0.5 }),
      callbacks: (run) => {
        runs.push(`${run.optimizer}/${run.seed}`);
        return [new mn.train.callbacks.EarlyStopping({ monitor: "loss", patience: 0, minDelta: 1 })];
      },
    });
    assert.deepEqual(runs, ["sgd/0", "adam/0", "sgd/1", "adam/1"]);
    for (const r of result.optimizers) {
      for (const h of r.histories) {
        // Early stopping (patience 0, a loss that cannot improve by 1) ends each run after epoch 2, with its own count.
        assert.equal(h.epochs.length, 2, r.name);
        // StepLR halves the run's own lr every epoch, from the factory's lr.
        const lr0 = r.name === "sgd" ? 0.05 : 3e-3;
        assert.deepEqual(h.epochs.map((e) => e.lr), [lr0, lr0 / 2]);
        assert.equal(h.layers.length, 0, "layerStatsEvery: 0 reached fit (by default it samples 10 times an epoch)");
      }
    }
  });

  test("bad options are refused before any run, naming the option and what was expected (exact text)", () => {
    const { train } = digits(40);
    const base = { train, optimizers, epochs: 1 };
    const cases: [() => unknown, string][] = [
      [() => compare(net, { ...base, seeds: 0 }), "compare: invalid seeds; expected a count of seeds (a positive integer: seeds 0, 1, …) or a non-empty list of distinct non-negative integers, got 0"],
      [() => compare(net, { ...base, seeds: [1, 1] }), "compare: invalid seeds; expected a count of seeds (a positive integer: seeds 0, 1, …) or a non-empty list of distinct non-negative integers, got [1,1]"],
      [() => compare(net, { ...base, optimizers: [] as never }), "compare: invalid optimizers; expected an object of optimizer factories by name, like { sgd: (params) => new mn.optim.SGD(params, { lr: 0.1 }) }, got []"],
      [() => compare(net, { ...base, optimizers: {} }), "compare: optimizers is empty; expected at least one of the optimizer factories by name, like { sgd: (params) => new mn.optim.SGD(params, { lr: 0.1 }) }"],
      [() => compare(net, { ...base, optimizers: { sgd: optimizers.sgd, adam: "adam" as never } }), 'compare: invalid optimizers.adam; expected a function (params) => optimizer, got "adam"'],
      [() => compare(net, { ...base, seed: 3 } as never), 'compare: unknown option "seed" — did you mean "seeds"?; expected one of train, val, test, optimizers, epochs, batchSize, seeds, scheduler, callbacks, loss, evalBatchSize, shuffle, dropLast, clipGradNorm, layerStatsEvery, accuracy, penalty, transform, metrics, verbose'],
      [() => compare(net, { train, optimizers } as never), "compare: missing option epochs; expected a positive integer"],
      [() => compare(null as never, base), "compare: invalid modelFactory; expected a function that builds a new model, like () => mn.nn.mlp({ ... }), got null"],
    ];
    for (const [run, message] of cases) assert.throws(run, { name: "OptionError", message });
  });

  test("a factory that returns no model, the same model again, or reseeds the global generator is refused (exact text)", () => {
    const { train } = digits(40);
    const base = { train, optimizers, epochs: 1 };
    assert.throws(() => compare(() => 42 as never, base), { message: "compare: modelFactory did not return a model; expected an mn.nn.Module, got 42" });
    const one = net();
    assert.throws(() => compare(() => one, base),
      { message: "compare: modelFactory returned a model it had returned before (the one the previous run trained); expected a new model on every call, like () => new Net()" });
    const reseeding = () => { mn.manualSeed(0); return net(); };
    assert.throws(() => compare(reseeding, { ...base, seeds: 2 }),
      { message: "compare: modelFactory reseeds the global generator: seeds 0 and 1 left it in the same state, so every seed would start from the same weights; expected a factory that draws its weights from the global generator as compare seeds it, without calling mn.manualSeed" });
  });

  test("an optimizer factory that returns no optimizer, or one over another model's parameters (which would train nothing), is refused (exact text)", () => {
    const { train } = digits(40);
    const other = net();
    assert.throws(() => compare(net, { train, epochs: 1, optimizers: { sgd: () => null as never } }),
      { message: "compare: optimizers.sgd did not return an optimizer; expected an mn.optim optimizer, got null" });
    assert.throws(() => compare(net, { train, epochs: 1, optimizers: { stale: () => new mn.optim.SGD(other.parameters(), { lr: 0.1 }) } }),
      { message: "compare: optimizers.stale built an optimizer over 4 tensors that are not parameters of the run's model; expected an optimizer over the params the factory is given" });
    // A subset of the model's parameters (a frozen layer) is the user's choice.
    const r = compare(net, { train, epochs: 1, optimizers: { head: (p) => new mn.optim.SGD(p.slice(2), { lr: 0.1 }) } });
    assert.equal(r.optimizers[0]!.histories[0]!.epochs.length, 1);
    assert.ok(r.optimizers[0]!.histories[0]!.layers.length > 0, "fit's default layer statistics");
  });
});
