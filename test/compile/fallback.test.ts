import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { inPlan } from "../../src/backend/capture/record.js";
import { assertSame, batches, F, twins, type Run } from "./twins.js";

// What mn.compile does with steps a replay cannot take (eager, with a note whose text is checked here), with a
// changed input shape (captured anew) and with state replaced between steps (captured anew): the results always
// equal eager steps'.

function mlp(): Run {
  const model = new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Linear(17, 5));
  return { model, opt: new mn.optim.Adam(model.parameters(), { lr: 0.01 }) };
}

const PREFIX = "mn.compile: the step runs eagerly for inputs float32[9,13] int32[9]: ";

/** A training step on `input(x)`: zero the gradients, cross-entropy, backward, the optimizer's step. */
function stepOn(run: Run, input: (x: mn.Tensor) => mn.Tensor) {
  return (x: mn.Tensor, y: mn.Tensor) => {
    run.opt.zeroGrad();
    const loss = F.crossEntropy(run.model.forward(input(x)), y);
    loss.backward();
    run.opt.step();
    return loss;
  };
}

/** Runs `body` (given a fresh MLP) through mn.compile over four batches; returns the notes and the last run's kind. */
function compiled(body: (run: Run) => (x: mn.Tensor, y: mn.Tensor) => mn.Tensor, data = batches([9, 9, 9, 9], [13], 5)) {
  mn.manualSeed(11);
  const notes: string[] = [];
  const step = mn.compile(body(mlp()), { onNote: (n) => notes.push(n) });
  const losses = data.map(([x, y]) => step(x, y));
  return { notes, losses, step };
}

test("a step that branches on the loss (loss.item() inside it) runs eagerly with a note, its losses those of eager steps", () => {
  const body = (run: Run) => (x: mn.Tensor, y: mn.Tensor) => {
    run.opt.zeroGrad();
    let loss = F.crossEntropy(run.model.forward(x), y);
    if (loss.item() > 100) loss = loss.mul(0.5);
    loss.backward();
    run.opt.step();
    return loss;
  };
  const { notes, losses, step } = compiled(body);
  assert.deepEqual(notes, [`${PREFIX}the step reads a tensor's value in JavaScript (item())`]);
  assert.equal(step.capture.lastRun, "eager");
  mn.manualSeed(11);
  const eager = body(mlp());
  assert.deepEqual(losses, batches([9, 9, 9, 9], [13], 5).map(([x, y]) => eager(x, y).item()));
});

test("a step whose kernels depend on data read from an array (no item()) is caught at its second run: eager with a note naming the call that changed", () => {
  // The first batch's first element is made positive and the second's negative, so the two runs take different branches.
  const data = batches([9, 9, 9, 9], [13], 5);
  data[0]![0].data[0] = 1;
  data[1]![0].data[0] = -1;
  const { notes, step } = compiled((run) => (x, y) => {
    run.opt.zeroGrad();
    const input = x.data[0]! > 0 ? x.neg() : x;
    const loss = F.crossEntropy(run.model.forward(input), y);
    loss.backward();
    run.opt.step();
    return loss;
  }, data);
  // Call 1 is the negation (unary) in the first run, and the first layer's product (matmul) in the second.
  assert.deepEqual(notes, [`${PREFIX}the step branches on data or on JavaScript state: call 1 was unary in its first run and matmul in its second`]);
  assert.equal(step.capture.lastRun, "eager");
});

test("a JavaScript number that changes between steps (a scale written into a 0-d tensor) is caught at the second run: eager with a note naming the array and element", () => {
  let scale = 1;
  const { notes } = compiled((run) => (x, y) => {
    run.opt.zeroGrad();
    const loss = F.crossEntropy(run.model.forward(x.mul(scale++)), y);
    loss.backward();
    run.opt.step();
    return loss;
  });
  // binary(op, a, aShape, b, …): the scale is argument 4 of call 1; the replay keeps the capture's 1, eager has 2.
  assert.deepEqual(notes, [`${PREFIX}the replay differs from the eager step in argument 4 of call 1 (binary) at element 0 (1 replayed, 2 eager)`]);
});

test("SAM and an optimizer's step(closure) run eagerly with a note saying why", () => {
  const sam = compiled((run) => {
    const opt = new mn.optim.SAM(run.model.parameters(), { base: (p) => new mn.optim.SGD(p as mn.Tensor[], { lr: 0.1 }) });
    return (x, y) => {
      let loss: mn.Tensor | null = null;
      opt.step(() => { opt.zeroGrad(); loss = F.crossEntropy(run.model.forward(x), y); loss.backward(); return loss; });
      return loss!;
    };
  });
  assert.deepEqual(sam.notes, [`${PREFIX}SAM's step moves the weights in JavaScript between its two passes`]);
  const closure = compiled((run) => (x, y) => {
    let loss: mn.Tensor | null = null;
    run.opt.step(() => { run.opt.zeroGrad(); loss = F.crossEntropy(run.model.forward(x), y); loss.backward(); return loss; });
    return loss!;
  });
  assert.deepEqual(closure.notes, [`${PREFIX}Adam's step(closure) reads the closure's loss in JavaScript`]);
});

test("new input shapes are captured anew without a note, up to maxCaptures; the next shape runs eagerly with a note", () => {
  const data = batches([9, 9, 4, 4, 4, 3, 9], [13], 5);
  const notes: string[] = [];
  mn.manualSeed(11);
  const run = mlp();
  const step = mn.compile((x: mn.Tensor, y: mn.Tensor) => {
    run.opt.zeroGrad();
    const loss = F.crossEntropy(run.model.forward(x), y);
    loss.backward();
    run.opt.step();
    return loss;
  }, { onNote: (n) => notes.push(n), maxCaptures: 2 });
  const kinds = data.map(([x, y]) => { step(x, y); return step.capture.lastRun; });
  assert.deepEqual(kinds, ["captured", "verified", "captured", "verified", "replayed", "eager", "replayed"]);
  assert.deepEqual(notes, ["mn.compile: the step runs eagerly for inputs float32[3,13] int32[3]: it was captured for 2 sets of input shapes already (maxCaptures)"]);
  assert.throws(() => mn.compile(() => mn.zeros([1]), { maxCaptures: 0 }), { message: "compile: invalid maxCaptures; expected a positive integer, got 0" });
  assert.throws(() => mn.compile(() => mn.zeros([1]), { maxCapture: 2 } as never), { message: 'compile: unknown option "maxCapture" — did you mean "maxCaptures"?; expected one of onNote, maxCaptures' });
});

test("the optimizer's state replaced (loadStateDict) or a parameter group added between steps: the step is captured anew, equal to eager steps bit for bit", () => {
  const data = batches([9, 9, 9, 9, 9, 9, 9, 9, 9], [13], 5);
  let saved: mn.optim.OptimizerStateDict | null = null;
  const extra = mn.zeros([3], { requiresGrad: true });
  const between = (run: Run, i: number) => {
    if (i === 1) saved = run.opt.stateDict();
    if (i === 3) run.opt.loadStateDict(saved!);
    if (i === 5) run.opt.addParamGroup({ params: [extra], lr: 0.5 });
  };
  const { eager, captured, step } = twins(mlp, data, { between });
  assertSame(captured, eager);
  assert.deepEqual(step.capture.recaptured, ["Adam's state was replaced (loadStateDict)", "Adam's parameters changed"]);
});

test("the model's weights loaded between steps (loadStateDict copies into the same arrays): replays go on, equal to eager steps bit for bit", () => {
  const data = batches([9, 9, 9, 9, 9], [13], 5);
  let saved: Record<string, mn.Tensor> | null = null;
  const between = (run: Run, i: number) => {
    if (i === 0) saved = Object.fromEntries(Object.entries(run.model.stateDict()).map(([k, t]) => [k, t.clone()]));
    if (i === 2) run.model.loadStateDict(saved!);
  };
  const { eager, captured, step } = twins(mlp, data, { between });
  assertSame(captured, eager);
  assert.deepEqual(step.capture.recaptured, []);
});

test("a module switched to evaluation mode between steps: the step is captured anew (dropout off), equal to eager steps bit for bit", () => {
  const data = batches([9, 9, 9, 9, 9, 9], [13], 5);
  const make = (): Run => {
    const model = new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Dropout(0.5), new mn.nn.Linear(17, 5));
    return { model, opt: new mn.optim.SGD(model.parameters(), { lr: 0.1 }) };
  };
  const { eager, captured, step } = twins(make, data, { between: (run, i) => { if (i === 2) run.model.eval(); } });
  assertSame(captured, eager);
  assert.deepEqual(step.capture.recaptured, ["a Dropout layer's training mode changed"]);
});

test("after replays, grads cleared outside the step (zeroGrad) are set again by the next replay to the tensors it wrote", () => {
  const data = batches([9, 9, 9, 9], [13], 5);
  const { eager, captured } = twins(mlp, data, { between: (run) => run.opt.zeroGrad() });
  assertSame(captured, eager);
  assert.ok(captured.grads.every((gs) => gs.every((g) => g !== null)));
});

test("a replay that throws when it is checked (work that fails when run again) leaves the step eager with a note quoting the error", () => {
  const { notes, step } = compiled((run) => (x, y) => {
    run.opt.zeroGrad();
    const loss = F.crossEntropy(run.model.forward(x), y);
    loss.backward();
    let runs = 0;
    inPlan("a one-shot check", () => { if (++runs > 1) throw new Error("ran twice"); }, []);
    run.opt.step();
    return loss;
  });
  assert.deepEqual(notes, [`${PREFIX}its replay failed: ran twice`]);
  assert.equal(step.capture.lastRun, "eager");
});

test("JavaScript that computes from the batch outside any kernel, with the first two batches the same: the first different batch verifies again, and the losses stay those of eager steps", () => {
  // A batch repeated is what a warm-up on one batch, or full-batch training, gives the first two calls.
  const data = batches([9, 9, 9, 9], [13], 5);
  data[1] = [data[0]![0].clone(), data[0]![1].clone()];
  const body = (run: Run) => stepOn(run, (x) => mn.tensor(Float32Array.from(x.data, (v) => 2 * v)).reshape(x.shape));
  const { notes, losses, step } = compiled(body, data);
  assert.equal(notes.length, 1, notes.join("\n"));
  assert.ok(notes[0]!.startsWith(PREFIX), notes[0]);
  assert.equal(step.capture.lastRun, "eager");
  mn.manualSeed(11);
  const eager = body(mlp());
  assert.deepEqual(losses, data.map(([x, y]) => eager(x, y).item()));
});

test("a step repeated on one batch (full-batch training) replays after its second call, and matches eager steps", () => {
  const data = batches([9], [13], 5);
  const repeated = Array.from({ length: 5 }, () => data[0]!);
  const body = (run: Run) => stepOn(run, (x) => x);
  const { notes, losses, step } = compiled(body, repeated);
  assert.deepEqual(notes, []);
  assert.equal(step.capture.lastRun, "replayed");
  mn.manualSeed(11);
  const eager = body(mlp());
  assert.deepEqual(losses, repeated.map(([x, y]) => eager(x, y).item()));
});

test("a copy inside the step (clone(), to()) is redone by every replay: captured, verified, replayed, and the losses those of eager steps", () => {
  const body = (run: Run) => stepOn(run, (x) => x.clone().to("float64").to("float32"));
  const data = batches([9, 9, 9, 9], [13], 5);
  data[1] = [data[0]![0].clone(), data[0]![1].clone()];
  const { notes, losses, step } = compiled(body, data);
  assert.deepEqual(notes, []);
  assert.equal(step.capture.lastRun, "replayed");
  mn.manualSeed(11);
  const eager = body(mlp());
  assert.deepEqual(losses, data.map(([x, y]) => eager(x, y).item()));
});
