/**
 * The wasm backend's products on 1 and 2 threads (the threaded module, issue 16): 512³ and the shapes of the MLP
 * step in the suite (784-256-256-10, batch 128: forward, and backward's weight and input gradients), plus squares
 * around the size where matmul.cc starts splitting. Each call is an eager one (operands copied into the module's
 * memory, the product out). Threads 1 and 2 alternate call by call on the same module, so load that comes and goes
 * falls on both; the table gives medians and the ratio. Before and after, the same busy loop runs on one worker and
 * on two at once: the ratio of their times says how much of a second core the machine had free (2.00× on an idle
 * one). `node dist/bench/wasm-threads.bench.js [runs]`
 */
import { loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import "../src/index.node.js";
import { jsKernels } from "../src/backend/js/index.js";
import type { Kernels } from "../src/backend/kernels.js";
import { wasmKernels } from "../src/backend/wasm/index.js";
import { instantiateWasm } from "../src/backend/wasm/module.js";
import { median, table } from "./common.js";

// [label, batch, m, n, k, transA, transB]
const SHAPES: [string, number, number, number, number, boolean, boolean][] = [
  ["512³", 1, 512, 512, 512, false, false],
  ["MLP x·W₁ (128×784·784×256)", 1, 128, 256, 784, false, false],
  ["MLP h·W₂ (128×256·256×256)", 1, 128, 256, 256, false, false],
  ["MLP h·W₃ (128×256·256×10)", 1, 128, 10, 256, false, false],
  ["MLP ∂W₁ (xᵀ·g: 784×128·128×256)", 1, 784, 256, 128, true, false],
  ["MLP ∂W₂ (256×128·128×256)", 1, 256, 256, 128, true, false],
  ["MLP ∂h (g·W₂ᵀ: 128×256·256×256)", 1, 128, 256, 256, false, true],
  ["MLP ∂h (g·W₃ᵀ: 128×10·10×256)", 1, 128, 256, 10, false, true],
  ["32³", 1, 32, 32, 32, false, false],
  ["48³", 1, 48, 48, 48, false, false],
  ["64³", 1, 64, 64, 64, false, false],
  ["96³", 1, 96, 96, 96, false, false],
  ["128³", 1, 128, 128, 128, false, false],
];

const runs = Number(process.argv[2] ?? 41);

/** Two busy loops at once against one: the speed-up a second thread could have had (median of 3). */
async function freeCores(): Promise<number> {
  const loop = `const t0 = performance.now(); let x = 0; for (let i = 0; i < 1e8; i++) x += i % 7;
    require("node:worker_threads").parentPort.postMessage(x && performance.now() - t0);`;
  const wall = async (n: number) => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => new Worker(loop, { eval: true, execArgv: [] }).once("message", resolve))));
    return performance.now() - t0;
  };
  const ratios: number[] = [];
  for (let r = 0; r < 3; r++) ratios.push(2 * (await wall(1)) / (await wall(2)));
  return median(ratios);
}
const before = { cores: await freeCores(), load: loadavg()[0]! };
const mod = instantiateWasm();
if (!mod.threads) throw new Error("the threaded wasm module is not available here");
mod.threads.set(2);
await mod.threads.ready();
// Every product may split (the threshold is what this measures).
(mod.exports as unknown as { matmul_threaded_from(x: number): number }).matmul_threaded_from(0);
const k = { ...jsKernels, ...wasmKernels(mod, { jsBelow: 0 }) } as Kernels;

const rows: (string | number)[][] = [];
for (const [label, batch, m, n, kk, tA, tB] of SHAPES) {
  const a = Float32Array.from({ length: batch * m * kk }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: batch * kk * n }, () => Math.random() - 0.5);
  const out = new Float32Array(batch * m * n);
  const times: Record<number, number[]> = { 1: [], 2: [] };
  for (let r = -3; r < runs; r++) {
    for (const t of [1, 2]) {
      mod.threads.set(t);
      const t0 = performance.now();
      k.matmul(a, b, out, batch, m, n, kk, tA, tB, 0, 0);
      if (r >= 0) times[t]!.push(performance.now() - t0);
    }
  }
  const [one, two] = [median(times[1]!), median(times[2]!)];
  rows.push([label, (2 * batch * m * n * kk / 1e6).toFixed(1), one.toFixed(3), two.toFixed(3), `${(one / two).toFixed(2)}×`]);
}
mod.threads.shutdown();
const after = { cores: await freeCores(), load: loadavg()[0]! };
console.log(table(["product", "MFLOP", "1 thread ms", "2 threads ms", "2 vs 1"], rows));
console.log(`\nTwo busy loops against one (2.00× where a second core is free): ${before.cores.toFixed(2)}× before, ${after.cores.toFixed(2)}× after; ` +
  `load average ${before.load.toFixed(1)} before, ${after.load.toFixed(1)} after (2 cores).`);
