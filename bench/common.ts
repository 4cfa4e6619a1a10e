/**
 * Shared by the benchmark files: timing with medians; one subprocess per measured
 * configuration (so thread counts and backends are set before anything loads), watched for
 * other processes' load and re-run when disturbed; the PyTorch peer; the CPU's limits from
 * bench/limits.c; the machine header and Markdown tables.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

/** The repository root (this file runs from dist/bench/). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Debian's python3-torch lives in the system Python, which a venv python3 on PATH may hide (MINIMA_BENCH_PYTHON overrides). */
export const PYTHON = process.env["MINIMA_BENCH_PYTHON"] ?? "/usr/bin/python3";
/** The FMA peak issue 4 gives for this 2-core machine: the fallback when bench/limits.c cannot be built. */
const ISSUE_PEAK_GFLOPS = 198;
export const DATE = new Date().toISOString().slice(0, 10);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Median seconds per call of `fn` after `warmup` calls: timed calls until `maxRuns` or until
 * `budgetS` seconds have gone by (at least one).
 */
export function timeRuns(fn: () => void, o: { warmup?: number; maxRuns?: number; budgetS?: number } = {}): number {
  const { warmup = 1, maxRuns = 15, budgetS = 5 } = o;
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  const start = performance.now();
  while (t.length < maxRuns && (t.length === 0 || performance.now() - start < budgetS * 1000)) {
    const s = performance.now();
    fn();
    t.push((performance.now() - s) / 1000);
  }
  return median(t);
}

/** What a child measurement prints on its last line, after this marker. */
const MARK = "BENCH_RESULT ";

/** In a child: print the result for the parent. */
export function report(result: unknown): void {
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

/** A child's result, or why there is none; `elsewhere`: cores busy with other processes meanwhile. */
export type Outcome<T> = ({ ok: true; value: T } | { ok: false; why: string }) & { elsewhere: number };

function parse<T>(r: ReturnType<typeof spawnSync>, what: string, elsewhere: number): Outcome<T> {
  const out = String(r.stdout ?? "");
  const line = out.split("\n").reverse().find((l) => l.startsWith(MARK));
  if (r.status === 0 && line) return { ok: true, value: JSON.parse(line.slice(MARK.length)) as T, elsewhere };
  const err = String(r.stderr ?? "").trim().split("\n").filter((l) => /error|Error|not |failed/.test(l));
  const why = r.error ? r.error.message : err.at(-1)?.trim() ?? `exit ${r.status}`;
  process.stderr.write(`  ${what}: failed (${why})\n`);
  return { ok: false, why, elsewhere };
}

/** CPU seconds so far: the whole machine's busy time, and this process's own plus its waited-for children's. */
function cpuClock(): { machine: number; ours: number } {
  try {
    const machine = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1, 9).map(Number);
    const self = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ").map(Number);
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy. utime stime cutime cstime.
    const busy = machine.reduce((a, b) => a + b, 0) - machine[3]! - machine[4]!;
    return { machine: busy / 100, ours: (self[11]! + self[12]! + self[13]! + self[14]!) / 100 };
  } catch {
    return { machine: 0, ours: 0 };
  }
}

/** Every measurement's label and the cores other processes kept busy while it ran, for the run's notes. */
export const disturbances: { label: string; elsewhere: number; retried: number }[] = [];
const DISTURBED = 0.25;

/**
 * Spawns one measurement. When other processes kept more than a quarter of a core busy
 * meanwhile (another job on a shared machine), it is run again after a pause, twice at most
 * (once for a run over a minute), and the least disturbed run kept.
 */
export function measured<T>(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Outcome<T> {
  let kept: Outcome<T> | null = null, tries = 0, seconds = 0;
  // A run over a minute is tried twice at most.
  while (tries < (seconds > 60 ? 2 : 3) && (kept === null || (kept.elsewhere > DISTURBED && kept.ok))) {
    if (tries) {
      process.stderr.write(`  ${fmt(kept!.elsewhere, 2)} cores were busy elsewhere: again in 5 s\n`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    }
    process.stderr.write(`  running ${label}\n`);
    const [c0, t0] = [cpuClock(), performance.now()];
    const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26, env });
    const [c1, t1] = [cpuClock(), performance.now()];
    seconds = (t1 - t0) / 1000;
    const elsewhere = Math.max(0, (c1.machine - c0.machine - (c1.ours - c0.ours)) / seconds);
    const o = parse<T>(r, label, elsewhere);
    if (kept === null || (o.ok && (!kept.ok || o.elsewhere < kept.elsewhere))) kept = o;
    tries++;
  }
  disturbances.push({ label, elsewhere: kept!.elsewhere, retried: tries - 1 });
  return kept!;
}

function threadEnv(threads: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n, MINIMA_NUM_THREADS: n, ...extra };
}

/**
 * Runs `task` of a benchmark file (its `measure`) in a fresh Node process, with `threads`
 * for minima's pool and OpenBLAS, and MINIMA_BACKEND from `backend`.
 */
export function inNode<T>(bench: string, spec: Record<string, unknown>, threads: number, backend?: "native" | "js" | "wasm"): Outcome<T> {
  return measured<T>(`${bench} ${JSON.stringify(spec)}${backend ? ` ${backend}` : ""} ${threads}t`, process.execPath,
    [fileURLToPath(new URL("./child.js", import.meta.url)), bench, JSON.stringify(spec)], threadEnv(threads, backend ? { MINIMA_BACKEND: backend } : {}));
}

/** The run's notes: how busy the machine was with other work during the measurements. */
export function runNotes(): string {
  const worst = [...disturbances].sort((a, b) => b.elsewhere - a.elsewhere);
  const retried = disturbances.filter((d) => d.retried > 0).length;
  const still = worst.filter((d) => d.elsewhere > DISTURBED);
  return [
    `## Run notes — ${DATE}`,
    "",
    `${disturbances.length} measurements, each in its own process. Other processes kept a median ${fmt(median(disturbances.map((d) => d.elsewhere)), 2)} ` +
      `cores busy while they ran (from /proc/stat, less the benchmark's own CPU time); ${retried} measurement${retried === 1 ? " was" : "s were"} ` +
      `run again because more than ${DISTURBED} of a core was busy elsewhere. ` +
      (still.length ? `Still disturbed after the retries (figures less reliable): ${still.map((d) => `${d.label} (${fmt(d.elsewhere, 2)} cores)`).join("; ")}.` : "No figure was left disturbed."),
  ].join("\n");
}

let torchChecked: string | null | undefined;
/** PyTorch's version, or null (with the reason printed once) when Debian's python3-torch is absent. */
export function torchVersion(): string | null {
  if (torchChecked !== undefined) return torchChecked;
  const r = spawnSync(PYTHON, ["-c", "import torch, sys; print(torch.__version__, sys.version.split()[0])"], { encoding: "utf8" });
  torchChecked = r.status === 0 ? r.stdout.trim() : null;
  if (torchChecked === null) process.stderr.write("  PyTorch: not installed (apt-get install python3-torch); its columns are skipped\n");
  return torchChecked;
}

/** Runs `task` of bench/torch_peer.py under /usr/bin/python3 with `threads`; null when PyTorch is absent. */
export function inTorch<T>(task: string, spec: Record<string, unknown>, threads: number): Outcome<T> | null {
  if (torchVersion() === null) return null;
  return measured<T>(`torch ${task} ${JSON.stringify(spec)} ${threads}t`, PYTHON,
    [`${ROOT}bench/torch_peer.py`, task, JSON.stringify({ ...spec, threads })], threadEnv(threads));
}

/** One thread setting tried, and what it gave (null: the peer is not installed). */
export interface Tried<T> { threads: number; r: Outcome<T> | null }
export type Best<T> = { threads: number; value: T } | { missing: string };

/** The thread setting whose result scores highest; else why there is none. */
export function bestOf<T>(tried: Tried<T>[], score: (v: T) => number): Best<T> {
  let top: { threads: number; value: T } | null = null;
  for (const { threads, r } of tried) if (r?.ok && (top === null || score(r.value) > score(top.value))) top = { threads, value: r.value };
  if (top) return top;
  const failed = tried.find((t) => t.r && !t.r.ok)?.r;
  return { missing: failed && !failed.ok ? `failed: ${failed.why}` : "not installed" };
}

let limitsExe: string | null | undefined;
/** Runs bench/limits.c (compiled once, here, with the machine's C compiler); null without one. */
function limits(mode: "fma" | "stream", threads: number): number[] | null {
  if (limitsExe === undefined) {
    const dir = mkdtempSync(`${tmpdir()}/minima-limits-`), exe = `${dir}/limits`;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
    const ok = ["cc", "gcc", "clang"].some((c) => spawnSync(c, ["-O3", "-march=native", "-pthread", `${ROOT}bench/limits.c`, "-o", exe]).status === 0);
    limitsExe = ok ? exe : null;
  }
  if (limitsExe === null) return null;
  const r = spawnSync(limitsExe, [mode, String(threads)], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim().split(" ").map(Number) : null;
}

export interface Peak { gflops: number; how: string }
let peakCache: Peak | undefined;
/**
 * The CPU's float32 FMA peak over all its cores, measured by bench/limits.c: the larger of its
 * all-thread figure and cores × its one-thread figure (a busy neighbour shows in the first only);
 * issue 4's figure when no C compiler is at hand.
 */
export function peak(): Peak {
  if (peakCache) return peakCache;
  const n = cpus().length, one = limits("fma", 1), all = limits("fma", n);
  peakCache = one && all
    ? { gflops: Math.max(all[0]!, n * one[0]!), how: `measured by bench/limits.c with ${all[1]}-bit FMA chains, best of 5 runs: ${fmt(one[0]!)} GFLOP/s on 1 thread, ${fmt(all[0]!)} on ${n}; the peak is the larger of the ${n}-thread figure and ${n} × the 1-thread one` }
    : { gflops: ISSUE_PEAK_GFLOPS, how: "issue 4's figure for this machine (no C compiler here to measure it with bench/limits.c)" };
  return peakCache;
}

/** GB/s of bench/limits.c's Adam-shaped pass (4 streams read, 3 written in place) on 1 and on all threads; null without a C compiler. */
export function streamBandwidth(): { one: number; all: number } | null {
  const one = limits("stream", 1), all = limits("stream", cpus().length);
  return one && all ? { one: one[0]!, all: all[0]! } : null;
}

/** A Markdown table. */
export function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`)].join("\n");
}

/** A number with `digits` decimals and thousands separators. */
export function fmt(x: number, digits = 1): string {
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A rate: no decimals from 100 up, one below 100, two significant digits below 1. */
export function rate(x: number): string {
  return x >= 100 ? fmt(x, 0) : x >= 1 ? fmt(x, 1) : x.toPrecision(2);
}

/** A speed ratio such as 1.25× (two significant digits when small). */
export function times(x: number): string {
  return `${x >= 0.1 ? fmt(x, 2) : x.toPrecision(2)}×`;
}

/** The lines that head every run: machine, date, versions, threads. */
export function machineHeader(): string {
  const os = existsSync("/etc/os-release") ? /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] : undefined;
  const info = spawnSync(process.execPath, [`${ROOT}dist/src/cli/main.js`, "info"], { encoding: "utf8" }).stdout ?? "";
  const field = (k: string): string => new RegExp(`^${k}\\s+(.*)$`, "m").exec(info)?.[1]?.trim() ?? "?";
  const pkg = (name: string): string => {
    try { return (JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, "utf8")) as { version: string }).version; } catch { return "not installed"; }
  };
  const torch = torchVersion();
  const p = peak();
  return [
    `Machine: ${cpus()[0]?.model ?? "cpu"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${os ?? process.platform}; ${DATE}.`,
    `Versions: Node ${process.versions.node}; minima ${field("minima")} (default backend ${field("backend").split(" ")[0]}; native addon ${field("native").replace(/^loaded: /, "")}); ` +
      `TensorFlow.js ${pkg("@tensorflow/tfjs")} (@tensorflow/tfjs with tfjs-core ${pkg("@tensorflow/tfjs-core")}, tfjs-backend-wasm ${pkg("@tensorflow/tfjs-backend-wasm")} with SIMD, tfjs-backend-cpu ${pkg("@tensorflow/tfjs-backend-cpu")}); ` +
      (torch ? `PyTorch ${torch.split(" ")[0]} (Debian python3-torch, Python ${torch.split(" ")[1]}, OpenBLAS).` : "PyTorch not installed (apt-get install python3-torch)."),
    `Peak: ${fmt(p.gflops)} GFLOP/s float32 FMA, ${p.how}.`,
    "Threads: each system is run in fresh processes at 1 and at 2 threads where it can use them " +
      "(MINIMA_NUM_THREADS for minima native, the one count for its pool, which splits OpenBLAS products, and for oneDNN's OpenMP threads; " +
      "torch.set_num_threads with OMP_/OPENBLAS_NUM_THREADS for PyTorch) and its faster setting is shown. minima js and TF.js cpu run on the one JavaScript thread; " +
      "TF.js wasm too, because tfjs-backend-wasm turns its threads off under Node.",
  ].join("\n");
}
