import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import * as mn from "../../src/index.node.js";
import { JournalFileBackend } from "../../src/tune/node/journal/file-backend.js";
import { JournalFileLock } from "../../src/tune/node/journal/file-lock.js";
import { FileHeartbeats } from "../../src/tune/node/journal/heartbeat-files.js";
import type { JournalOp } from "../../src/tune/journal/ops.js";
import { JournalReplay } from "../../src/tune/journal/replay.js";
import { mountSmallDisk } from "../helpers/small-disk.js";

const quiet = { onWarning: () => {} };

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "minima-journal-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function attrOp(i: number): JournalOp {
  return { op_code: 2, worker_id: "w-1", study_id: 0, user_attr: { [`k${i}`]: i } };
}

/** A journal holding a study "s" and n user-attr ops, written by the backend under test. */
function journalWith(dir: string, n: number): string {
  const path = join(dir, "journal.log");
  const b = new JournalFileBackend(path);
  b.appendLogs([{ op_code: 0, worker_id: "w-1", study_name: "s", directions: [1] }, ...Array.from({ length: n }, (_, i) => attrOp(i))]);
  return path;
}

describe("journal file: a study survives the process (reference: the study as it was written)", () => {
  test("a fresh process's storage reads back every trial: states, params, values, NaN and ±inf intermediate values, attrs", (t) => {
    const path = join(tempDir(t), "journal.log");
    const study = mn.tune.createStudy({ storage: path, studyName: "s", sampler: new mn.tune.RandomSampler({ seed: 2 }), ...quiet });
    study.setUserAttr("u", { a: [1, 0.5] });
    study.optimize((trial) => {
      const x = trial.suggestFloat("x", 1e-4, 1, { log: true });
      const c = trial.suggestCategorical("c", ["relu", null, 3]);
      trial.report(NaN, 0);
      trial.report(-Infinity, 1);
      trial.setUserAttr("note", "é✓😀");
      if (trial.number === 1) throw new mn.tune.TrialPruned();
      return c === 3 ? Infinity : x;
    }, { nTrials: 4 });
    study.enqueueTrial({ x: 0.1 });
    const again = mn.tune.loadStudy({ storage: path, studyName: "s" });
    assert.deepEqual(again.trials, study.trials);
    assert.deepEqual(again.userAttrs, { u: { a: [1, 0.5] } });
    assert.equal(again.trials[1]!.state, "PRUNED");
    assert.equal(again.trials[4]!.state, "WAITING");
    assert.ok(Number.isNaN(again.trials[0]!.intermediateValues.get(0)));
    assert.equal(again.bestTrial.number, study.bestTrial.number);
  });

  test("a sync reads only the bytes appended since the last one (an old line changed in place is not read again)", (t) => {
    const path = journalWith(tempDir(t), 3);
    const reader = new JournalFileBackend(path);
    assert.equal(reader.readLogs(0).length, 4);
    // Overwrite line 2 in place with garbage of the same length: a reader that re-read the file would fail.
    const text = readFileSync(path, "utf8").split("\n");
    text[1] = "x".repeat(text[1]!.length);
    writeFileSync(path, text.join("\n"));
    appendFileSync(path, JSON.stringify(attrOp(9)) + "\n");
    assert.deepEqual(reader.readLogs(4), [attrOp(9)]);
    assert.throws(() => new JournalFileBackend(path).readLogs(0), { message: `${path}: line 2 is not a journal op: expected a JSON value, found "xxxxxxxxxxxx" at character 1; the journal is corrupt` });
  });

  test("a torn last line is skipped, not fatal, and read once its writer completes it", (t) => {
    const path = journalWith(tempDir(t), 2);
    const line = '{"op_code": 2, "worker_id": "w-2", "study_id": 0, "user_attr": {"late": NaN}}\n';
    appendFileSync(path, line.slice(0, 30));
    const storage = mn.tune.openStorage(path);
    assert.deepEqual(storage.getStudyUserAttrs(0), { k0: 0, k1: 1 });
    appendFileSync(path, line.slice(30));
    const attrs = storage.getStudyUserAttrs(0);
    assert.deepEqual(Object.keys(attrs), ["k0", "k1", "late"]);
    assert.ok(Number.isNaN(attrs["late"]));
  });

  test("a broken line followed by others is a StorageError naming the file and the line; a broken last line waits (Optuna's rule)", (t) => {
    const path = journalWith(tempDir(t), 2);
    appendFileSync(path, '{"op_code": 2, "worker_id": "w-1", "study_id": 0, "user_attr": {"k": nan}}\n');
    assert.deepEqual(mn.tune.openStorage(path).getStudyUserAttrs(0), { k0: 0, k1: 1 });
    appendFileSync(path, JSON.stringify(attrOp(5)) + "\n");
    assert.throws(() => mn.tune.openStorage(path), (e: unknown) => e instanceof mn.StorageError && e.message === `${path}: line 4 is not a journal op: expected a JSON value, found "nan}}" at character 70; the journal is corrupt`);
    const notOp = journalWith(tempDir(t), 1);
    appendFileSync(notOp, '[1, 2]\n{"op_code": 1}\n');
    assert.throws(() => mn.tune.openStorage(notOp), { message: `${notOp}: line 3 is not a journal op: expected an object with an op_code, got [1, 2]; the journal is corrupt` });
  });

  test("a torn tail left by a writer that died inside its write is cut off before the next append", (t) => {
    const path = journalWith(tempDir(t), 1);
    const before = readFileSync(path, "utf8");
    appendFileSync(path, '{"op_code": 2, "worker_id": "dead", "stu');
    new JournalFileBackend(path).appendLogs([attrOp(7)]);
    assert.equal(readFileSync(path, "utf8"), before + '{"op_code": 2, "worker_id": "w-1", "study_id": 0, "user_attr": {"k7": 7}}\n');
    assert.deepEqual(mn.tune.openStorage(path).getStudyUserAttrs(0), { k0: 0, k7: 7 });
  });
});

describe("journal file: files that are not journals, paths that cannot be written", () => {
  test("a SQLite database, a binary file and a JSON document are refused by name", (t) => {
    const dir = tempDir(t);
    const db = join(dir, "study.db");
    writeFileSync(db, Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(84)]));
    assert.throws(() => mn.tune.openStorage(db), (e: unknown) => e instanceof mn.StorageError && e.message === `${db}: is a SQLite database, not an Optuna journal; expected the URL sqlite:///${db}`);
    const png = join(dir, "chart.png");
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    assert.throws(() => mn.tune.openStorage(png), { message: `${png}: is not an Optuna journal (JSON lines of ops); expected a file whose lines start with {"op_code", got a file starting with "\\x89PNG\\x0d\\x0a\\x1a\\x0a"` });
    const config = join(dir, "config.json");
    writeFileSync(config, '{\n  "epochs": 3\n}\n');
    assert.throws(() => mn.tune.openStorage(config), { message: `${config}: is not an Optuna journal (JSON lines of ops): line 1: expected a key in quotes, found the end of the line at character 2` });
  });

  test("a missing folder and a folder in the journal's place are refused by name", (t) => {
    const dir = tempDir(t);
    const missing = join(dir, "no", "journal.log");
    assert.throws(() => mn.tune.openStorage(missing), (e: unknown) => e instanceof mn.FileError && e.message === `cannot write ${missing}: no such folder ${join(dir, "no")}`);
    mkdirSync(join(dir, "box"));
    assert.throws(() => mn.tune.openStorage(join(dir, "box")), { message: `${join(dir, "box")}: is a folder; expected a journal file (or a storage URL: sqlite:///…, postgresql://…)` });
  });

  test("a journal on a read-only disk is read, and a write to it names the file and the reason", (t) => {
    const disk = mountSmallDisk(t, "1m");
    if (disk === null) return;
    const path = join(disk.dir, "journal.log");
    mn.tune.createStudy({ storage: path, studyName: "s", ...quiet }).optimize(() => 1, { nTrials: 2 });
    const r = spawnSync("mount", ["-o", "remount,ro", disk.dir], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const study = mn.tune.loadStudy({ storage: path, studyName: "s" });
    assert.equal(study.trials.length, 2);
    assert.throws(() => study.setUserAttr("a", 1), (e: unknown) => e instanceof mn.FileError && e.message === `read-only file system writing ${path}.lock`);
  });
});

describe("journal file: Optuna's lock protocol", () => {
  test("an append takes the symlink <journal>.lock pointing at the journal and leaves no lock file behind", (t) => {
    const dir = tempDir(t);
    const path = join(dir, "journal.log");
    const lock = new JournalFileLock(path);
    lock.acquire();
    assert.ok(lstatSync(path + ".lock").isSymbolicLink());
    assert.equal(readlinkSync(path + ".lock"), "journal.log");
    lock.release();
    journalWith(dir, 2);
    assert.deepEqual(readdirSync(dir), ["journal.log"]);
  });

  test("a lock left by a dead writer is broken after the grace period, with a warning", (t) => {
    const dir = tempDir(t);
    const path = journalWith(dir, 1);
    symlinkSync("journal.log", path + ".lock");
    const warnings: string[] = [];
    const b = new JournalFileBackend(path, { grace: 0.3, onWarning: (m) => warnings.push(m) });
    const start = performance.now();
    b.appendLogs([attrOp(1)]);
    const waited = (performance.now() - start) / 1000;
    assert.ok(waited >= 0.3 && waited < 3, String(waited));
    assert.deepEqual(warnings, [`${path}: broke the journal lock ${path}.lock, unchanged for 0.3 s (a writer died holding it)`]);
    assert.equal(b.readLogs(0).length, 3);
    assert.deepEqual(readdirSync(dir), ["journal.log"]);
  });

  test("a holder whose lock was broken while it stalled does not remove the next holder's lock", (t) => {
    const path = join(tempDir(t), "journal.log");
    const warnings: string[] = [];
    const stalled = new JournalFileLock(path, { onWarning: (m) => warnings.push(m) });
    stalled.acquire();
    rmSync(path + ".lock"); // broken by another process after the grace period…
    const next = new JournalFileLock(path);
    next.acquire(); // …which now holds a lock of its own
    stalled.release();
    assert.ok(lstatSync(path + ".lock").isSymbolicLink(), "the next holder's lock stays");
    assert.deepEqual(warnings, [`${path}: this process's journal lock was broken by another process while it held it`]);
    next.release();
    assert.equal(existsSync(path + ".lock"), false);
  });
});

describe("journal file: heartbeats in a sidecar folder (Optuna reads only the journal)", () => {
  test("a beat is a file <journal>.heartbeats/<trial id>; its age follows its modification time; forget removes it", (t) => {
    const path = join(tempDir(t), "journal.log");
    const book = new FileHeartbeats(path);
    assert.equal(book.age(3), null);
    book.beat(3);
    assert.ok(book.age(3)! < 0.5);
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    utimesSync(join(path + ".heartbeats", "3"), tenSecondsAgo, tenSecondsAgo);
    assert.ok(Math.abs(book.age(3)! - 10) < 0.5, String(book.age(3)));
    book.forget(3);
    assert.equal(book.age(3), null);
  });

  test("with a heartbeat policy another process's storage reaps a trial whose heartbeat went stale and enqueues its retry", async (t) => {
    const path = join(tempDir(t), "journal.log");
    const heartbeat = { interval: 0.05, grace: 0.2, maxRetry: null };
    const dead = mn.tune.createStudy({ storage: mn.tune.openStorage(path, { heartbeat }), studyName: "s", ...quiet });
    const trial = dead.ask();
    trial.suggestFloat("x", 0, 1);
    trial.setSystemAttr("minima:checkpoint", "ckpt/3");
    await new Promise((r) => setTimeout(r, 300));
    const reaper = mn.tune.openStorage(path, { heartbeat });
    assert.deepEqual(reaper.failStaleTrials(0), { failed: [0], retried: [1] });
    assert.deepEqual(reaper.failStaleTrials(0), { failed: [], retried: [] });
    const [failed, retry] = reaper.getAllTrials(0);
    assert.equal(failed!.state, "FAIL");
    assert.equal(retry!.state, "WAITING");
    assert.deepEqual(retry!.params, failed!.params);
    assert.deepEqual({ ...retry!.systemAttrs }, { failed_trial: 0, retry_history: [0], "minima:checkpoint": "ckpt/3", "minima:resume_from": "ckpt/3" });
    assert.deepEqual(readdirSync(path + ".heartbeats").filter((f) => f !== "clock"), []);
  });

  test("without a heartbeat policy no sidecar is written", (t) => {
    const dir = tempDir(t);
    mn.tune.createStudy({ storage: join(dir, "journal.log"), studyName: "s", ...quiet }).optimize(() => 1, { nTrials: 2 });
    assert.deepEqual(readdirSync(dir), ["journal.log"]);
  });
});

describe("journal: a reaper's FAIL is fenced by the lease it found stale (reference: the replay rules)", () => {
  test("a reap of a lease that was claimed again since is ignored; a reap of the current lease applies", () => {
    const replay = new JournalReplay("test");
    const reap = (owner: string, epoch: number): JournalOp => ({ op_code: 6, worker_id: "reaper", trial_id: 0, state: 3, values: null, datetime_complete: "2026-12-05T06:00:00.000000", minima_reaped_lease: { owner, epoch } });
    replay.apply([
      { op_code: 0, worker_id: "a", study_name: "s", directions: [1] },
      { op_code: 4, worker_id: "a", study_id: 0, datetime_start: "2026-12-05T06:00:00.000000" },
      { op_code: 6, worker_id: "a", trial_id: 0, state: 4, values: null }, // paused (ASHA)…
      { op_code: 6, worker_id: "b", trial_id: 0, state: 0, values: null, datetime_start: "2026-12-05T06:00:01.000000" }, // …claimed again by b
      reap("a", 1),
    ]);
    assert.equal(replay.trialRecord(0).state, "RUNNING");
    replay.apply([reap("b", 2)]);
    assert.equal(replay.trialRecord(0).state, "FAIL");
  });
});
