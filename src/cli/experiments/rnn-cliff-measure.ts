import { grad } from "../../autograd/grad.js";
import { addingProblem } from "../../data/datasets/adding-problem.js";
import { spectralRadius } from "../../landscape/spectral-radius.js";
import { mseLoss } from "../../nn/losses/regression.js";
import { Linear } from "../../nn/linear.js";
import { Module } from "../../nn/module.js";
import { RNN, rnnCell } from "../../nn/rnn.js";
import { clipGradNorm } from "../../nn/utils/clip-grad.js";
import { SGD } from "../../optim/sgd.js";
import { tensor, zeros } from "../../tensor/create.js";
import { Generator } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";

/** What the rnn-cliff experiment varies (the command's flags). */
export interface RnnCliffSettings {
  /** Steps per sequence of the adding problem. */
  length: number;
  hidden: number;
  trainSize: number;
  batchSize: number;
  steps: number;
  lr: number;
  momentum: number;
  /** The clipped run's maxNorm (the other run is not clipped). */
  clipNorm: number;
  seed: number;
  /** The spectral radii W_hh is rescaled to for the gradient norms through time. */
  radii: number[];
  /** Sequences in the held-out set (the final loss and the probes). */
  testSize: number;
  /** Points of the loss along the cliff's direction, from −¼ to 1¼ of the SGD step (a multiple of 6, plus 1, puts one at the weights). */
  slicePoints: number;
}

/** One training run, per optimizer step: the batch's loss, the gradient's norm before clipping, ρ(W_hh) after the step. */
export interface TrainingRun {
  clipNorm: number | null;
  loss: number[];
  gradNorm: number[];
  radius: number[];
  /** The first step whose loss or gradient norm was not finite (the run stopped there), or null. */
  divergedAt: number | null;
  /** Mean squared error on the held-out sequences after the last step (NaN when diverged). */
  testLoss: number;
}

/** The loss along the unclipped run's descent direction at its cliff step, on that step's batch. */
export interface CliffSlice {
  step: number;
  gradNorm: number;
  /** Distances along −g/‖g‖ from the weights before the step. */
  distances: number[];
  losses: number[];
  /** How far plain SGD moves at that step (lr·‖g‖), and how far with the gradient clipped (lr·min(‖g‖, clipNorm)). */
  unclippedStep: number;
  clippedStep: number;
}

/** ‖∂L/∂h_t‖ for t = 1…length at the initial weights with W_hh rescaled to spectral radius `radius`, on the held-out probe. */
export interface ThroughTime {
  radius: number;
  loss: number;
  gradNorms: number[];
}

export interface RnnCliffResult {
  settings: RnnCliffSettings;
  /** Held-out mean squared error of predicting the training targets' mean (the model that remembers nothing). */
  baselineLoss: number;
  initialRadius: number;
  runs: [TrainingRun, TrainingRun];
  cliff: CliffSlice;
  throughTime: ThroughTime[];
}

/** An Elman RNN reading the adding problem's sequences, a linear head on its last hidden state. */
export class AddingRnn extends Module {
  readonly rnn: RNN;
  readonly head: Linear;

  constructor(hidden: number, generator: Generator) {
    super();
    this.rnn = new RNN(2, hidden, { batchFirst: true, generator });
    this.head = new Linear(hidden, 1, { generator });
  }

  forward(x: Tensor): Tensor {
    const [, hN] = this.rnn.forward(x);
    return this.head.forward(hN.select(0, 0));
  }

  get weightHh(): Tensor {
    return this.rnn.weights[0]![0]!.weightHh;
  }
}

/**
 * The experiment: the same RNN, data and batch order trained twice by SGD, without and with gradient clipping; the loss
 * along the descent direction where the unclipped run first met a gradient 10× the median of those before (its cliff);
 * the gradient norms through time at the initial weights for several spectral radii of W_hh (Pascanu et al. 2013).
 * `onStep` hears every step (progress).
 */
export function measureRnnCliff(s: RnnCliffSettings, onStep: (run: number, step: number) => void = () => {}): RnnCliffResult {
  const data = addingProblem(s.trainSize, s.length, { generator: new Generator(s.seed) });
  const test = addingProblem(s.testSize, s.length, { generator: new Generator(s.seed + 1) });
  const meanTarget = Array.from(data.y.data).reduce((a, b) => a + b, 0) / s.trainSize;
  const baselineLoss = Array.from(test.y.data).reduce((a, b) => a + (b - meanTarget) ** 2, 0) / s.testSize;
  const fresh = () => new AddingRnn(s.hidden, new Generator(s.seed + 2));
  const snapshots: Float64Array[] = [];
  const batches: Int32Array[] = [];
  const runs = [null, s.clipNorm].map((clip, r) =>
    train(fresh(), data, test, s, clip, (step, model, idx) => {
      onStep(r, step);
      if (clip === null) {
        snapshots.push(flatten(model.parameters().map((p) => p.data)));
        batches.push(idx);
      }
    })) as [TrainingRun, TrainingRun];
  const step = cliffStep(runs[0].gradNorm);
  const model = fresh();
  return {
    settings: s,
    baselineLoss,
    initialRadius: spectralRadius(model.weightHh),
    runs,
    cliff: sliceAt(model, data, batches[step]!, snapshots[step]!, step, s),
    throughTime: s.radii.map((radius) => throughTime(fresh(), test, radius)),
  };
}

function train(
  model: AddingRnn, data: { x: Tensor; y: Tensor }, test: { x: Tensor; y: Tensor }, s: RnnCliffSettings, clipNorm: number | null,
  before: (step: number, model: AddingRnn, batch: Int32Array) => void,
): TrainingRun {
  const params = model.parameters();
  const opt = new SGD(params, { lr: s.lr, momentum: s.momentum });
  const order = new Generator(s.seed + 3);
  const run: TrainingRun = { clipNorm, loss: [], gradNorm: [], radius: [], divergedAt: null, testLoss: NaN };
  for (let step = 0; step < s.steps; step++) {
    const idx = Int32Array.from({ length: s.batchSize }, () => order.integer(0, s.trainSize));
    before(step, model, idx);
    const picked = tensor(idx);
    opt.zeroGrad();
    const loss = mseLoss(model.forward(data.x.indexSelect(0, picked)), data.y.indexSelect(0, picked));
    loss.backward();
    const norm = clipGradNorm(params, clipNorm ?? Infinity);
    run.loss.push(loss.item());
    run.gradNorm.push(norm);
    if (!Number.isFinite(loss.item()) || !Number.isFinite(norm)) {
      run.divergedAt = step;
      return run;
    }
    opt.step();
    run.radius.push(spectralRadius(model.weightHh));
  }
  run.testLoss = mseLoss(model.forward(test.x), test.y).item();
  return run;
}

/** The first step (after 10) whose gradient norm is 10× the median of those before it, else the largest finite one. */
export function cliffStep(gradNorms: readonly number[]): number {
  for (let i = 10; i < gradNorms.length; i++) {
    const before = gradNorms.slice(0, i).sort((a, b) => a - b);
    if (gradNorms[i]! > 10 * before[Math.floor(i / 2)]!) return i;
  }
  let best = 0;
  gradNorms.forEach((g, i) => { if (Number.isFinite(g) && g > gradNorms[best]!) best = i; });
  return best;
}

function sliceAt(model: AddingRnn, data: { x: Tensor; y: Tensor }, batch: Int32Array, weights: Float64Array, step: number, s: RnnCliffSettings): CliffSlice {
  const params = model.parameters();
  setFlat(params, weights);
  const picked = tensor(batch);
  const x = data.x.indexSelect(0, picked), y = data.y.indexSelect(0, picked);
  const g = flatten(grad(mseLoss(model.forward(x), y), params).map((t) => t.data));
  const gradNorm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
  const unclippedStep = s.lr * gradNorm;
  const clippedStep = s.lr * Math.min(gradNorm, s.clipNorm);
  const distances = Array.from({ length: s.slicePoints }, (_, i) => (-0.25 + (1.5 * i) / (s.slicePoints - 1)) * unclippedStep);
  const losses = distances.map((d) => {
    setFlat(params, weights.map((w, j) => w - (d * g[j]!) / gradNorm));
    return mseLoss(model.forward(x), y).item();
  });
  return { step, gradNorm, distances, losses, unclippedStep, clippedStep };
}

function throughTime(model: AddingRnn, test: { x: Tensor; y: Tensor }, radius: number): ThroughTime {
  const w = model.rnn.weights[0]![0]!;
  const scaled = { ...w, weightHh: w.weightHh.mul(radius / spectralRadius(w.weightHh)) };
  const steps = test.x.shape[1]!;
  let h = zeros([test.x.shape[0]!, model.rnn.hiddenSize], { dtype: w.weightHh.dtype });
  const hs: Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    h = rnnCell(test.x.select(1, t), h, scaled, "tanh");
    hs.push(h);
  }
  const loss = mseLoss(model.head.forward(h), test.y);
  const grads = grad(loss, hs);
  return { radius, loss: loss.item(), gradNorms: grads.map((g) => Math.sqrt(Array.from(g.data).reduce((a, v) => a + v * v, 0))) };
}

function flatten(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p as ArrayLike<number>, at); at += p.length; }
  return out;
}

function setFlat(params: readonly Tensor[], values: Float64Array): void {
  let at = 0;
  for (const p of params) { p.data.set(values.subarray(at, at + p.data.length)); at += p.data.length; }
}
