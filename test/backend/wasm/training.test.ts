import assert from "node:assert/strict";
import { test } from "node:test";
import { wasmUnavailable } from "../../../src/backend/wasm/module.js";
import * as mn from "../../../src/index.node.js";

const why = wasmUnavailable();

/** Three steps of `optimizer` on a model of every kind of layer the wasm kernels serve, on `backend`: the loss of each step and the weights after. */
function train(backend: string, optimizer: (params: mn.Tensor[]) => mn.optim.Optimizer<any>): number[] {
  mn.setBackend(backend);
  try {
    mn.manualSeed(7);
    const model = new mn.nn.Sequential(
      new mn.nn.Linear(13, 40), new mn.nn.BatchNorm1d(40), new mn.nn.SiLU(), new mn.nn.Dropout(0.2),
      new mn.nn.Linear(40, 40), new mn.nn.ReLU(), new mn.nn.LayerNorm(40), new mn.nn.GELU(), new mn.nn.Linear(40, 32), new mn.nn.Mish(),
      new mn.nn.Linear(32, 5));
    const opt = optimizer(model.parameters());
    const x = mn.randn([64, 13]), y = mn.randint(0, 5, [64]);  // activations of 64·40 elements: past the eager calls' js shortcut
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      const loss = mn.nn.functional.crossEntropy(model.forward(x), y, { labelSmoothing: 0.1 });
      loss.backward();
      mn.nn.utils.clipGradNorm(model.parameters(), 1.0);
      opt.step();
      losses.push(loss.item());
    }
    return [...losses, ...model.parameters().flatMap((p) => Array.from(p.data))];
  } finally {
    mn.setBackend("js");
  }
}

// Through the op layer (the same dropout masks: one generator stream), each wasm kernel where the model calls it: the
// losses and weights within float32 rounding of the js backend's (the fused updates round each operation to float32).
for (const [name, make] of [
  ["Adam", (p: mn.Tensor[]) => new mn.optim.Adam(p, { lr: 1e-2, weightDecay: 1e-3 })],
  ["SGD with Nesterov momentum", (p: mn.Tensor[]) => new mn.optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true })],
] as const) {
  test(`on setBackend("wasm") a BatchNorm/LayerNorm/SiLU/ReLU/GELU/Mish/dropout MLP trains 3 ${name} steps to the js backend's losses and weights within 1e-5`, { skip: why ?? false }, () => {
    const [wasm, js] = [train("wasm", make), train("js", make)];
    assert.equal(wasm.length, js.length);
    wasm.forEach((v, i) => assert.ok(Math.abs(v - js[i]!) <= 1e-5 * (1 + Math.abs(js[i]!)), `${i}: wasm ${v}, js ${js[i]}`));
    assert.notDeepEqual(wasm.slice(0, 3), [wasm[0], wasm[0], wasm[0]], "the loss moves");
  });
}
