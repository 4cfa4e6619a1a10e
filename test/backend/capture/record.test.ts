import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";
import { kernels } from "../../../src/backend/select.js";
import { cannotReplay, guardValue, hostOp, inPlan, isRecording, record } from "../../../src/backend/capture/record.js";
import { jsPlanRunner } from "../../../src/backend/capture/replay-js.js";

const F = mn.nn.functional;

function mlp(seed: number): mn.nn.Module {
  mn.manualSeed(seed);
  return new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Linear(17, 5));
}

function batches(count: number): [mn.Tensor, mn.Tensor][] {
  const g = new mn.Generator(7);
  return Array.from({ length: count }, () => [mn.randn([9, 13], { generator: g }), mn.randint(0, 5, [9], { generator: g })]);
}

test("a recorded MLP step with Adam, its host ops (the coefficients) and calls replayed by the JavaScript loop on new batches, equals eager steps bit for bit", () => {
  const data = batches(4);
  const eager = mlp(3), captured = mlp(3);
  const eagerOpt = new mn.optim.Adam(eager.parameters(), { lr: 0.01 });
  const capturedOpt = new mn.optim.Adam(captured.parameters(), { lr: 0.01 });
  const losses: number[] = [];
  for (const [x, y] of data) {
    eagerOpt.zeroGrad();
    const loss = F.crossEntropy(eager.forward(x), y);
    loss.backward();
    eagerOpt.step();
    losses.push(loss.item());
  }
  // The first batch's tensors become the plan's inputs: later batches are copied into them.
  const [x0, y0] = [data[0]![0].clone(), data[0]![1].clone()];
  const { value: loss0, trace } = record(() => {
    capturedOpt.zeroGrad();
    const loss = F.crossEntropy(captured.forward(x0), y0);
    loss.backward();
    capturedOpt.step();
    return loss;
  });
  assert.equal(trace.cannotReplay, null);
  assert.ok(trace.calls.some((c) => c.kernel === "matmul") && trace.calls.some((c) => c.kernel === "optimizerStep" || c.kernel === "js"));
  const replayed = [loss0.item()];
  const runner = jsPlanRunner(trace.calls, kernels());
  for (const [x, y] of data.slice(1)) {
    x0.data.set(x.data);
    y0.data.set(y.data);
    for (const op of trace.hostOps) op();
    runner.run();
    replayed.push(loss0.item());
  }
  assert.deepEqual(replayed, losses);
  const a = eager.parameters(), b = captured.parameters();
  a.forEach((p, i) => assert.deepEqual(b[i]!.data, p.data));
});

test("host ops run at once and are recorded in order; cannotReplay keeps the first reason and does nothing outside a recording", () => {
  const seen: string[] = [];
  cannotReplay("ignored outside a recording");
  hostOp(() => seen.push("outside"));
  assert.equal(isRecording(), false);
  const { trace } = record(() => {
    assert.equal(isRecording(), true);
    hostOp(() => seen.push("a"));
    cannotReplay("first");
    cannotReplay("second");
    hostOp(() => seen.push("b"));
  });
  assert.deepEqual(seen, ["outside", "a", "b"]);
  assert.equal(trace.cannotReplay, "first");
  for (const op of trace.hostOps) op();
  assert.deepEqual(seen, ["outside", "a", "b", "a", "b"]);
  assert.equal(isRecording(), false);
});

test("a step that reads sumOfSquares back in JavaScript is recorded as one a replay cannot take", () => {
  const { trace } = record(() => mn.nn.utils.clipGradNorm !== undefined && kernels().sumOfSquares(new Float32Array([3, 4])));
  assert.equal(trace.cannotReplay, "the step reads sumOfSquares's result back in JavaScript");
});

test("a recording keeps inPlan's label, work and touched arrays as a js call, host ops' written arrays and savers, guards, and the gradients backward set", () => {
  const a = new Float32Array([1, 2]), b = new Float64Array(1);
  const w = mn.tensor([1, 2], { requiresGrad: true });
  let counter = 0;
  const { trace } = record(() => {
    hostOp(() => { b[0] = ++counter; }, { writes: () => [b], save: () => { const c = counter; return () => { counter = c; }; } });
    inPlan("double a", () => { for (let i = 0; i < a.length; i++) a[i] = a[i]! * 2; }, [a]);
    w.mul(w).sum().backward();
  });
  const js = trace.calls.find((c) => c.kernel === "js")!;
  assert.equal(js.args[0], "double a");
  assert.deepEqual(js.args[2], [a]);
  assert.deepEqual(a, new Float32Array([2, 4]));
  assert.deepEqual(trace.hostWrites, [b]);
  const restore = trace.hostSaves[0]!();
  trace.hostOps[0]!();
  assert.equal(b[0], 2);
  restore();
  assert.equal(counter, 1);
  assert.deepEqual(trace.grads, [[w, w.grad]]);
  // The closed form: d(Σ w²)/dw = 2w.
  assert.deepEqual(w.grad!.data, new Float32Array([2, 4]));
});

test("guards: guardValue records the value a replay checks; neither records outside a recording", () => {
  let mode = "train";
  guardValue(() => mode, "ignored");
  const { trace } = record(() => guardValue(() => mode, "the mode changed"));
  assert.equal(trace.guards.length, 1);
  assert.equal(trace.guards[0]!(), null);
  mode = "eval";
  assert.equal(trace.guards[0]!(), "the mode changed");
});

test("reading a tensor's value in JavaScript during a recording (item(), toArray()) is recorded as a reason the step cannot be replayed", () => {
  assert.equal(record(() => mn.tensor([3]).item()).trace.cannotReplay, "the step reads a tensor's value in JavaScript (item())");
  assert.equal(record(() => mn.tensor([3]).toArray()).trace.cannotReplay, "the step reads a tensor's value in JavaScript (toArray())");
});
