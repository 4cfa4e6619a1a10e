/**
 * What subnormal first moments cost Adam's fused step on the native backend: the MLP's 269,322 float32 parameters,
 * one thread, with none of the moments subnormal and with every tenth (the share the bench's MLP holds after its
 * second epoch, BENCHMARKS.md), kept subnormal by rewriting them every tenth step. Median µs per step over 200
 * steps, alternating the two settings in rounds. Run: `node dist/bench/adam-subnormal.bench.js` after `npm run build`.
 */
import { nativeStatus } from "../src/backend/native/index.js";
import { median } from "./common.js";

if (!nativeStatus.loaded) throw new Error(`the native backend is not available: ${nativeStatus.reason}`);
const addon = nativeStatus.addon;
addon.setNumThreads(1);
const N = 269_322, SUBNORMAL = 1e-39;
// Adam's coefficients as src/optim/adam.ts passes them: b1, 1 − b1, b2, 1 − b2, stepSize, bc2, √bc2, eps, l2, shrink, sign, epsInsideSqrt
const K = new Float64Array([0.9, 0.1, 0.999, 0.001, 1e-3, 0.5, Math.SQRT1_2, 1e-8, 0, 1, 1, 0]);

function microseconds(share: number): number {
  const p = new Float32Array(N).fill(0.01), g = new Float32Array(N), m = new Float32Array(N), v = new Float32Array(N).fill(1e-6);
  const frozen = (i: number) => (i % 10) / 10 < share;
  for (let i = 0; i < N; i++) g[i] = frozen(i) ? 0 : 1e-3;
  const times: number[] = [];
  for (let step = 0; step < 200; step++) {
    if (step % 10 === 0) for (let i = 0; i < N; i++) m[i] = frozen(i) ? SUBNORMAL : 1e-3;
    const start = process.hrtime.bigint();
    addon.optimizerStep("Adam", p, g, K, K.length, m, v, null);
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return median(times);
}

const rows = new Map<number, number[]>([[0, []], [0.1, []]]);
for (let round = 0; round < 5; round++) for (const [share, list] of rows) list.push(microseconds(share));
console.log("| subnormal first moments | µs per Adam step (median of 5 rounds) | rounds |\n|---|---|---|");
for (const [share, list] of rows) console.log(`| ${share * 100}% | ${median(list).toFixed(0)} | ${list.map((t) => t.toFixed(0)).join(", ")} |`);
