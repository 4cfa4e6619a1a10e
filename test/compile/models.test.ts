import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { assertSame, batches, twins, type Run } from "./twins.js";

// Each model trained a few steps eagerly and through mn.compile: the same losses, gradients after every step
// (p.grad after a replay is the replay's), weights and buffers, bit for bit, on the backend the suite runs on.

test("a CNN (conv, ReLU, max pool, linear) with SGD + momentum: mn.compile equals eager steps bit for bit", () => {
  const data = batches([5, 5, 5, 5, 5], [1, 10, 10], 3);
  const { eager, captured, step } = twins((): Run => {
    const model = mn.nn.cnn({ inputShape: [1, 10, 10], channels: [3, 4], hidden: [8], outputs: 3 });
    return { model, opt: new mn.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }) };
  }, data);
  assertSame(captured, eager);
  assert.equal(step.capture.lastRun, "replayed");
});

test("a CNN with dropout and batch norm (2-d and 1-d) with Adam: mn.compile equals eager steps bit for bit, running statistics and batch counts included", () => {
  const data = batches([6, 6, 6, 6, 6], [1, 10, 10], 3);
  const { eager, captured } = twins((): Run => {
    const model = mn.nn.cnn({ inputShape: [1, 10, 10], channels: [3, 4], hidden: [8], outputs: 3, dropout: 0.3, batchNorm: true });
    return { model, opt: new mn.optim.Adam(model.parameters(), { lr: 0.01 }) };
  }, data);
  assertSame(captured, eager);
  assert.ok(Object.keys(eager.state).some((k) => k.endsWith("num_batches_tracked")));
});

test("a residual MLP with dropout and stochastic depth, AdamW: mn.compile equals eager steps bit for bit (the masks drawn from the same stream)", () => {
  const data = batches([7, 7, 7, 7, 7], [9], 4);
  const { eager, captured, step } = twins((): Run => {
    const model = mn.nn.residualMlp({ inputs: 9, width: 12, blocks: 2, outputs: 4, dropout: 0.25, dropPath: 0.3 });
    return { model, opt: new mn.optim.AdamW(model.parameters(), { lr: 0.01 }) };
  }, data);
  assertSame(captured, eager);
  assert.equal(step.capture.lastRun, "replayed");
});

test("batch norm with momentum null (the cumulative average, 1/count) and dropout: mn.compile equals eager steps bit for bit", () => {
  const data = batches([8, 8, 8, 8, 8], [6], 3);
  const { eager, captured } = twins((): Run => {
    const model = new mn.nn.Sequential(new mn.nn.Linear(6, 10), new mn.nn.BatchNorm1d(10, { momentum: null }), new mn.nn.ReLU(),
      new mn.nn.Dropout(0.4), new mn.nn.Linear(10, 3));
    return { model, opt: new mn.optim.SGD(model.parameters(), { lr: 0.1 }) };
  }, data);
  assertSame(captured, eager);
  assert.equal(eager.state["1.num_batches_tracked"]!.item(), 5);
});

test("clipGradNorm and clipGradValue in the step (clipping active): mn.compile equals eager steps bit for bit", () => {
  const data = batches([9, 9, 9, 9, 9], [13], 5);
  const make = (): Run => {
    const model = new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Linear(17, 5));
    return { model, opt: new mn.optim.Adam(model.parameters(), { lr: 0.01 }) };
  };
  const norms: number[] = [];
  const { eager, captured } = twins(make, data, {
    beforeStep: (run) => {
      norms.push(mn.nn.utils.clipGradNorm(run.model.parameters(), 0.05));
      mn.nn.utils.clipGradValue(run.model.parameters(), 0.01);
    },
  });
  assertSame(captured, eager);
  // The eager run's norms were above the cap, so the clipping acted (the compiled run reads its norms at capture only).
  assert.ok(norms.slice(0, 5).every((n) => n > 0.05), String(norms));
});

test("a schedule stepped between compiled steps (OneCycleLR: lr and Adam's β1 change every step): mn.compile equals eager steps bit for bit", () => {
  const data = batches([9, 9, 9, 9, 9, 9], [13], 5);
  const lrs: number[] = [];
  const { eager, captured } = twins((): Run => {
    const model = new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Linear(17, 5));
    const opt = new mn.optim.Adam(model.parameters(), { lr: 0.01 });
    return { model, opt, sched: new mn.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.05, totalSteps: 10 }) };
  }, data, { between: (run) => lrs.push(run.opt.paramGroups[0]!.lr) });
  assertSame(captured, eager);
  assert.equal(new Set(lrs.slice(0, 6)).size, 6);
});

test("channel dropout (Dropout2d) and batch-mode stochastic depth, average pooling, RMSprop: mn.compile equals eager steps bit for bit", () => {
  const data = batches([5, 5, 5, 5, 5], [2, 8, 8], 3);
  const { eager, captured } = twins((): Run => {
    const model = new mn.nn.Sequential(new mn.nn.Conv2d(2, 4, 3, { padding: 1 }), new mn.nn.Dropout2d(0.3), new mn.nn.ReLU(),
      new mn.nn.AvgPool2d(2), new mn.nn.StochasticDepth(0.4, "batch"), new mn.nn.Flatten(), new mn.nn.Linear(64, 3));
    return { model, opt: new mn.optim.RMSprop(model.parameters(), { lr: 0.01 }) };
  }, data);
  assertSame(captured, eager);
});
