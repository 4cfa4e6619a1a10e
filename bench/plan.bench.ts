/**
 * The captured step's runners side by side: one Fashion-MNIST epoch of the bench's MLP (784-256-256-10, ReLU, Adam
 * lr 1e-3, batch 128, shuffled) on the native backend, eager, then mn.compile replayed by the JavaScript loop over
 * the native kernels, then mn.compile through the native plan (one addon call per step), in rounds, one process, the
 * same seeds: wall seconds per epoch, ms per step and the process's CPU seconds per epoch (user + system, every thread:
 * steadier than wall time on a shared machine; medians over the rounds after a warm-up round), and whether the three
 * end with the same weights, bit for bit. Then the step alone: 300 steps on one fixed batch in each mode (no batch loading),
 * ms per step.
 * Run: `node dist/bench/plan.bench.js [rounds] [threads]` (defaults 5 and 2) after `npm run build`.
 */
import * as mn from "../src/index.node.js";
import type { Kernels } from "../src/backend/kernels.js";
import { kernels, withKernels } from "../src/backend/select.js";
import { median } from "./common.js";
import { adamStep, benchMlp } from "./train-step.js";

const BATCH = 128;
type Mode = "eager" | "compile, JavaScript loop" | "compile, native plan";
const MODES: readonly Mode[] = ["eager", "compile, JavaScript loop", "compile, native plan"];

/** The table a mode runs on: for the JavaScript loop, the native table without its compilePlan. */
function tableFor(mode: Mode): Kernels {
  const { compilePlan, ...withoutPlan } = kernels();
  return mode === "compile, JavaScript loop" ? withoutPlan : { ...withoutPlan, ...(compilePlan ? { compilePlan } : {}) };
}

/** One epoch in `mode`: its seconds, its steps and the weights it ends with. */
function epoch(mode: Mode, train: mn.data.Dataset<mn.Tensor[]>, seed: number): { seconds: number; cpu: number; steps: number; weights: Float32Array[] } {
  const model = benchMlp(seed);
  mn.manualSeed(seed + 1000);
  const loader = new mn.data.DataLoader(train, { batchSize: BATCH, shuffle: true });
  return withKernels(tableFor(mode), () => {
    const step = adamStep(model, mode !== "eager", { onNote: (n) => { throw new Error(n); } });
    let steps = 0;
    const cpuStart = process.cpuUsage(), start = performance.now();
    for (const [x, y] of loader) {
      step(x!, y!);
      steps++;
    }
    const seconds = (performance.now() - start) / 1000, used = process.cpuUsage(cpuStart);
    return { seconds, cpu: (used.user + used.system) / 1e6, steps, weights: model.parameters().map((p) => p.data as Float32Array) };
  });
}

const rounds = Number(process.argv[2] ?? 5), threads = Number(process.argv[3] ?? 2);
mn.setBackend("native");
mn.setNumThreads(threads);
const { train } = mn.data.fashionMnist();
const seconds = new Map<Mode, number[]>(MODES.map((m) => [m, []])), cpu = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
let steps = 0;
for (let r = 0; r <= rounds; r++) {
  const ends = MODES.map((mode) => {
    const e = epoch(mode, train, r);
    if (r > 0) { seconds.get(mode)!.push(e.seconds); cpu.get(mode)!.push(e.cpu); }
    steps = e.steps;
    return e.weights;
  });
  const same = ends.every((w) => w.every((a, i) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(ends[0]![i]!.buffer, ends[0]![i]!.byteOffset, ends[0]![i]!.byteLength))));
  const last = (m: Mode) => (r > 0 ? seconds.get(m)!.at(-1)!.toFixed(3) : "-");
  process.stderr.write(`round ${r}${r === 0 ? " (warm-up)" : ""}: ${MODES.map((m) => `${m} ${last(m)} s`).join(", ")}; weights bit-identical: ${same}\n`);
  if (!same) throw new Error("the three runs ended with different weights");
}
console.log(`| MLP epoch, native, ${threads} threads (${rounds} rounds) | s / epoch | ms / step | CPU s / epoch | runs (s) |`);
console.log("|---|---|---|---|---|");
for (const m of MODES) {
  const s = median(seconds.get(m)!);
  console.log(`| ${m} | ${s.toFixed(3)} | ${((s * 1000) / steps).toFixed(2)} | ${median(cpu.get(m)!).toFixed(3)} | ${seconds.get(m)!.map((v) => v.toFixed(2)).join(", ")} |`);
}

/** `count` steps of a fresh model on one batch in `mode`: wall and CPU ms per step. */
function fixedBatchSteps(mode: Mode, x: mn.Tensor, y: mn.Tensor, count: number): { ms: number; cpuMs: number } {
  const model = benchMlp(0);
  return withKernels(tableFor(mode), () => {
    const step = adamStep(model, mode !== "eager");
    for (let i = 0; i < 5; i++) step(x, y);
    const cpuStart = process.cpuUsage(), start = performance.now();
    for (let i = 0; i < count; i++) step(x, y);
    const used = process.cpuUsage(cpuStart);
    return { ms: (performance.now() - start) / count, cpuMs: (used.user + used.system) / 1000 / count };
  });
}

const [x, y] = [train.tensors[0]!.narrow(0, 0, BATCH).clone(), train.tensors[1]!.narrow(0, 0, BATCH).clone()];
const stepMs = new Map<Mode, number[]>(MODES.map((m) => [m, []])), stepCpu = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
for (let r = 0; r < rounds; r++) {
  for (const m of MODES) {
    const t = fixedBatchSteps(m, x, y, 300);
    stepMs.get(m)!.push(t.ms);
    stepCpu.get(m)!.push(t.cpuMs);
  }
}
console.log(`\n| MLP step on one batch, native, ${threads} threads (${rounds} rounds of 300 steps) | ms / step | CPU ms / step | runs (ms) |`);
console.log("|---|---|---|---|");
for (const m of MODES) {
  console.log(`| ${m} | ${median(stepMs.get(m)!).toFixed(3)} | ${median(stepCpu.get(m)!).toFixed(3)} | ${stepMs.get(m)!.map((v) => v.toFixed(2)).join(", ")} |`);
}
