import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// Histories are built by hand from closed-form curves (exponential decay, flat, swinging) with multiplicative
// log-normal noise from a seeded generator, so each finding is checked against a curve whose shape we chose.
type History = mn.train.History;
type EpochLog = mn.train.EpochLog;
type LayerLog = mn.train.LayerLog;

/** level(i) = floor + (start − floor)·e^(−i/tau), times e^(σz): the median of each step's loss is the level. */
export function decay(n: number, o: { start: number; floor: number; tau: number; noise: number; seed?: number }): number[] {
  const g = new mn.Generator(o.seed ?? 1);
  return Array.from({ length: n }, (_, i) => (o.floor + (o.start - o.floor) * Math.exp(-i / o.tau)) * Math.exp(o.noise * g.normal()));
}

export interface Extra {
  stepsPerEpoch?: number;
  lr?: number;
  /** Validation figures for an epoch (1-based) given its mean training loss. */
  val?: (epoch: number, trainLoss: number) => { valLoss: number; accuracy?: number; valAccuracy?: number };
  layers?: LayerSpec[];
  stopReason?: string;
}

export interface LayerSpec {
  name: string;
  ratio: (step: number) => number;
  grad: (step: number) => number;
}

/** A History whose steps carry `losses`; epochs are the means of their steps; layers are sampled every 10 steps. */
export function historyOf(losses: readonly number[], extra: Extra = {}): History {
  const per = extra.stepsPerEpoch ?? 100;
  const lr = extra.lr ?? 0.1;
  const h = new mn.train.History();
  h.steps = losses.map((loss, i) => ({ step: i + 1, epoch: Math.floor(i / per) + 1, loss, lr, gradNorm: Number.isFinite(loss) ? 1 : loss }));
  for (let e = 0; e * per < losses.length; e++) {
    const chunk = losses.slice(e * per, (e + 1) * per);
    const loss = chunk.reduce((a, b) => a + b, 0) / chunk.length;
    const v = extra.val?.(e + 1, loss);
    h.epochs.push(epochLog(e + 1, loss, v?.valLoss ?? null, v?.accuracy ?? null, v?.valAccuracy ?? null, lr, (e + 1) * per));
  }
  for (const spec of extra.layers ?? []) {
    for (let step = 1; step <= losses.length; step += 10) h.layers.push(layerLog(spec.name, step, per, spec.ratio(step), spec.grad(step)));
  }
  h.stopReason = extra.stopReason ?? null;
  return h;
}

/** A History with epoch logs only: [train loss, val loss, train acc, val acc] per epoch. */
export function epochsOnly(rows: readonly (readonly [number, number | null, number | null, number | null])[]): History {
  const h = new mn.train.History();
  h.epochs = rows.map(([loss, valLoss, acc, valAcc], i) => epochLog(i + 1, loss, valLoss, acc, valAcc, 0.1, (i + 1) * 100));
  return h;
}

export function epochLog(epoch: number, loss: number, valLoss: number | null, accuracy: number | null, valAccuracy: number | null,
  lr: number, steps: number): EpochLog {
  return { epoch, loss, accuracy, valLoss, valAccuracy, testLoss: null, testAccuracy: null, lr, steps, seconds: 1 };
}

export function layerLog(name: string, step: number, per: number, ratio: number, gradNorm: number): LayerLog {
  return { step, epoch: Math.floor((step - 1) / per) + 1, name, weightNorm: 10, gradNorm, updateNorm: 10 * ratio, ratio };
}

/** Three healthy parameters: update/weight ~1e-3, gradient norm ~0.5, with a little seeded scatter. */
export function healthyLayers(seed = 7): LayerSpec[] {
  const g = new mn.Generator(seed);
  return ["fc1.weight", "fc1.bias", "fc2.weight"].map((name) => ({
    name, ratio: () => 1e-3 * Math.exp(0.3 * g.normal()), grad: () => 0.5 * Math.exp(0.3 * g.normal()),
  }));
}

export const kinds = (d: mn.train.Diagnosis) => d.findings.map((f) => f.kind);
export const only = (d: mn.train.Diagnosis, kind: mn.train.FindingKind) => {
  const found = d.findings.filter((f) => f.kind === kind);
  assert.equal(found.length, 1, `one ${kind} finding expected, got ${JSON.stringify(kinds(d))}`);
  return found[0]!;
};

/** A run that learns the way a good one does: 2.3 → 0.25 over 10 epochs of 100 steps, validation just above. */
export function healthyRun(extra: Extra = {}): History {
  return historyOf(decay(1000, { start: 2.3, floor: 0.25, tau: 150, noise: 0.1 }), {
    val: (_e, train) => ({ valLoss: train * 1.1 + 0.02, accuracy: 0.97 - 0.3 * train, valAccuracy: 0.96 - 0.3 * train }),
    layers: healthyLayers(), ...extra,
  });
}

