import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";

const F = mn.nn.functional;

function mlp(seed: number): mn.nn.Module {
  mn.manualSeed(seed);
  return new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Linear(17, 5));
}

test("mn.compile's MLP + Adam steps, replayed on new batches (a smaller last one captured anew), equal eager steps bit for bit", () => {
  const g = new mn.Generator(7);
  const data = [9, 9, 9, 4, 9, 4].map((n) => [mn.randn([n, 13], { generator: g }), mn.randint(0, 5, [n], { generator: g })] as [mn.Tensor, mn.Tensor]);
  const eager = mlp(3), captured = mlp(3);
  const eagerOpt = new mn.optim.Adam(eager.parameters(), { lr: 0.01 }), capturedOpt = new mn.optim.Adam(captured.parameters(), { lr: 0.01 });
  const want = data.map(([x, y]) => {
    eagerOpt.zeroGrad();
    const loss = F.crossEntropy(eager.forward(x), y);
    loss.backward();
    eagerOpt.step();
    return loss.item();
  });
  const step = mn.compile((x: mn.Tensor, y: mn.Tensor) => {
    capturedOpt.zeroGrad();
    const loss = F.crossEntropy(captured.forward(x), y);
    loss.backward();
    capturedOpt.step();
    return loss;
  }, { onNote: (n) => assert.fail(n) });
  const runs: (string | null)[] = [];
  const got = data.map(([x, y]) => { const l = step(x, y); runs.push(step.capture.lastRun); return l; });
  assert.deepEqual(got, want);
  assert.deepEqual(runs, ["captured", "verified", "replayed", "captured", "replayed", "verified"]);
  eager.parameters().forEach((p, i) => assert.deepEqual(captured.parameters()[i]!.data, p.data));
});
