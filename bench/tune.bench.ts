/**
 * The search's own overhead per trial (issue 13): a trivial objective (two suggestions and a sum)
 * run by 1, 4 and 16 worker processes on each storage — Optuna's journal file, SQLite and
 * PostgreSQL — by minima and by Debian's Optuna 3.1 (bench/optuna_tune_peer.py), side by side in
 * the same run. Every worker process imports and opens the study first, then all start their loop
 * at one wall-clock instant; the figure is the wall time from that instant to the last worker's end,
 * divided by the trials run (so it is throughput, per trial, with the workers sharing the machine's
 * cores). PostgreSQL needs a server: MINIMA_TEST_POSTGRES_URL, or tools/postgres-server.sh start.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../src/index.node.js";
import { DATE, PYTHON, ROOT, fmt, median, table } from "./common.js";

const TRIALS = 160;
const WORKERS = [1, 4, 16];
const ROUNDS = 3;
type Side = "minima" | "optuna";
interface Outcome {
  perTrialMs: number | null;
  why?: string;
}

function psql(url: string, sql: string): void {
  const r = spawnSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
}

/** A fresh storage of this kind for one side and round: a journal path, or a URL. */
function freshStorage(kind: string, side: Side, dir: string, tag: string): string {
  if (kind === "journal") return join(dir, `${side}-${tag}.log`);
  if (kind === "sqlite") return `sqlite:///${join(dir, `${side}-${tag}.db`)}`;
  const base = process.env["MINIMA_TEST_POSTGRES_URL"]!;
  const db = `bench_${side}_${tag}`.replace(/\W/g, "_");
  psql(base, `DROP DATABASE IF EXISTS ${db}`);
  psql(base, `CREATE DATABASE ${db}`);
  return base.replace(/\/[^/]*$/, `/${db}`);
}

function createStudy(side: Side, storage: string): void {
  if (side === "minima") {
    const s = mn.tune.createStudy({ storage, studyName: "bench", sampler: new mn.tune.RandomSampler({ seed: 0 }) });
    s.storage.close();
    return;
  }
  const code = `import optuna,sys
u=sys.argv[1]
s=u if "://" in u else optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(u))
optuna.create_study(study_name="bench", storage=s)`;
  const r = spawnSync(PYTHON, ["-c", code, storage], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`optuna create_study on ${storage}: ${r.stderr}`);
}

function runRound(side: Side, storage: string, workers: number): Outcome {
  createStudy(side, storage);
  const each = TRIALS / workers;
  // Imports take about a second of CPU per process (Optuna's more): give all of them time to be ready.
  const startAt = Date.now() / 1000 + 3 + workers * (side === "optuna" ? 1.2 : 0.6);
  const one = (i: number) =>
    side === "minima"
      ? `node ${join(ROOT, "dist/bench/tune-child.js")} '${storage}' bench ${each} ${startAt} ${i}`
      : `${PYTHON} ${join(ROOT, "bench/optuna_tune_peer.py")} '${storage}' bench ${each} ${startAt}`;
  const script = `${Array.from({ length: workers }, (_, i) => `(${one(i)} || echo '{"failed": true}') &`).join("\n")}\nwait`;
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 24 });
  const lines = r.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { start?: number; end?: number; failed?: boolean });
  const failed = lines.filter((l) => l.failed).length;
  if (failed > 0 || lines.length !== workers) {
    const why = (r.stderr.match(/\w*Error[^\n]*/g) ?? ["no result"]).at(-1)!;
    return { perTrialMs: null, why: `${failed || workers - lines.length} of ${workers} workers failed: ${why.slice(0, 80)}` };
  }
  const late = Math.max(...lines.map((l) => l.start!)) - startAt;
  if (late > 0.5) process.stderr.write(`  ${side} ${workers} workers: a worker started ${late.toFixed(1)} s late\n`);
  const wall = Math.max(...lines.map((l) => l.end!)) - Math.min(...lines.map((l) => l.start!));
  return { perTrialMs: (wall / TRIALS) * 1000 };
}

export function run(): string {
  const kinds = ["journal", "sqlite", ...(process.env["MINIMA_TEST_POSTGRES_URL"] ? ["postgresql"] : [])];
  const rows: (string | number)[][] = [];
  const dir = mkdtempSync(join(tmpdir(), "minima-tune-bench-"));
  try {
    for (const kind of kinds) {
      for (const workers of WORKERS) {
        const cell = (side: Side): Outcome => {
          const got: number[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            process.stderr.write(`tune: ${kind}, ${workers} workers, ${side}, round ${round + 1}\n`);
            const o = runRound(side, freshStorage(kind, side, dir, `${kind}_${workers}_${round}`), workers);
            if (o.perTrialMs === null) return o;
            got.push(o.perTrialMs);
          }
          return { perTrialMs: median(got) };
        };
        const m = cell("minima");
        const o = cell("optuna");
        const show = (x: Outcome) => (x.perTrialMs === null ? `failed (${x.why})` : fmt(x.perTrialMs, 2));
        const ratio = m.perTrialMs !== null && o.perTrialMs !== null ? `${fmt(o.perTrialMs / m.perTrialMs, 1)}×` : "–";
        rows.push([kind, workers, show(m), show(o), ratio]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    `### The search's overhead per trial (${DATE}): a trivial objective, ${TRIALS} trials, median of ${ROUNDS} rounds`,
    "",
    "Wall time from the moment every worker process is ready to the last one's end, over the trials run (ms per trial,",
    "lower is better); each side on a fresh storage of the same kind, minima with its RandomSampler, Optuna 3.1 with its own.",
    "",
    table(["storage", "workers", "minima ms/trial", "Optuna 3.1 ms/trial", "Optuna / minima"], rows),
  ].join("\n");
}

if (process.argv[1]?.endsWith("tune.bench.js")) console.log(run());
