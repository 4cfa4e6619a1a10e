/**
 * SGEMM throughput (GFLOP/s, median of several runs) at 256/512/1024 for minima's js
 * kernel, side by side in the same run with a plain i-k-j triple loop in JavaScript and, when
 * Debian's python3-torch is installed, PyTorch (1 thread, its best setting on 2 cores).
 * Prints a Markdown table for BENCHMARKS.md.  Run: npm run bench
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import * as mn from "../src/index.js";

const SIZES = [256, 512, 1024];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Seconds per call, median over runs (after one warm-up call). */
function time(fn: () => void, runs: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    t.push((performance.now() - start) / 1000);
  }
  return median(t);
}

/** The loop a hand-written JS matmul usually is: i-k-j over Float32Arrays, no blocking. */
function naiveIkj(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      const row = k * n;
      const out = i * n;
      for (let j = 0; j < n; j++) c[out + j] += aik * b[row + j]!;
    }
  }
}

function torchGflops(n: number): number | null {
  const script = `
import time, torch
torch.set_num_threads(1)
n=${n}; a=torch.rand(n,n); b=torch.rand(n,n); a@b
ts=[]
for _ in range(7):
    t=time.perf_counter(); a@b; ts.append(time.perf_counter()-t)
ts.sort(); print(2*n**3/ts[len(ts)//2]/1e9)`;
  // Debian's torch lives in the system Python, which a pyenv or venv python3 on PATH may hide.
  for (const python of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(python, ["-c", script], { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" } });
    if (r.status === 0) return Number(r.stdout.trim());
  }
  return null;
}

const g = new mn.Generator(0);
const rows: string[] = [];
for (const n of SIZES) {
  const a = mn.rand([n, n], { generator: g });
  const b = mn.rand([n, n], { generator: g });
  const runs = n <= 256 ? 15 : n <= 512 ? 7 : 5;
  const flop = 2 * n ** 3;
  const blocked = flop / time(() => a.matmul(b), runs) / 1e9;
  const c = new Float32Array(n * n);
  const naive = flop / time(() => naiveIkj(a.data as Float32Array, b.data as Float32Array, c, n), Math.min(runs, 3)) / 1e9;
  const torch = torchGflops(n);
  rows.push(`| ${n} | ${blocked.toFixed(2)} | ${naive.toFixed(2)} | ${(blocked / naive).toFixed(1)}× | ${torch === null ? "not installed" : torch.toFixed(1)} |`);
}
console.log(`SGEMM, float32, square n×n, GFLOP/s (median) — ${cpus()[0]?.model ?? "cpu"}, ${cpus().length} cores, node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}`);
console.log("");
console.log("| n | minima js (blocked) | JS i-k-j loop | minima / loop | PyTorch 1 thread |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(r);
