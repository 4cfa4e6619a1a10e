import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";
import * as mn from "../../src/index.node.js";
import { encodeOpLine } from "../../src/tune/journal/op-line.js";
import { journalDate, type JournalOp } from "../../src/tune/journal/ops.js";
import { pythonJsonLoads } from "../../src/tune/journal/python-json.js";
import { JournalFileBackend } from "../../src/tune/node/journal/file-backend.js";
import { JournalFileLock } from "../../src/tune/node/journal/file-lock.js";
import { PYTHON, needOptuna } from "../helpers/optuna-peer.js";
import { repoRoot } from "../helpers/repo-root.js";

// The reference in every test here is Debian's Optuna 3.1 itself, run by tools/optuna_journal_peer.py.
const PEER = join(repoRoot(), "tools", "optuna_journal_peer.py");
const ENTRY = fileURLToPath(new URL("../../src/index.node.js", import.meta.url));
const quiet = { onWarning: () => {} };

function tempJournal(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "minima-optuna-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "journal.log");
}

function peer(...args: string[]): string {
  const r = spawnSync(PYTHON, [PEER, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Non-finite numbers as the peer writes them ("NaN", "Infinity", "-Infinity"); everything else as JSON. */
function plain(x: unknown): unknown {
  if (typeof x === "number" && !Number.isFinite(x)) return String(x);
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

/** A datetime as Optuna prints it, to the millisecond JavaScript keeps (the last three digits dropped). */
function toMs(iso: string | null): string | null {
  return iso === null ? null : iso.slice(0, -3) + "000";
}

/** The study as minima reads it, in the shape of the peer's `dump`. */
function minimaView(path: string, studyName: string): unknown {
  const study = mn.tune.loadStudy({ storage: path, studyName });
  let best: unknown = null;
  try {
    best = { number: study.bestTrial.number, value: study.bestValue, params: study.bestParams };
  } catch {
    best = null;
  }
  return plain({
    study_name: study.studyName,
    directions: [study.direction.toUpperCase()],
    user_attrs: study.userAttrs,
    system_attrs: study.systemAttrs,
    trials: study.trials.map((t) => ({
      number: t.number,
      trial_id: t.trialId,
      state: t.state,
      params: t.params,
      distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, mn.tune.distributionToJson(d)])),
      value: t.value,
      intermediate_values: Object.fromEntries(t.intermediateValues),
      user_attrs: t.userAttrs,
      system_attrs: t.systemAttrs,
      datetime_start: t.datetimeStart ? journalDate(t.datetimeStart) : null,
      datetime_complete: t.datetimeComplete ? journalDate(t.datetimeComplete) : null,
    })),
    best,
  });
}

/** The study as Optuna reads it, datetimes cut to milliseconds. */
function optunaView(path: string, studyName: string): unknown {
  const view = JSON.parse(peer("dump", path, studyName)) as { trials: { datetime_start: string | null; datetime_complete: string | null }[] };
  for (const t of view.trials) {
    t.datetime_start = toMs(t.datetime_start);
    t.datetime_complete = toMs(t.datetime_complete);
  }
  return view;
}

describe("journal file and Debian's Optuna 3.1 read each other's studies", () => {
  test("Optuna loads a study minima wrote: same trials, states, params, values, intermediate values, attrs, best", (t) => {
    if (!needOptuna(t)) return;
    const path = tempJournal(t);
    const study = mn.tune.createStudy({ storage: path, studyName: "minima-written", sampler: new mn.tune.RandomSampler({ seed: 5 }), ...quiet });
    study.setUserAttr("dataset", "fashion-mnist ✓");
    study.setSystemAttr("note", { nested: [1, 2.5, null, true], nan: NaN });
    study.optimize((trial) => {
      const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
      const layers = trial.suggestInt("layers", 1, 4);
      const act = trial.suggestCategorical("act", ["relu", "tanh", null]);
      const width = trial.suggestFloat("width", 0, 1, { step: 0.25 });
      trial.setUserAttr("tag", `t${trial.number} 😀`);
      if (trial.number === 1) {
        trial.report(NaN, 0);
        trial.report(0.75, 1);
        throw new mn.tune.TrialPruned();
      }
      if (trial.number === 2) throw new RangeError("objective failed");
      trial.report(Infinity, 0);
      trial.report(-Infinity, 1);
      trial.report(lr * layers, 2);
      if (trial.number === 3) return Infinity;
      if (trial.number === 4) return NaN;
      return lr * layers + width + (act === null ? 1 : 0);
    }, { nTrials: 7, catch: [RangeError] });
    study.enqueueTrial({ lr: 0.01, layers: 2 });
    mn.tune.createStudy({ storage: path, studyName: "second", direction: "maximize", sampler: new mn.tune.RandomSampler({ seed: 1 }), ...quiet })
      .optimize((trial) => trial.suggestInt("k", 0, 10), { nTrials: 3 });

    const optuna = optunaView(path, "minima-written") as { trials: { state: string }[]; best: { number: number } };
    assert.deepEqual(optuna.trials.map((x) => x.state), ["COMPLETE", "PRUNED", "FAIL", "COMPLETE", "FAIL", "COMPLETE", "COMPLETE", "WAITING"]);
    assert.equal(optuna.best.number, study.bestTrial.number);
    assert.deepEqual(minimaView(path, "minima-written"), optuna);
    assert.deepEqual(minimaView(path, "second"), optunaView(path, "second"));
  });

  test("minima loads a study Optuna wrote (NaN/inf values, pruned, failed, enqueued and added trials): as Optuna reads it", (t) => {
    if (!needOptuna(t)) return;
    const path = tempJournal(t);
    peer("write", path);
    const optuna = optunaView(path, "optuna-written") as { trials: { state: string }[] };
    assert.deepEqual(optuna.trials.map((x) => x.state), ["COMPLETE", "PRUNED", "FAIL", "COMPLETE", "FAIL", "COMPLETE", "COMPLETE", "WAITING", "COMPLETE"]);
    assert.deepEqual(minimaView(path, "optuna-written"), optuna);
    assert.deepEqual(minimaView(path, "second"), optunaView(path, "second"));
    // minima goes on with Optuna's study: the enqueued trial is claimed with its fixed params.
    const study = mn.tune.loadStudy({ storage: path, studyName: "optuna-written", sampler: new mn.tune.RandomSampler({ seed: 1 }), ...quiet });
    const trial = study.ask();
    assert.equal(trial.number, 7);
    assert.equal(trial.suggestFloat("lr", 1e-5, 1, { log: true }), 0.01);
    study.tell(trial, 0.125);
    assert.equal((optunaView(path, "optuna-written") as { trials: { value: number }[] }).trials[7]!.value, 0.125);
  });

  test("every line Optuna wrote is the line minima writes for the same op, byte for byte", (t) => {
    if (!needOptuna(t)) return;
    const path = tempJournal(t);
    peer("write", path);
    const lines = readFileSync(path, "utf8").split("\n").slice(0, -1);
    assert.ok(lines.length > 60, String(lines.length));
    for (const line of lines) assert.equal(encodeOpLine(pythonJsonLoads(line) as JournalOp), line);
  });
});

describe("journal file: minima and Optuna 3.1 processes share the lock", () => {
  test("minima's append waits while Optuna holds <journal>.lock", async (t) => {
    if (!needOptuna(t)) return;
    const path = tempJournal(t);
    const backend = new JournalFileBackend(path);
    const holder = spawn(PYTHON, [PEER, "hold-lock", path, "1.0"], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<number | null>((r) => holder.on("exit", r));
    await new Promise<void>((r) => holder.stdout.on("data", (d: Buffer) => d.toString().includes("locked") && r()));
    const start = performance.now();
    backend.appendLogs([{ op_code: 0, worker_id: "w-1", study_name: "s", directions: [1] }]);
    const waited = (performance.now() - start) / 1000;
    assert.equal(await exited, 0);
    assert.ok(waited > 0.5, `the append went ahead after ${waited} s while Optuna held the lock`);
    assert.equal(backend.readLogs(0).length, 1);
  });

  test("Optuna's append waits while minima holds the lock, then lands whole", async (t) => {
    if (!needOptuna(t)) return;
    const path = tempJournal(t);
    mn.tune.createStudy({ storage: path, studyName: "race", ...quiet });
    const before = readFileSync(path, "utf8");
    const lock = new JournalFileLock(path);
    lock.acquire();
    const writer = spawn(PYTHON, [PEER, "append", path, "1", "optuna"], { stdio: "inherit" });
    const exited = new Promise<number | null>((r) => writer.on("exit", r));
    await new Promise((r) => setTimeout(r, 1500)); // Optuna imports in about 0.5 s, then waits on the lock
    assert.equal(readFileSync(path, "utf8"), before, "Optuna wrote while minima held the lock");
    lock.release();
    assert.equal(await exited, 0);
    assert.deepEqual(mn.tune.loadStudy({ storage: path, studyName: "race" }).userAttrs, { "optuna-0": 0 });
  });

  test("3 minima and 2 Optuna processes appending at once lose no line", async (t) => {
    if (!needOptuna(t)) return;
    const path = tempJournal(t);
    mn.tune.createStudy({ storage: path, studyName: "race", ...quiet });
    const linesBefore = readFileSync(path, "utf8").split("\n").length - 1;
    const n = 60;
    const code = `const mn = await import(process.argv[1]); const s = mn.tune.openStorage(process.argv[2]); const id = s.getStudyIdFromName("race"); for (let i = 0; i < ${n}; i++) s.setStudyUserAttr(id, process.argv[3] + "-" + i, i);`;
    const run = (cmd: string, args: string[]) => new Promise<number | null>((r) => spawn(cmd, args, { stdio: "inherit" }).on("exit", r));
    const codes = await Promise.all([
      ...["m0", "m1", "m2"].map((tag) => run(process.execPath, ["--input-type=module", "-e", code, ENTRY, path, tag])),
      ...["o0", "o1"].map((tag) => run(PYTHON, [PEER, "append", path, String(n), tag])),
    ]);
    assert.deepEqual(codes, [0, 0, 0, 0, 0]);
    const expected: Record<string, number> = {};
    for (const tag of ["m0", "m1", "m2", "o0", "o1"]) for (let i = 0; i < n; i++) expected[`${tag}-${i}`] = i;
    const attrs = mn.tune.loadStudy({ storage: path, studyName: "race" }).userAttrs;
    assert.deepEqual(Object.fromEntries(Object.entries(attrs).sort()), Object.fromEntries(Object.entries(expected).sort()));
    assert.equal(readFileSync(path, "utf8").split("\n").length - 1, linesBefore + 5 * n);
    assert.equal(Object.keys((JSON.parse(peer("dump", path, "race")) as { user_attrs: object }).user_attrs).length, 5 * n);
  });
});
