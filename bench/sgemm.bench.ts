/**
 * 1. SGEMM: float32 n×n · n×n at 256/512/1024/2048, GFLOP/s = 2n³ / median seconds per call,
 * for minima native, wasm and js, TF.js wasm and cpu, and PyTorch, each at its best thread setting,
 * and the share of the machine's FMA peak.
 */
import * as mn from "../src/index.node.js";
import { DATE, fmt, peak, inNode, inTorch, table, timeRuns, type Outcome } from "./common.js";
import { loadTf } from "./tfjs.js";

const SIZES = [256, 512, 1024, 2048];
type Gflops = Record<string, number>;
const budget = { warmup: 1, maxRuns: 15, budgetS: 5 };

/** In a child: GFLOP/s per size for minima (on MINIMA_BACKEND) or a TF.js backend. */
export async function measure(spec: { system: "minima" | "tfjs-wasm" | "tfjs-cpu" }): Promise<Gflops> {
  const out: Gflops = {};
  if (spec.system === "minima") {
    const g = new mn.Generator(0);
    for (const n of SIZES) {
      const a = mn.rand([n, n], { generator: g }), b = mn.rand([n, n], { generator: g });
      out[n] = 2 * n ** 3 / timeRuns(() => a.matmul(b), budget) / 1e9;
    }
    return out;
  }
  const tf = await loadTf(spec.system === "tfjs-wasm" ? "wasm" : "cpu");
  for (const n of SIZES) {
    const a = tf.randomUniform([n, n]), b = tf.randomUniform([n, n]);
    // dataSync waits for the product (and is a no-op copy-out for these synchronous backends).
    out[n] = 2 * n ** 3 / timeRuns(() => { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); }, budget) / 1e9;
  }
  return out;
}

interface Row { system: string; tried: { threads: number; r: Outcome<Gflops> | null }[] }

export function run(): string {
  const rows: Row[] = [
    { system: "minima native", tried: [1, 2].map((t) => ({ threads: t, r: inNode<Gflops>("sgemm", { system: "minima" }, t, "native") })) },
    // One thread, like TF.js wasm beside it; each call copies its operands into the module's memory and the product out.
    { system: "minima wasm", tried: [{ threads: 1, r: inNode<Gflops>("sgemm", { system: "minima" }, 1, "wasm") }] },
    { system: "minima js", tried: [{ threads: 1, r: inNode<Gflops>("sgemm", { system: "minima" }, 1, "js") }] },
    { system: "TF.js wasm", tried: [{ threads: 1, r: inNode<Gflops>("sgemm", { system: "tfjs-wasm" }, 1) }] },
    { system: "TF.js cpu", tried: [{ threads: 1, r: inNode<Gflops>("sgemm", { system: "tfjs-cpu" }, 1) }] },
    { system: "PyTorch (OpenBLAS)", tried: [1, 2].map((t) => ({ threads: t, r: inTorch<Gflops>("sgemm", { sizes: SIZES }, t) })) },
  ];
  const bestAt = (row: Row, n: number): { g: number; threads: number } | null => {
    let top: { g: number; threads: number } | null = null;
    for (const { threads, r } of row.tried) if (r?.ok && (top === null || r.value[n]! > top.g)) top = { g: r.value[n]!, threads };
    return top;
  };
  const top = peak().gflops;
  const share = (g: number): string => { const p = (100 * g) / top; return `${p < 10 ? fmt(p, 1) : fmt(p, 0)}%`; };
  const body = rows.map((row) => {
    const cells = SIZES.map((n) => bestAt(row, n));
    if (cells.every((c) => c === null)) return [row.system, "—", ...SIZES.map(() => (row.tried[0]!.r === null ? "not installed" : "failed"))];
    const threads = [...new Set(cells.map((c) => c?.threads ?? "—"))];
    return [row.system, threads.length === 1 ? String(threads[0]) : cells.map((c) => c?.threads ?? "—").join("/"),
      ...cells.map((c) => (c ? `${fmt(c.g)} (${share(c.g)})` : "failed"))];
  });
  const tried = rows.filter((r) => r.tried.length > 1).map((row) =>
    `${row.system}: ${row.tried.map(({ threads, r }) => `${threads} thread${threads > 1 ? "s" : ""} ${r?.ok ? SIZES.map((n) => fmt(r.value[n]!)).join(" / ") : r === null ? "not installed" : "failed"}`).join("; ")}`);
  return [
    `## SGEMM — ${DATE}`,
    "",
    "`npm run bench -- --only sgemm`: float32 n×n · n×n, GFLOP/s = 2n³ / median seconds per call (up to 15 timed calls within 5 s, after a warm-up call), " +
      `in parentheses the share of the CPU's ${fmt(top)} GFLOP/s float32 FMA peak over all its cores (${peak().how}). ` +
      "Threads: the setting each system was fastest at, per size if they differ (256/512/1024/2048).",
    "",
    table(["system", "threads", ...SIZES.map(String)], body),
    "",
    `Both thread settings, GFLOP/s at ${SIZES.join(" / ")}: ${tried.join(". ")}.`,
  ].join("\n");
}
