import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { DataLoader } from "../../src/data/data-loader.js";
import { defaultGenerator } from "../../src/tensor/random.js";
import { runSweep } from "../../src/train/lr-find.js";
import { digits, sameWeights } from "./fit-helpers.js";

const { train } = digits(256);

function net(seed: number, extras = false): mn.nn.Module {
  mn.manualSeed(seed);
  return mn.nn.mlp({ inputs: 784, hidden: [32], outputs: 10, ...(extras ? { dropout: 0.2, batchNorm: true } : {}) });
}

describe("lrFind", () => {
  test("records the losses of a hand-written range test (lr = 1e-7·(10/1e-7)^(i/numIt) before batch i, then a step), bit for bit", () => {
    const numIt = 40;
    const model = net(1);
    const found = mn.train.lrFind(model, { train, optimizer: new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), numIt, batchSize: 16, shuffle: false });
    const ref = net(1), opt = new mn.optim.SGD(ref.parameters(), { lr: 0.1, momentum: 0.9 });
    const lrs: number[] = [], losses: number[] = [];
    ref.train();
    for (let epoch = 0; lrs.length < found.lrs.length; epoch++) {
      for (const [x, y] of new DataLoader(train, { batchSize: 16 })) {
        if (lrs.length === found.lrs.length) break;
        const lr = 1e-7 * (10 / 1e-7) ** (lrs.length / numIt);
        opt.paramGroups[0]!.lr = lr;
        opt.zeroGrad();
        const loss = mn.nn.functional.crossEntropy(ref.forward(x!), y!);
        loss.backward();
        opt.step();
        lrs.push(lr);
        losses.push(loss.item());
      }
    }
    assert.deepEqual(found.lrs, lrs);
    assert.deepEqual(found.losses, losses);
    // It ran to divergence (smoothed > 4 × best) or to numIt batches, whichever came first.
    const best = (k: number) => Math.min(...found.smoothed.slice(0, k + 1));
    const diverged = found.smoothed.findIndex((s, k) => s > 4 * best(k));
    assert.equal(found.lrs.length, diverged >= 0 ? diverged + 1 : numIt);
    assert.equal(found.stop, diverged >= 0 ? "diverged" : "numIt");
    assert.deepEqual(found.suggestions, mn.train.lrSuggestions({ lrs: found.lrs, losses: found.smoothed, numIt }));
  });

  test("stopDiv null runs all numIt batches; linear mode steps startLr + (i/numIt)·(endLr − startLr)", () => {
    const model = net(2);
    const found = mn.train.lrFind(model, { train, optimizer: new mn.optim.SGD(model.parameters(), { lr: 0.1 }), numIt: 12, stopDiv: null, mode: "linear", startLr: 1e-3, endLr: 1 });
    assert.equal(found.stop, "numIt");
    assert.deepEqual(found.lrs, Array.from({ length: 12 }, (_, i) => 1e-3 + (i / 12) * (1 - 1e-3)));
  });

  // Train one epoch, maybe run the range test, train another: everything the test touched must be as it was.
  function trainAround(withLrFind: boolean, sweep: "lrFind" | "unrestored" = "lrFind") {
    const model = net(3, true);
    const optimizer = new mn.optim.Adam(model.parameters(), { lr: 1e-3, weightDecay: 1e-4 });
    const noise = new mn.Generator(7);
    const transform = ([x, y]: [mn.Tensor, mn.Tensor]) => [x.add(mn.randn(x.shape, { generator: noise }).mul(0.01)), y];
    // A one-cycle schedule over both epochs (256 samples / 32 = 8 steps each), made before the range test: its lrs must carry on.
    const scheduler = new mn.optim.lrScheduler.OneCycleLR(optimizer, { maxLr: 1e-2, totalSteps: 16 });
    const run = (seed: number) => mn.train.fit(model, { train, optimizer, scheduler, epochs: 1, batchSize: 32, seed, transform, verbose: 0 });
    run(1);
    if (withLrFind) {
      const options = { train, optimizer, numIt: 30, transform, generators: [noise], seed: 5 };
      if (sweep === "lrFind") mn.train.lrFind(model, options);
      else runSweep(model, options);
    }
    model.eval(); // a mode of the caller's: the test must leave it
    const evalMode = model.modules().map((m) => m.training);
    model.train();
    const history = run(2);
    return { model, optimizer, history, global: defaultGenerator.getState(), noise: noise.getState(), evalMode };
  }

  test("training after lrFind is bit-identical to training without it (weights, batch norm statistics, Adam's state, a one-cycle schedule's lrs, dropout's and the caller's streams)", () => {
    const plain = trainAround(false), tested = trainAround(true);
    sameWeights(tested.model, plain.model);
    assert.deepEqual(tested.history.steps.map((s) => s.loss), plain.history.steps.map((s) => s.loss));
    assert.deepEqual(tested.history.steps.map((s) => s.lr), plain.history.steps.map((s) => s.lr));
    assert.deepEqual(tested.optimizer.stateDict(), plain.optimizer.stateDict());
    assert.deepEqual(tested.global, plain.global);
    assert.deepEqual(tested.noise, plain.noise);
  });

  test("without the restore, the same sweep changes what follows (the test above can fail)", () => {
    const plain = trainAround(false), swept = trainAround(true, "unrestored");
    assert.throws(() => sameWeights(swept.model, plain.model));
    assert.notDeepEqual(swept.optimizer.stateDict().state, plain.optimizer.stateDict().state);
    assert.notDeepEqual(swept.global, plain.global);
    assert.notDeepEqual(swept.noise, plain.noise);
  });

  test("puts back each module's mode and the gradients", () => {
    const model = net(4, true);
    const optimizer = new mn.optim.SGD(model.parameters(), { lr: 0.1 });
    const [x, y] = new DataLoader(train, { batchSize: 8 })[Symbol.iterator]().next().value as mn.Tensor[];
    mn.nn.functional.crossEntropy(model.forward(x!), y!).backward();
    model.eval();
    const grads = model.parameters().map((p) => Array.from(p.grad!.data));
    mn.train.lrFind(model, { train, optimizer, numIt: 10 });
    assert.ok(model.modules().every((m) => !m.training));
    assert.deepEqual(model.parameters().map((p) => Array.from(p.grad!.data)), grads);
  });

  test("a first loss that is not finite is refused, and the model is put back (exact message)", () => {
    const model = net(5);
    model.parameters()[0]!.data[0] = NaN;
    const before = model.copyStateDict();
    const optimizer = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    assert.throws(() => mn.train.lrFind(model, { train, optimizer }), {
      name: "ValueError",
      message: "lrFind: the first batch's loss (at lr 1e-7) is NaN; expected a finite loss before the learning rate grows: check the model's initialization, the data and lossFn",
    });
    assert.deepEqual(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.data)]), Object.entries(before).map(([k, t]) => [k, Array.from(t.data)]));
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
  });

  test("bad options are refused naming the value (exact messages)", () => {
    const model = net(6);
    const optimizer = new mn.optim.SGD(model.parameters(), { lr: 0.1 });
    assert.throws(() => mn.train.lrFind(model, { train, optimizer, startLr: 1, endLr: 0.1 }), { message: "lrFind: endLr 0.1 is not above startLr 1; expected endLr > startLr" });
    assert.throws(() => mn.train.lrFind(model, { train, optimizer, numIt: 5 }), { message: "lrFind: invalid numIt; expected an integer >= 6 (the suggestions leave out the last 5 points), got 5" });
    assert.throws(() => mn.train.lrFind(model, { train, optimizer, smoothing: 1 }), { message: "lrFind: invalid smoothing; expected a number in [0, 1), got 1" });
    assert.throws(() => mn.train.lrFind(model, { train, optimizer, stopDiv: 1 }), { message: "lrFind: invalid stopDiv; expected a number > 1, got 1" });
  });
});
