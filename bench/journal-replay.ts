/**
 * How long opening a large journal takes (issue 13: is a replay cache worth it?): writes an Optuna
 * journal of N trials as minima's workers write them (create, 4 params, one intermediate value per
 * epoch, a user attr, the result; every 20th trial pruned), then times, each in a fresh process,
 * minima's openStorage + loadStudy + study.trials (the whole replay) and Debian's Optuna 3.1's
 * load_study + study.trials on the same file, and one incremental sync after one more op.
 * `npm run build && node dist/bench/journal-replay.js [trials=10000] [epochs=10]`
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { JournalFileBackend } from "../src/tune/node/journal/file-backend.js";
import { distributionToJson, float, int, categorical } from "../src/tune/distributions.js";
import type { JournalOp } from "../src/tune/journal/ops.js";
import { PYTHON, median } from "./common.js";

const ENTRY = fileURLToPath(new URL("../src/index.node.js", import.meta.url));

function writeJournal(path: string, trials: number, epochs: number): void {
  const backend = new JournalFileBackend(path);
  const w = "0b5e2c1a-7d3f-4c55-9e61-2f0c8a9d4b17-1";
  const d = { lr: distributionToJson(float(1e-5, 1, { log: true })), momentum: distributionToJson(float(0.5, 0.99)), hidden: distributionToJson(categorical([128, 256, 512])), layers: distributionToJson(int(1, 4)) };
  backend.appendLogs([{ op_code: 0, worker_id: w, study_name: "big", directions: [1] }]);
  let batch: JournalOp[] = [];
  for (let id = 0; id < trials; id++) {
    const at = (s: number) => new Date(Date.UTC(2026, 11, 5) + id * 1000 + s).toISOString().replace("Z", "000");
    batch.push({ op_code: 4, worker_id: w, study_id: 0, datetime_start: at(0) });
    batch.push({ op_code: 5, worker_id: w, trial_id: id, param_name: "lr", param_value_internal: 10 ** (-5 + 5 * ((id * 0.618) % 1)), distribution: d.lr });
    batch.push({ op_code: 5, worker_id: w, trial_id: id, param_name: "momentum", param_value_internal: 0.5 + 0.49 * ((id * 0.37) % 1), distribution: d.momentum });
    batch.push({ op_code: 5, worker_id: w, trial_id: id, param_name: "hidden", param_value_internal: id % 3, distribution: d.hidden });
    batch.push({ op_code: 5, worker_id: w, trial_id: id, param_name: "layers", param_value_internal: 1 + (id % 4), distribution: d.layers });
    const pruned = id % 20 === 19;
    const last = pruned ? 3 : epochs;
    for (let e = 0; e < last; e++) batch.push({ op_code: 7, worker_id: w, trial_id: id, step: e, intermediate_value: 1 / (e + 1 + (id % 7)) });
    batch.push({ op_code: 8, worker_id: w, trial_id: id, user_attr: { diagnosis: "converged; no overfitting" } });
    batch.push({ op_code: 6, worker_id: w, trial_id: id, state: pruned ? 2 : 1, values: [1 / (last + (id % 7))], datetime_complete: at(900) });
    if (batch.length > 5000) {
      backend.appendLogs(batch);
      batch = [];
    }
  }
  backend.appendLogs(batch);
}

const MINIMA_LOAD = `const t0 = performance.now(); const mn = await import(process.argv[1]); const t1 = performance.now();
const study = mn.tune.loadStudy({ storage: process.argv[2], studyName: "big" }); const n = study.trials.length; const t2 = performance.now();
study.setUserAttr("one", 1); const t3 = performance.now(); study.userAttrs; const t4 = performance.now();
console.log(JSON.stringify({ load: (t2 - t1) / 1000, import: (t1 - t0) / 1000, write: (t3 - t2) / 1000, sync: (t4 - t3) / 1000, trials: n, rss: process.memoryUsage().rss }));`;
const OPTUNA_LOAD = `import json, sys, time, warnings
warnings.simplefilter("ignore")
import optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
t1 = time.perf_counter()
s = optuna.load_study(study_name="big", storage=optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1])))
n = len(s.trials)
print(json.dumps({"load": time.perf_counter() - t1, "trials": n}))`;

const trials = Number(process.argv[2] ?? 10000);
const epochs = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(join(tmpdir(), "minima-journal-bench-"));
try {
  const path = join(dir, "journal.log");
  const w0 = performance.now();
  writeJournal(path, trials, epochs);
  const bytes = statSync(path).size;
  const lines = trials * 8 + 1;
  console.error(`wrote ${trials} trials (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${((performance.now() - w0) / 1000).toFixed(1)} s`);
  const minima: { load: number; sync: number; write: number; rss: number; trials: number }[] = [];
  const optuna: { load: number; trials: number }[] = [];
  for (let r = 0; r < 5; r++) {
    const m = spawnSync(process.execPath, ["--input-type=module", "-e", MINIMA_LOAD, ENTRY, path], { encoding: "utf8" });
    if (m.status !== 0) throw new Error(m.stderr);
    minima.push(JSON.parse(m.stdout));
    const o = spawnSync(PYTHON, ["-c", OPTUNA_LOAD, path], { encoding: "utf8" });
    if (o.status === 0) optuna.push(JSON.parse(o.stdout));
    else console.error(`Optuna did not run: ${o.stderr.trim().split("\n").pop()}`);
  }
  console.log(`journal of ${trials} trials × ${epochs} epochs: ${(bytes / 2 ** 20).toFixed(1)} MiB, about ${lines + trials * (epochs - 1)} lines; medians of ${minima.length} fresh processes`);
  console.log(`| reader | open + load + trials | one append + sync |`);
  console.log(`|---|---|---|`);
  console.log(`| minima | ${median(minima.map((x) => x.load)).toFixed(2)} s (peak RSS ${(median(minima.map((x) => x.rss)) / 2 ** 20).toFixed(0)} MiB) | ${(median(minima.map((x) => x.write)) * 1000).toFixed(1)} ms (a sync with nothing new: ${(median(minima.map((x) => x.sync)) * 1000).toFixed(2)} ms) |`);
  if (optuna.length > 0) console.log(`| Optuna 3.1 | ${median(optuna.map((x) => x.load)).toFixed(2)} s | — |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
