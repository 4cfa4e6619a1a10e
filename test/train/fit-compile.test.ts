import { describe, mock, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { mnist } from "../../src/data/index.node.js";
import { TensorDataset } from "../../src/data/dataset.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { digits, model, sameWeights, tmp } from "./fit-helpers.js";

const { fit, callbacks: cb } = mn.train;

/**
 * A model that counts its forward passes in training mode: an eager step calls forward, a replayed one does not
 * (it runs the kernels the capture recorded), so the count tells how many steps ran as JavaScript.
 */
class Counting extends mn.nn.Module {
  calls = 0;
  constructor(readonly inner: mn.nn.Module) {
    super();
  }
  forward(x: Tensor): Tensor {
    if (this.training) this.calls++;
    return this.inner.forward(x);
  }
}

/**
 * Checks that a compiled run ran its step in JavaScript only to capture it: once per capture, and at most once more
 * where mn.compile verifies the replay against an eager run (its second call with a shape); every other step replayed.
 */
function onlyCaptured(calls: number, captures: number, steps: number): void {
  assert.ok(calls >= captures && calls <= 2 * captures && calls < steps, `${calls} forward passes for ${captures} captures in ${steps} steps`);
}

/** A History as JSON without the epochs' wall-clock seconds, the one field two identical runs may differ in. */
const record = (h: mn.train.History) => {
  const json = h.toJSON();
  return { ...json, epochs: json.epochs.map(({ seconds: _s, ...e }) => e) };
};

/** The small CNN: conv 3×3 → ReLU → maxpool 2 → dense, on `n` embedded digits [n, 1, 28, 28]. */
function cnnSetup(n: number, seed: number): { train: TensorDataset; model: Counting } {
  const [x, y] = mnist().train.tensors as [Tensor, Tensor];
  mn.manualSeed(seed);
  const nn = mn.nn;
  const net = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(4 * 13 * 13, 10));
  return { train: new TensorDataset(x.narrow(0, 0, n).clone(), y.narrow(0, 0, n).clone()), model: new Counting(net) };
}

describe("fit({ compile: true })", () => {
  test("an MLP with Adam, a per-step schedule, metrics and layer statistics: bit-identical weights, gradients and History to eager fit; replays all but the two batch shapes' first steps", () => {
    const { train, val } = digits(200);
    const top3 = mn.metrics.topKAccuracy(3);
    const run = (compile: boolean) => {
      const m = new Counting(model(4));
      const opt = new mn.optim.Adam(m.parameters(), { lr: 3e-3 });
      const sched = new mn.optim.lrScheduler.LinearLR(opt, { startFactor: 1, endFactor: 0.2, totalIters: 12 });
      const h = fit(m, { train, val, optimizer: opt, scheduler: { scheduler: sched, interval: "step" }, epochs: 3, batchSize: 48, seed: 5,
        metrics: ["accuracy", top3], layerStatsEvery: 2, verbose: 0, compile });
      return { m, h };
    };
    const eager = run(false), compiled = run(true);
    sameWeights(eager.m, compiled.m);
    assert.deepEqual(record(compiled.h), record(eager.h));
    assert.equal(eager.h.steps.length, 15); // 4 batches of 48 and one of 8, three times
    assert.ok(eager.h.layers.length > 0 && compiled.h.events.length === 0);
    assert.equal(eager.m.calls, 15);
    onlyCaptured(compiled.m.calls, 2, 15); // a batch of 48 and a batch of 8
    // After the run, p.grad holds the last step's gradients, as eager fit leaves them.
    eager.m.parameters().forEach((p, i) => assert.deepEqual(compiled.m.parameters()[i]!.grad!.data, p.grad!.data));
  });

  test("a small CNN (conv, ReLU, max pool, dense) with SGD momentum and weight decay: bit-identical weights and History to eager fit", () => {
    const run = (compile: boolean) => {
      const { train, model: m } = cnnSetup(80, 6);
      const opt = new mn.optim.SGD(m.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 1e-3 });
      const h = fit(m, { train, optimizer: opt, epochs: 2, batchSize: 32, seed: 1, verbose: 0, compile });
      return { m, h };
    };
    const eager = run(false), compiled = run(true);
    sameWeights(eager.m, compiled.m);
    assert.deepEqual(record(compiled.h), record(eager.h));
    assert.equal(eager.m.calls, 6);
    onlyCaptured(compiled.m.calls, 2, 6); // batches of 32 and of 16
  });

  test("clipGradNorm inside the captured step: bit-identical weights and History to eager fit", () => {
    const { train } = digits(96);
    const run = (compile: boolean) => {
      const m = new Counting(model(5));
      const h = fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.2, momentum: 0.9 }), epochs: 2, batchSize: 32, seed: 1, clipGradNorm: 0.5, verbose: 0, compile });
      return { m, h };
    };
    const eager = run(false), compiled = run(true);
    sameWeights(eager.m, compiled.m);
    assert.deepEqual(record(compiled.h), record(eager.h));
    assert.ok(eager.h.steps.some((s) => Math.abs(s.gradNorm - 0.5) < 1e-5), "some steps were clipped to 0.5");
    onlyCaptured(compiled.m.calls, 1, 6);
  });

  test("a transform and a penalty: the transform runs eagerly before the captured step, the penalty inside it; bit-identical to eager", () => {
    const { train } = digits(96);
    const noise = (batch: Tensor[], g: mn.Generator) => [batch[0]!.add(mn.randn(batch[0]!.shape, { generator: g }).mul(0.1)), batch[1]!];
    const run = (compile: boolean) => {
      const m = new Counting(model(2));
      const opt = new mn.optim.SGD(m.parameters(), { lr: 0.1 });
      const h = fit(m, { train, optimizer: opt, epochs: 2, batchSize: 32, seed: 3, transform: noise, penalty: (mm) => mn.nn.l2Penalty(mn.nn.decayedParameters(mm), 1e-3), verbose: 0, compile });
      return { m, h };
    };
    const eager = run(false), compiled = run(true);
    sameWeights(eager.m, compiled.m);
    assert.deepEqual(record(compiled.h), record(eager.h));
    assert.equal(eager.m.calls, 6);
    onlyCaptured(compiled.m.calls, 1, 6);
  });

  test("a divergence guard's rollback (the optimizer's state replaced) makes fit capture anew; the run equals eager fit bit for bit", () => {
    const { train } = digits(96);
    const run = (compile: boolean) => {
      const m = new Counting(model(1));
      const opt = new mn.optim.Adam(m.parameters(), { lr: 1 }); // explodes at step 2, trains on at lr 0.1 after the rollback
      const h = fit(m, { train, optimizer: opt, epochs: 6, batchSize: 32, seed: 2, callbacks: [new cb.DivergenceGuard({ action: "rollback", maxRollbacks: 2 })], verbose: 0, compile });
      return { m, h };
    };
    const eager = run(false), compiled = run(true);
    assert.ok(eager.h.events.some((e) => e.message.startsWith("divergence guard:")), "the guard rolled back");
    sameWeights(eager.m, compiled.m);
    assert.deepEqual(record(compiled.h), record(eager.h));
    const rollbacks = eager.h.events.filter((e) => e.message.startsWith("divergence guard:")).length;
    onlyCaptured(compiled.m.calls, 1 + rollbacks, eager.m.calls); // one capture at the start and one after each rollback
  });

  test("a run with a checkpoint, killed and resumed with compile, ends bit-identical to an eager run never interrupted", () => {
    const { train, val } = digits(128);
    const setup = (dir: string, compile: boolean, callbacks: mn.train.Callback[] = [], resume: mn.train.Checkpoint | null = null) => {
      const m = model(7);
      const opt = new mn.optim.Adam(m.parameters(), { lr: 2e-3 });
      const options: mn.train.FitOptions = { train, val, optimizer: opt, epochs: 3, batchSize: 40, seed: 4, verbose: 0, compile,
        callbacks: [new cb.ModelCheckpoint({ dir, everySteps: 3 }), ...callbacks], resume };
      return { m, options };
    };
    const whole = setup(tmp(), false);
    const h = fit(whole.m, whole.options);
    const dir = tmp();
    const first = setup(dir, true, [new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 7) throw new Error("killed"); } })]);
    assert.throws(() => fit(first.m, first.options), /killed/);
    const saved = mn.train.loadCheckpoint(dir, "last");
    assert.equal(saved.state.step, 6);
    const resumed = setup(dir, true, [], saved);
    const h2 = fit(resumed.m, resumed.options);
    sameWeights(whole.m, resumed.m);
    assert.deepEqual(record(h2), record(h));
  });
});

describe("fit({ compile: true }) runs eagerly, with a note, what it cannot capture", () => {
  const notes = (compileOptions: Partial<mn.train.FitOptions>, make: (m: mn.nn.Module) => mn.optim.Optimizer<mn.optim.GroupOptions> = (m) => new mn.optim.SGD(m.parameters(), { lr: 0.05 })) => {
    const { train } = digits(64);
    const run = (compile: boolean) => {
      const m = new Counting(model(3));
      const h = fit(m, { train, optimizer: make(m), epochs: 2, batchSize: 32, seed: 0, verbose: 0, ...compileOptions, compile });
      return { m, h };
    };
    const eager = run(false), compiled = run(true);
    sameWeights(eager.m, compiled.m);
    const withoutEvents = ({ events: _e, ...r }: ReturnType<typeof record>) => r;
    assert.deepEqual(withoutEvents(record(compiled.h)), withoutEvents(record(eager.h)));
    assert.deepEqual(eager.h.events, []);
    assert.equal(compiled.m.calls, eager.m.calls, "every step ran eagerly");
    return compiled.h.events;
  };

  test("SAM: every step eager, one note in history.events (exact text)", () => {
    const events = notes({}, (m) => new mn.optim.SAM(m.parameters(), { base: (ps) => new mn.optim.SGD(ps, { lr: 0.05 }), rho: 0.05 }) as never);
    assert.deepEqual(events, [{ step: 1, epoch: 1, message: "fit: compile is on, but every step runs eagerly: SAM's closure runs forward and backward twice per step, which fit does not capture" }]);
  });

  test("a callback with onBeforeStep (GradientNoise): every step eager, one note naming it (exact text)", () => {
    const events = notes({ callbacks: [new cb.GradientNoise({ eta: 0.01 })] });
    assert.deepEqual(events, [{ step: 1, epoch: 1, message: "fit: compile is on, but every step runs eagerly: the callback GradientNoise has onBeforeStep, JavaScript between backward and the optimizer step that a replay would skip" }]);
  });

  test("the note goes to the console (console.warn) unless verbose is 0", () => {
    const { train } = digits(32);
    const warn = mock.method(console, "warn", () => {});
    const log = mock.method(console, "log", () => {});
    try {
      for (const verbose of [2, 0] as const) {
        const m = model(0);
        fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.05 }), epochs: 1, batchSize: 32, verbose, compile: true, callbacks: [new cb.WeightNoise({ std: 0.01 })] });
      }
    } finally {
      warn.mock.restore();
      log.mock.restore();
    }
    assert.deepEqual(warn.mock.calls.map((c) => c.arguments), [["fit: compile is on, but every step runs eagerly: the callback WeightNoise has onBeforeStep, JavaScript between backward and the optimizer step that a replay would skip"]]);
  });

  test("compile must be a boolean (exact message)", () => {
    const { train } = digits(32);
    const m = model(0);
    assert.throws(() => fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.05 }), epochs: 1, compile: "yes" as never }),
      { message: 'fit: invalid compile; expected true or false, got "yes"' });
  });
});
