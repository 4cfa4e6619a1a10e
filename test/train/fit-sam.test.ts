import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { DataLoader } from "../../src/data/data-loader.js";
import { Generator } from "../../src/tensor/random.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { testErrorCases } from "../helpers/error-cases.js";
import { digits, sameWeights, tmp } from "./fit-helpers.js";

const { fit } = mn.train;
const F = mn.nn.functional;

function bnModel(seed: number): mn.nn.Module {
  mn.manualSeed(seed);
  return mn.nn.mlp({ inputs: 784, hidden: [24], outputs: 10, batchNorm: true });
}

const sgdBase = (p: mn.optim.Params<mn.optim.SGDOptions>) => new mn.optim.SGD(p, { lr: 0.05, momentum: 0.9 });

describe("fit with SAM", () => {
  test("is the hand-written SAM loop: g at w, e = ρg/(‖g‖ + 1e-12), g at w + e (BN statistics frozen), back to w, clip, SGD step; bit-identical weights and losses at w", () => {
    const { train } = digits(120);
    const a = bnModel(1), b = bnModel(1);
    const sam = new mn.optim.SAM(a.parameters(), { base: sgdBase, rho: 0.1 });
    const h = fit(a, { train, optimizer: sam, epochs: 2, batchSize: 40, seed: 3, clipGradNorm: 0.5, verbose: 0 });
    const sgd = sgdBase(b.parameters());
    const params = b.parameters();
    const loader = new DataLoader(train, { batchSize: 40, shuffle: true, generator: new Generator(3 * 2 + 1) });
    const losses: number[] = [], norms: number[] = [];
    const gradAt = (x: Tensor, y: Tensor) => { sgd.zeroGrad(); const l = F.crossEntropy(b.forward(x), y); l.backward(); return l.item(); };
    for (let e = 0; e < 2; e++) for (const [x, y] of loader) {
      losses.push(gradAt(x!, y!));
      let sq = 0;
      for (const p of params) for (const g of p.grad!.data) sq += g * g;
      const scale = 0.1 / (Math.sqrt(sq) + 1e-12);
      const w = params.map((p) => p.data.slice());
      for (const p of params) { const g = p.grad!.data; for (let i = 0; i < g.length; i++) p.data[i]! += g[i]! * scale; }
      mn.nn.frozenRunningStats(() => gradAt(x!, y!));
      params.forEach((p, i) => p.data.set(w[i]!));
      norms.push(mn.nn.utils.clipGradNorm(params, 0.5));
      sgd.step();
    }
    sameWeights(a, b);
    assert.deepEqual(h.steps.map((s) => s.loss), losses);
    // fit records the norm of the gradient it steps with: the clipped sharpness-aware one.
    h.steps.forEach((s, k) => assert.ok(Math.abs(s.gradNorm - Math.min(norms[k]!, 0.5)) < 1e-6, `step ${k + 1}: ${s.gradNorm} vs ${norms[k]}`));
  });

  test("m = 3: the step's loss and accuracy are the batch's at w (an MLP without batch norm: the chunks' size-weighted means are the batch's)", () => {
    const { train } = digits(50);
    mn.manualSeed(2);
    const m = mn.nn.mlp({ inputs: 784, hidden: [16], outputs: 10, dtype: "float64" });
    const [x, y] = train.tensors as [Tensor, Tensor];
    const x64 = new mn.Tensor(Float64Array.from(x.data), x.shape);
    const data = new mn.data.TensorDataset(x64, y);
    const out = m.forward(x64);
    const full = F.crossEntropy(out, y).item();
    const correct = Array.from(out.argmax(1).data).filter((c, i) => c === y.data[i]).length;
    const sam = new mn.optim.SAM(m.parameters(), { base: sgdBase, m: 3 });
    const h = fit(m, { train: data, optimizer: sam, epochs: 1, batchSize: 50, shuffle: false, verbose: 0 });
    assert.ok(Math.abs(h.steps[0]!.loss - full) < 1e-13, `${h.steps[0]!.loss} vs ${full}`);
    assert.equal(h.epochs[0]!.accuracy, correct / 50);
  });

  test("a scheduler given to fit with SAM sets the lr the base optimizer steps with", () => {
    const { train } = digits(80);
    const m = bnModel(5);
    const sam = new mn.optim.SAM(m.parameters(), { base: sgdBase });
    const sched = new mn.optim.lrScheduler.StepLR(sam, { stepSize: 1, gamma: 0.5 });
    const h = fit(m, { train, optimizer: sam, scheduler: { scheduler: sched, interval: "step" }, epochs: 1, batchSize: 20, verbose: 0 });
    assert.deepEqual(h.steps.map((s) => s.lr), [0.05, 0.025, 0.0125, 0.00625]);
    assert.equal(sam.base.paramGroups[0]!.lr, 0.003125);
  });
});

describe("fit with SAM: checkpoints and resume", () => {
  // Batch norm, dropout in both passes (global generator), momentum, a per-step schedule on SAM.
  const setup = (dir: string) => {
    const { train } = digits(120);
    mn.manualSeed(6);
    const m = mn.nn.mlp({ inputs: 784, hidden: [24], outputs: 10, batchNorm: true, dropout: 0.2 });
    const sam = new mn.optim.SAM(m.parameters(), { base: sgdBase, rho: 0.1, m: 2 });
    const sched = new mn.optim.lrScheduler.CosineAnnealingLR(sam, { tMax: 12 });
    const options = (callbacks: mn.train.Callback[], resume: mn.train.Checkpoint | null = null): mn.train.FitOptions => ({
      train, optimizer: sam, scheduler: { scheduler: sched, interval: "step" }, epochs: 3, batchSize: 30, seed: 2, verbose: 0,
      callbacks: [new mn.train.callbacks.ModelCheckpoint({ dir, everySteps: 3, monitor: "loss" }), ...callbacks], resume,
    });
    return { m, options };
  };

  test("a run killed mid-epoch and resumed from its last checkpoint ends bit-identical to one never interrupted", () => {
    const whole = setup(tmp());
    mn.manualSeed(9);
    const h = fit(whole.m, whole.options([]));
    const dir = tmp(), first = setup(dir);
    mn.manualSeed(9);
    const kill = new mn.train.callbacks.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 7) throw new Error("killed"); } });
    assert.throws(() => fit(first.m, first.options([kill])), /killed/);
    const saved = mn.train.loadCheckpoint(dir, "last");
    assert.equal(saved.state.step, 6);
    const resumed = setup(dir);
    mn.manualSeed(12345);
    const h2 = fit(resumed.m, resumed.options([], saved));
    sameWeights(whole.m, resumed.m);
    assert.deepEqual(h2.steps.map((s) => s.loss), h.steps.map((s) => s.loss));
  });
});

describe("fit refuses a SAM whose chunks a batch cannot fill, with exact messages", () => {
  const { train } = digits(50);
  const run = (m: number, batchSize: number) => {
    const model = bnModel(0);
    return fit(model, { train, optimizer: new mn.optim.SAM(model.parameters(), { base: sgdBase, m }), epochs: 1, batchSize, verbose: 0 });
  };
  testErrorCases([
    ["batchSize below m", () => run(8, 4),
      "fit: SAM's m = 8 splits each batch into 8 chunks, but a batch holds 4 samples; expected batchSize (and training samples) ≥ m"],
    ["a last batch below m", () => run(4, 16),
      "fit: SAM's m = 4 splits each batch into 4 chunks, but the last batch of an epoch holds 2 samples (50 samples in batches of 16); expected dropLast: true, or a batch size that leaves m samples or more in the last batch"],
  ]);
});
