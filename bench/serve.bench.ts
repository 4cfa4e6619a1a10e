/**
 * minima serve under load (issue 15): `npm run bench -- --only serve`.
 * - streams: 20 writer processes append step records to 20 runs' metrics.jsonl while 20 SSE clients tail them
 *   through the server (a process of its own): the latency from a line's write to its arrival, the server's CPU.
 * - growth: one metrics.jsonl written past 1 GiB as fast as a generator can while one client tails it: the
 *   server's RSS and heap sampled over the whole time.
 * - index: runIndex over hundreds of runs and a 10,000-trial study.
 * Each measurement runs in a child (bench/child.js); the server, writers and generator are bench/serve-load.js.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeRecord, runLogHeader } from "../src/io/run-log.js";
import { runIndex } from "../src/serve/run-index.js";
import { DATE, fmt, inNode, median, table } from "./common.js";

const LOAD = fileURLToPath(new URL("./serve-load.js", import.meta.url));
const wallMs = () => performance.timeOrigin + performance.now();

interface Sample { t: number; rss: number; heapUsed: number; heapTotal: number; external: number; cpuMs: number }

interface StreamsSpec { mode: "streams"; runs: number; rate: number; seconds: number }
interface GrowthSpec { mode: "growth"; bytes: number }
interface IndexSpec { mode: "index"; runs: number; trials: number; stepsPerRun: number }
type Spec = StreamsSpec | GrowthSpec | IndexSpec;

export interface StreamsResult {
  written: number; received: number; duplicates: number; outOfOrder: number;
  latencyMs: { median: number; p99: number; max: number };
  serverCpu: number; serverRssMb: number; serverHeapMb: number;
}
export interface GrowthResult {
  bytes: number; lines: number; received: number; seconds: number; catchUpSeconds: number;
  rssMb: { start: number; max: number; end: number; quarters: number[] };
  heapMb: { start: number; max: number; end: number };
}

export interface IndexResult { runs: number; megabytes: number; firstMs: number; againMs: number; afterAppendMs: number }

/**
 * runIndex over `runs` finished runs (each a metrics.jsonl of `stepsPerRun` steps, an end and a confusion record, a
 * config.json and a checkpoints folder)
 * and a study of `trials` trials: the first call (the files in the page cache, nothing known yet), a call again
 * (what the index keeps), and a call after one run grew.
 */
function index(spec: IndexSpec): IndexResult {
  const root = mkdtempSync(join(tmpdir(), "minima-bench-serve-"));
  try {
    const lines = [encodeRecord(runLogHeader())];
    for (let i = 1; i <= spec.stepsPerRun; i++) lines.push(encodeRecord({ kind: "step", step: i, epoch: 1, loss: 1 / i, lr: 0.01, gradNorm: 1.5 }));
    lines.push(encodeRecord({ kind: "end", stopReason: null, diagnosis: { findings: [], summary: "No problems found." } }));
    lines.push(encodeRecord({ kind: "confusion", split: "test", classes: ["0", "1"], matrix: [[5, 1], [2, 7]] }));
    const text = lines.join("\n") + "\n";
    const folders = [...Array.from({ length: spec.runs }, (_, i) => join(root, "runs", `run-${i}`)),
      ...Array.from({ length: spec.trials }, (_, n) => join(root, "study", "trials", String(n)))];
    for (const f of folders) {
      mkdirSync(f, { recursive: true });
      writeFileSync(join(f, "metrics.jsonl"), text);
      writeFileSync(join(f, "config.json"), "{}");
      mkdirSync(join(f, "checkpoints"));
    }
    if (spec.trials > 0) writeFileSync(join(root, "study", "journal.log"), "");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500); // the folders settle, as a real tree's have
    const ms = (fn: () => void) => { const t = performance.now(); fn(); return performance.now() - t; };
    let found = 0;
    const firstMs = ms(() => { found = runIndex(root).runs.length; });
    if (found !== folders.length) throw new Error(`the index found ${found} runs of ${folders.length}`);
    const againMs = median([0, 1, 2].map(() => ms(() => runIndex(root))));
    appendFileSync(join(folders[0]!, "metrics.jsonl"), encodeRecord({ kind: "step", step: 1, epoch: 2, loss: 1, lr: 0.01, gradNorm: 1 }) + "\n");
    const afterAppendMs = ms(() => runIndex(root));
    return { runs: folders.length, megabytes: (folders.length * Buffer.byteLength(text)) / 2 ** 20, firstMs, againMs, afterAppendMs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The server process: resolves with its URL; its samples collect in `samples`. */
function startServerProcess(root: string, samples: Sample[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [LOAD, "server", root], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((ok, fail) => {
    let rest = "";
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      const lines = (rest + text).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("URL ")) ok({ url: line.slice(4), child });
        else if (line.startsWith("SAMPLE ")) samples.push(JSON.parse(line.slice(7)) as Sample);
      }
    });
    child.once("exit", (code) => fail(new Error(`the server exited with ${code}`)));
  });
}

/** Runs a serve-load role to its end; resolves with the count it printed. */
function runRole(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [LOAD, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (t: string) => { out += t; });
  return new Promise((ok, fail) => child.once("exit", (code) => code === 0 ? ok(Number(/WROTE (\d+)/.exec(out)?.[1])) : fail(new Error(`${args[0]} exited with ${code}`))));
}

/**
 * An SSE client that looks only at what it needs: each "line" event's data is handed to `onData` with its
 * arrival time. Event boundaries are found with indexOf on the raw text (the server writes "\n\n" after each).
 */
function sseClient(url: string, onData: (data: string, at: number) => void): { close(): void } {
  const request = get(url, (response) => {
    let rest = "";
    response.setEncoding("utf8").on("data", (text: string) => {
      const at = wallMs();
      const all = rest + text;
      let start = 0, end: number;
      while ((end = all.indexOf("\n\n", start)) >= 0) {
        const event = all.slice(start, end);
        start = end + 2;
        const data = event.indexOf("\ndata: ");
        if (event.includes("event: line") && data >= 0) onData(event.slice(data + 7), at);
      }
      rest = all.slice(start);
    });
  });
  request.on("error", () => {});
  return { close: () => request.destroy() };
}

const until = async (ready: () => boolean, ms: number) => {
  const end = performance.now() + ms;
  while (!ready() && performance.now() < end) await new Promise((ok) => setTimeout(ok, 20));
};

async function streams(spec: StreamsSpec): Promise<StreamsResult> {
  const root = mkdtempSync(join(tmpdir(), "minima-bench-serve-"));
  const samples: Sample[] = [];
  const { url, child } = await startServerProcess(root, samples);
  try {
    const files = Array.from({ length: spec.runs }, (_, i) => {
      mkdirSync(join(root, `run-${i}`));
      writeFileSync(join(root, `run-${i}`, "metrics.jsonl"), "");
      return join(root, `run-${i}`, "metrics.jsonl");
    });
    const latencies: number[] = [], lastStep = new Array<number>(spec.runs).fill(0);
    let received = 0, duplicates = 0, outOfOrder = 0;
    const clients = files.map((_, i) => sseClient(`${url}api/tail/run-${i}/metrics.jsonl?from=0`, (data, at) => {
      const { step, t } = JSON.parse(data) as { step: number; t: number };
      received++;
      latencies.push(at - t);
      if (step <= lastStep[i]!) duplicates++;
      else if (step !== lastStep[i]! + 1) outOfOrder++;
      lastStep[i] = Math.max(lastStep[i]!, step);
    }));
    await new Promise((ok) => setTimeout(ok, 500)); // connected
    const cpu0 = samples.at(-1)!, t0 = wallMs();
    const written = (await Promise.all(files.map((f) => runRole(["writer", f, String(spec.rate), String(spec.seconds)])))).reduce((a, b) => a + b, 0);
    await until(() => received >= written, 10_000);
    const cpu1 = samples.at(-1)!, t1 = wallMs();
    for (const c of clients) c.close();
    const sorted = [...latencies].sort((a, b) => a - b);
    const during = samples.filter((s) => s.t >= t0 && s.t <= t1);
    return {
      written, received, duplicates, outOfOrder,
      latencyMs: { median: median(latencies), p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!, max: sorted.at(-1)! },
      serverCpu: (cpu1.cpuMs - cpu0.cpuMs) / (cpu1.t - cpu0.t || t1 - t0),
      serverRssMb: Math.max(...during.map((s) => s.rss)) / 2 ** 20,
      serverHeapMb: Math.max(...during.map((s) => s.heapUsed)) / 2 ** 20,
    };
  } finally {
    child.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  }
}

async function growth(spec: GrowthSpec): Promise<GrowthResult> {
  const root = mkdtempSync(join(tmpdir(), "minima-bench-serve-"));
  const samples: Sample[] = [];
  const { url, child } = await startServerProcess(root, samples);
  try {
    mkdirSync(join(root, "big"));
    const file = join(root, "big", "metrics.jsonl");
    writeFileSync(file, "");
    let received = 0;
    const client = sseClient(`${url}api/tail/big/metrics.jsonl?from=0`, () => { received++; });
    await new Promise((ok) => setTimeout(ok, 1000));
    const t0 = wallMs(), start = samples.at(-1)!;
    const lines = await runRole(["grow", file, String(spec.bytes)]);
    const written = wallMs();
    await until(() => received >= lines, 600_000);
    const t1 = wallMs();
    await new Promise((ok) => setTimeout(ok, 600));
    client.close();
    const during = samples.filter((s) => s.t >= t0);
    const end = samples.at(-1)!;
    const mb = (x: number) => x / 2 ** 20;
    const growing = samples.filter((s) => s.t >= t0 && s.t <= written);
    const quarters = [0.25, 0.5, 0.75, 1].map((q) => mb(growing[Math.min(growing.length - 1, Math.floor(q * (growing.length - 1)))]!.rss));
    return {
      bytes: statSync(file).size, lines, received, seconds: (written - t0) / 1000, catchUpSeconds: (t1 - t0) / 1000,
      rssMb: { start: mb(start.rss), max: mb(Math.max(...during.map((s) => s.rss))), end: mb(end.rss), quarters },
      heapMb: { start: mb(start.heapUsed), max: mb(Math.max(...during.map((s) => s.heapUsed))), end: mb(end.heapUsed) },
    };
  } finally {
    child.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  }
}

/** In a child process: one measurement. */
export async function measure(spec: Spec): Promise<StreamsResult | GrowthResult | IndexResult> {
  return spec.mode === "streams" ? streams(spec) : spec.mode === "growth" ? growth(spec) : index(spec);
}

export function run(): string {
  const s = inNode<StreamsResult>("serve", { mode: "streams", runs: 20, rate: 50, seconds: 20 }, 1);
  const g = inNode<GrowthResult>("serve", { mode: "growth", bytes: 1.1 * 2 ** 30 }, 1);
  const indexes = [{ runs: 300, trials: 0, stepsPerRun: 5000 }, { runs: 300, trials: 10_000, stepsPerRun: 200 }]
    .map((o) => ({ o, r: inNode<IndexResult>("serve", { mode: "index", ...o }, 1) }));
  const out = [`## minima serve under load (issue 15) — ${DATE}`, ""];
  out.push("`npm run bench -- --only serve`. The server (`startServer`, in a process of its own) on 127.0.0.1; the clients read " +
    "`/api/tail/<run>/metrics.jsonl` as EventSource does. Figures from the server's own `process.memoryUsage()` and " +
    "`process.cpuUsage()`, sampled every 250 ms.", "");
  if (s.ok) {
    const v = s.value;
    out.push("**20 runs streaming at once**: 20 writer processes each append 50 step records a second (~200 bytes each) for " +
      "20 s to their run's metrics.jsonl; 20 SSE clients (one process) tail them. Latency: from the writer's wall clock " +
      "before its write to the client's on arrival.", "",
      table(["lines written", "received", "duplicated", "out of order", "latency median", "p99", "max", "server CPU", "server RSS", "server heap"],
        [[v.written, v.received, v.duplicates, v.outOfOrder, `${fmt(v.latencyMs.median, 1)} ms`, `${fmt(v.latencyMs.p99, 1)} ms`, `${fmt(v.latencyMs.max, 1)} ms`,
          `${fmt(100 * v.serverCpu, 1)}% of a core`, `${fmt(v.serverRssMb, 0)} MB`, `${fmt(v.serverHeapMb, 1)} MB`]]), "");
  } else out.push(`20 runs streaming: not measured (${s.why}).`, "");
  if (g.ok) {
    const v = g.value;
    out.push(`**One metrics.jsonl growing past 1 GiB** (${fmt(v.bytes / 2 ** 30, 2)} GiB, ${v.lines.toLocaleString("en")} lines) written by a generator ` +
      `in 4 MB appends in ${fmt(v.seconds, 1)} s while one client tails it from byte 0; the client had every line ${fmt(v.catchUpSeconds, 1)} s after the start ` +
      `(${v.received === v.lines ? "all" : `${v.received} of`} ${v.lines.toLocaleString("en")} lines).`, "",
      table(["server", "before", "at ¼ / ½ / ¾ / end of the growth", "max", "after"],
        [["RSS", `${fmt(v.rssMb.start, 0)} MB`, v.rssMb.quarters.map((q) => fmt(q, 0)).join(" / ") + " MB", `${fmt(v.rssMb.max, 0)} MB`, `${fmt(v.rssMb.end, 0)} MB`],
          ["heap used", `${fmt(v.heapMb.start, 1)} MB`, "", `${fmt(v.heapMb.max, 1)} MB`, `${fmt(v.heapMb.end, 1)} MB`]]), "");
  } else out.push(`Growth past 1 GiB: not measured (${g.why}).`, "");
  out.push("**The index** (`/api/index`, `runIndex`): finished runs, each a metrics.jsonl with an end and a confusion record, " +
    "a config.json and a checkpoints folder " +
    "(`finished` is read from the file's last 4 KB); the first request, one again (what it found is kept per file's size, " +
    "mtime and inode), and one after a run grew.", "",
    table(["runs", "metrics.jsonl in all", "first", "again", "after one run grew"], indexes.map(({ o, r }) => r.ok
      ? [`${o.runs} runs${o.trials ? ` + a study of ${o.trials.toLocaleString("en")} trials` : ""}`, `${fmt(r.value.megabytes, 0)} MB`, `${fmt(r.value.firstMs, 0)} ms`, `${fmt(r.value.againMs, 0)} ms`, `${fmt(r.value.afterAppendMs, 0)} ms`]
      : [`${o.runs} + ${o.trials}`, "—", "—", "—", `not measured (${r.why})`])), "");
  return out.join("\n");
}
