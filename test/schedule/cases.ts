import * as mn from "../../src/index.node.js";
import { loadFixture } from "../helpers/fixtures.js";

const S = mn.optim.lrScheduler;
type Scheduler = InstanceType<typeof S.LRScheduler>;

/** The lambdas tools/gen_schedule_fixtures.py names, written the same way. */
export const LAMBDAS: Record<string, (e: number) => number> = {
  exp095: (e) => 0.95 ** e,
  inv005: (e) => 1 / (1 + 0.05 * e),
  step10: (e) => (e % 10 === 0 ? 0.9 : 1),
  const099: () => 0.99,
};

/** A scheduler and its options as the fixture stores them; composites list their parts. */
export interface Spec {
  scheduler: string;
  options: any;
}

export interface Case extends Spec {
  desc: string;
  groups: number[];
  metrics?: number[];
  /** lrs[g][k]: group g's lr after k steps (PyTorch's, in the fixture). */
  lrs?: number[][];
}

/** The torch 1.13 cases of test/fixtures/schedulers.json. */
export const torchCases = (): Case[] => loadFixture("schedulers.json").cases;

/** An SGD optimizer with one single-parameter group per lr. */
export function makeOptimizer(groups: readonly number[]): mn.optim.SGD {
  return new mn.optim.SGD(groups.map((lr) => ({ params: [mn.zeros([1], { requiresGrad: true })], lr })), { lr: groups[0]! });
}

export function build(opt: mn.optim.SGD, spec: Spec): Scheduler {
  const o = spec.options;
  if (spec.scheduler === "SequentialLR") return new S.SequentialLR(opt, { schedulers: o.schedulers.map((s: Spec) => build(opt, s)), milestones: o.milestones });
  if (spec.scheduler === "ChainedScheduler") return new S.ChainedScheduler(o.schedulers.map((s: Spec) => build(opt, s)));
  const options = { ...o };
  if (typeof o.lrLambda === "string") options.lrLambda = LAMBDAS[o.lrLambda];
  if (Array.isArray(o.lrLambda)) options.lrLambda = o.lrLambda.map((n: string) => LAMBDAS[n]);
  return new (S as any)[spec.scheduler](opt, options);
}

const lrsOf = (opt: mn.optim.SGD) => opt.paramGroups.map((g) => g.lr);

/** Steps a scheduler (feeding the case's metrics) from step `from` to `to`, appending each group's lr. */
export function stepThrough(c: Case, opt: mn.optim.SGD, sched: Scheduler, from: number, to: number, out: number[][]): void {
  for (let k = from; k < to; k++) {
    if (c.metrics) (sched as any).step(c.metrics[k]);
    else sched.step();
    lrsOf(opt).forEach((lr, g) => out[g]!.push(lr));
  }
}

/** The lr sequence over `steps` steps: out[g][k] is group g's lr after k steps. */
export function run(c: Case, steps: number): number[][] {
  const opt = makeOptimizer(c.groups);
  const sched = build(opt, c);
  const out = lrsOf(opt).map((lr) => [lr]);
  stepThrough(c, opt, sched, 0, steps - 1, out);
  return out;
}

/** The same sequence, but stopped after k steps, saved as JSON and continued in fresh objects. */
export function runResumed(c: Case, steps: number, k: number): number[][] {
  const opt = makeOptimizer(c.groups);
  const sched = build(opt, c);
  const out = lrsOf(opt).map((lr) => [lr]);
  stepThrough(c, opt, sched, 0, k, out);
  const saved = JSON.stringify({ opt: opt.stateDict(), sched: sched.stateDict() });
  const opt2 = makeOptimizer(c.groups);
  const sched2 = build(opt2, c);
  const { opt: so, sched: ss } = JSON.parse(saved);
  opt2.loadStateDict(so);
  sched2.loadStateDict(ss);
  stepThrough(c, opt2, sched2, k, steps - 1, out);
  return out;
}

/** A deterministic noisy loss curve with a plateau, for ReduceLROnPlateau cases beyond the fixture. */
export function lossCurve(n: number): number[] {
  return Array.from({ length: n }, (_, k) => 0.2 + Math.exp(-k / 30) + 0.02 * Math.sin(k * 1.7) + (k > 150 ? 0.1 : 0));
}

const sub = (scheduler: string, options: object): Spec => ({ scheduler, options });

/** Cases without a torch counterpart: our own schedules and the compositions PyTorch cannot do. */
export const extraCases: Case[] = [
  { desc: "1/t decay", scheduler: "InverseTimeLR", options: { decaySteps: 10, decayRate: 0.5 }, groups: [0.1, 0.05] },
  { desc: "1/t decay, staircase", scheduler: "InverseTimeLR", options: { decaySteps: 7, decayRate: 1, staircase: true }, groups: [0.1] },
  { desc: "warmup 20 then 1/√t", scheduler: "InverseSqrtLR", options: { warmupSteps: 20 }, groups: [0.1, 0.05] },
  { desc: "warmup from 0.01 over 30", scheduler: "InverseSqrtLR", options: { warmupSteps: 30, warmupInitLr: 0.01 }, groups: [0.1] },
  { desc: "LinearLR warmup then ReduceLROnPlateau", scheduler: "SequentialLR", groups: [0.1, 0.05], metrics: lossCurve(250),
    options: { schedulers: [sub("LinearLR", { startFactor: 0.1, totalIters: 20 }), sub("ReduceLROnPlateau", { factor: 0.5, patience: 3, cooldown: 2, minLr: 1e-3 })], milestones: [20] } },
  { desc: "warmup, warm restarts, then ReduceLROnPlateau", scheduler: "SequentialLR", groups: [0.1], metrics: lossCurve(250),
    options: { schedulers: [sub("LinearLR", { startFactor: 0.5, totalIters: 10 }), sub("CosineAnnealingWarmRestarts", { t0: 15, tMult: 2 }),
      sub("ReduceLROnPlateau", { factor: 0.3, patience: 2 })], milestones: [10, 100] } },
  { desc: "ExponentialLR × ReduceLROnPlateau", scheduler: "ChainedScheduler", groups: [0.1, 0.05], metrics: lossCurve(250),
    options: { schedulers: [sub("ExponentialLR", { gamma: 0.995 }), sub("ReduceLROnPlateau", { factor: 0.5, patience: 4 })] } },
  { desc: "MultiplicativeLR as a second segment", scheduler: "SequentialLR", groups: [0.1],
    options: { schedulers: [sub("ConstantLR", { factor: 0.5, totalIters: 10 }), sub("MultiplicativeLR", { lrLambda: "const099" })], milestones: [30] } },
];
