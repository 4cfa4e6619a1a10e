import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { assertSame, batches, twins, type Run } from "./twins.js";

// Every optimizer with a fused kernel (native's optimizerStep), and rules without one, through mn.compile: the
// same losses, gradients, weights as eager steps, bit for bit.

type Make = (params: mn.Tensor[]) => mn.optim.Optimizer<mn.optim.GroupOptions>;

const FUSED: [string, Make][] = [
  ["SGD", (p) => new mn.optim.SGD(p, { lr: 0.1 })],
  ["SGD with momentum and dampening", (p) => new mn.optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1 })],
  ["SGD with Nesterov momentum", (p) => new mn.optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
  ["SGD with weight decay", (p) => new mn.optim.SGD(p, { lr: 0.1, momentum: 0.5, weightDecay: 0.01 })],
  ["Adam", (p) => new mn.optim.Adam(p, { lr: 0.01 })],
  ["Adam with amsgrad and weight decay", (p) => new mn.optim.Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.01 })],
  ["AdamW", (p) => new mn.optim.AdamW(p, { lr: 0.01 })],
  ["RMSprop", (p) => new mn.optim.RMSprop(p, { lr: 0.01 })],
  ["RMSprop centered with momentum", (p) => new mn.optim.RMSprop(p, { lr: 0.01, centered: true, momentum: 0.9 })],
  ["Adagrad", (p) => new mn.optim.Adagrad(p, { lr: 0.1 })],
];

const UNFUSED: [string, Make][] = [
  ["Adamax", (p) => new mn.optim.Adamax(p, { lr: 0.01 })],
  ["NAdam", (p) => new mn.optim.NAdam(p, { lr: 0.01 })],
  ["Lion", (p) => new mn.optim.Lion(p, { lr: 0.001 })],
];

function mlp(makeOpt: Make): Run {
  const model = new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Linear(17, 5));
  return { model, opt: makeOpt(model.parameters()) };
}

for (const [name, make] of FUSED) {
  test(`${name} through mn.compile equals eager steps bit for bit`, () => {
    const { eager, captured } = twins(() => mlp(make), batches([9, 9, 9, 9], [13], 5));
    assertSame(captured, eager);
  });
}

for (const [name, make] of UNFUSED) {
  test(`${name}, a rule without a fused kernel: replayed with its own loop in its place among the kernels, equal to eager bit for bit`, () => {
    const data = batches([9, 9, 9, 9], [13], 5);
    const notes: string[] = [];
    const { eager, captured, step } = twins(() => mlp(make), data, { compile: { onNote: (n) => notes.push(n) } });
    assertSame(captured, eager);
    assert.deepEqual(notes, []);
    assert.equal(step.capture.lastRun, "replayed");
  });
}
