import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as mn from "../../src/index.node.js";
import { SqliteDriver, loadBetterSqlite3 } from "../../src/tune/node/sqlite-driver.js";
import { sqlitePath } from "../../src/tune/node/sqlite-storage.js";
import { OPTUNA_RDB_PEER, asOptunaDump, optunaDump, writeMixedStudy } from "../helpers/optuna-dump.js";
import { optunaSkipReason, runPython } from "../helpers/optuna-peer.js";
import { repoRoot } from "../helpers/repo-root.js";
import { newSqliteUrl, openSqlite, sqliteSkipReason, tempDbDir } from "../helpers/sqlite.js";

const skip = sqliteSkipReason();
const dir = skip === undefined ? tempDbDir() : "";
const root = repoRoot();
const quiet = { onWarning: () => {} };

/**
 * A worker process of the concurrency test: waits for the start time, claims WAITING trials until none is
 * left, then starts `fresh` new trials, and prints what it got as JSON. (Inline: a script file under test/
 * would be run by the test runner as a test file.)
 */
const claimWorker = `
import { openStorage } from ${JSON.stringify(pathToFileURL(join(root, "dist/src/tune/node/open-storage.js")).href)};
const [url, studyName, startAt, fresh] = process.argv.slice(1);
const storage = openStorage(url);
const studyId = storage.getStudyIdFromName(studyName);
const workerId = "claimer-" + process.pid;
while (Date.now() < Number(startAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
const claimed = [];
for (let lease = storage.claimWaitingTrial(studyId, workerId); lease !== null; lease = storage.claimWaitingTrial(studyId, workerId)) {
  claimed.push(lease.trialId);
  storage.setTrialIntermediateValue(lease, 0, claimed.length);
}
const started = [];
for (let i = 0; i < Number(fresh); i++) started.push(storage.startNewTrial(studyId, workerId).trialId);
storage.close();
process.stdout.write(JSON.stringify({ claimed, started }));
`;

/** A raw better-sqlite3 connection, to look at the file as Optuna would. */
function raw(url: string) {
  const Database = loadBetterSqlite3(url);
  return new Database(sqlitePath(url));
}

describe("SQLite storage: Optuna's schema, files and processes", { skip }, () => {
  test("minima's DDL equals the text of Optuna's v3.2.0.a SQLite schema (fixture made by tools/optuna-sqlite-schema.py from Optuna's own models), with version 12 and alembic v3.2.0.a", () => {
    const url = newSqliteUrl(dir);
    openSqlite(url).close();
    const db = raw(url);
    const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all([]) as { name: string; sql: string }[];
    const optuna = rows.filter((r) => !r.name.startsWith("minima_")).map((r) => `${r.sql};\n\n`).join("");
    assert.equal(optuna, readFileSync(join(root, "test/tune/fixtures/optuna-sqlite-schema-v3.2.0.a.sql"), "utf8"));
    assert.deepEqual(rows.filter((r) => r.name.startsWith("minima_")).map((r) => r.name), ["minima_leases"]);
    assert.deepEqual(db.prepare("SELECT * FROM version_info").all([]), [{ version_info_id: 1, schema_version: 12, library_version: "3.2.0" }]);
    assert.deepEqual(db.prepare("SELECT * FROM alembic_version").all([]), [{ version_num: "v3.2.0.a" }]);
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    db.close();
  });

  test("the schema fixture is what Optuna's models create: Optuna 3.1's tables plus v3.2.0.a's index on trials.study_id", { skip: optunaSkipReason() }, () => {
    const fixture = readFileSync(join(root, "test/tune/fixtures/optuna-sqlite-schema-v3.2.0.a.sql"), "utf8");
    assert.equal(runPython(join(root, "tools/optuna-sqlite-schema.py"), []), fixture);
    const v31 = runPython(join(root, "tools/optuna-sqlite-schema.py"), ["--v3.1"]);
    assert.equal(fixture.replace("CREATE INDEX ix_trials_study_id ON trials (study_id);\n\n", ""), v31);
  });

  test("a database Optuna 3.1 wrote (alembic v3.0.0.d) reads the same in minima, trial for trial; minima's trials in it read the same in Optuna, which still opens it", { skip: optunaSkipReason() }, () => {
    const url = newSqliteUrl(dir);
    runPython(OPTUNA_RDB_PEER, ["write", url]);
    const expected = optunaDump(url, "optuna-made", false);
    const study = mn.tune.loadStudy({ storage: url, studyName: "optuna-made", ...quiet });
    assert.deepEqual(study.trials.map(asOptunaDump), expected.trials);
    assert.deepEqual(expected.trials.map((t) => t.state), ["COMPLETE", "PRUNED", "FAIL", "COMPLETE", "WAITING"]);
    assert.equal(study.direction, "minimize");
    assert.deepEqual(study.userAttrs, { dataset: "fashion-mnist ✓" });
    assert.deepEqual([study.bestTrial.number, study.bestValue], [expected.best!.number, expected.best!.value]);
    // minima runs the enqueued trial and one more in the same database.
    study.optimize((t) => t.suggestFloat("lr", 1e-5, 1, { log: true }) + t.suggestInt("layers", 1, 4), { nTrials: 2 });
    study.storage.close();
    const after = optunaDump(url, "optuna-made", false);
    const reread = mn.tune.loadStudy({ storage: url, studyName: "optuna-made", ...quiet });
    assert.deepEqual(after.trials, reread.trials.map(asOptunaDump));
    assert.deepEqual(after.trials.slice(4).map((t) => [t.number, t.state, t.params["layers"]]), [[4, "COMPLETE", 2], [5, "COMPLETE", after.trials[5]!.params["layers"]]]);
    assert.equal(after.trials[4]!.value, 0.01 + 2);
    reread.storage.close();
    const db = raw(url);
    assert.deepEqual(db.prepare("SELECT version_num FROM alembic_version").all([]), [{ version_num: "v3.0.0.d" }]);
    db.close();
  });

  test("a study minima wrote reads the same in Optuna 3.1 (trials, states, params, values, intermediate values, attrs, best); 3.1 itself refuses the newer v3.2.0.a schema unless told to skip its check", { skip: optunaSkipReason() }, () => {
    const url = newSqliteUrl(dir);
    const trials = writeMixedStudy(url, "minima-made");
    const dump = optunaDump(url, "minima-made", true);
    assert.deepEqual(dump.trials, trials.map(asOptunaDump));
    assert.deepEqual(dump.trials.map((t) => t.state), ["COMPLETE", "COMPLETE", "PRUNED", "FAIL", "COMPLETE", "COMPLETE"]);
    assert.equal(dump.direction, "MAXIMIZE");
    assert.deepEqual(dump.user_attrs, { note: { nested: [1, NaN, "é"] } });
    assert.deepEqual(dump.system_attrs, { "minima:sampler": { name: "random", seed: 5 }, "minima:pruner": { name: "none" } });
    const best = trials.filter((t) => t.state === "COMPLETE").reduce((a, b) => (b.value! > a.value! ? b : a));
    assert.deepEqual(dump.best, { number: best.number, value: best.value, params: best.params });
    assert.equal(runPython(OPTUNA_RDB_PEER, ["open", url]).trim(), "The runtime optuna version 3.1.0 is no longer compatible with the table schema (set up by optuna 3.2.0). Please try updating optuna to the latest version by `$ pip install -U optuna`.");
  });

  test("4 processes at once: 9 WAITING trials are claimed once each, and 20 new trials get numbers 9–28 without a gap or a repeat", async () => {
    const url = newSqliteUrl(dir);
    const study = mn.tune.createStudy({ storage: url, studyName: "grid", ...quiet });
    for (let i = 0; i < 9; i++) study.enqueueTrial({ x: i });
    const waiting = study.trials.map((t) => t.trialId);
    const startAt = Date.now() + 1500;
    const outputs = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<{ claimed: number[]; started: number[] }>((resolve, reject) => {
            const child = spawn(process.execPath, ["--input-type=module", "-e", claimWorker, url, "grid", String(startAt), "5"], { stdio: ["ignore", "pipe", "pipe"] });
            let out = "";
            let err = "";
            child.stdout.on("data", (d) => (out += d));
            child.stderr.on("data", (d) => (err += d));
            child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`))));
          }),
      ),
    );
    const claimed = outputs.flatMap((o) => o.claimed);
    assert.deepEqual([...claimed].sort((a, b) => a - b), waiting);
    const trials = study.trials;
    assert.deepEqual(trials.map((t) => t.number), [...Array(29).keys()]);
    assert.deepEqual(trials.slice(0, 9).map((t) => [t.state, t.intermediateValues.size]), Array(9).fill(["RUNNING", 1]));
    assert.equal(new Set(outputs.flatMap((o) => o.started)).size, 20);
    study.storage.close();
  });

  test("heartbeats are written by the database clock in SQLAlchemy's DATETIME text, which Optuna parses", () => {
    const url = newSqliteUrl(dir);
    const storage = openSqlite(url, { interval: 1, grace: 5, maxRetry: 0 });
    const lease = storage.startNewTrial(storage.createNewStudy(["minimize"], "s"), "w");
    assert.equal(storage.recordHeartbeat(lease), true);
    const db = raw(url);
    const [row] = db.prepare("SELECT heartbeat FROM trial_heartbeats").all([]) as { heartbeat: string }[];
    db.close();
    storage.close();
    assert.match(row!.heartbeat, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    const utc = Date.parse(`${row!.heartbeat.replace(" ", "T").slice(0, 23)}Z`);
    assert.ok(Math.abs(utc - Date.now()) < 5000, `${row!.heartbeat} is UTC now`);
  });

  test("errors: a URL without three slashes, a file that is not a database, a schema revision minima does not read, a database with a foreign studies table, a missing folder", () => {
    assert.throws(() => mn.tune.openStorage("sqlite:study.db"), { name: "StorageError", message: 'openStorage: a SQLite URL names its file after three slashes; expected sqlite:///relative/path.db or sqlite:////absolute/path.db, got "sqlite:study.db"' });
    const notDb = join(dir, "not-a-db.db");
    writeFileSync(notDb, "this is a journal line, not SQLite\n".repeat(100));
    assert.throws(() => mn.tune.openStorage(`sqlite:///${notDb}`), { name: "StorageError", message: `sqlite:///${notDb}: SQLite: file is not a database` });
    const old = newSqliteUrl(dir);
    const db = raw(old);
    db.exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL); INSERT INTO alembic_version VALUES ('v2.6.0.a')");
    db.close();
    assert.throws(() => mn.tune.openStorage(old), { name: "StorageError", message: `${old}: the database's Optuna schema is a revision minima does not read (upgrade an older one with \`optuna storage upgrade --storage <url>\`); expected alembic revision v3.0.0.d or v3.2.0.a, got v2.6.0.a` });
    const foreign = newSqliteUrl(dir);
    const other = raw(foreign);
    other.exec("CREATE TABLE studies (id INTEGER)");
    other.close();
    assert.throws(() => mn.tune.openStorage(foreign), { name: "StorageError", message: `${foreign}: the database has a studies table but no alembic_version, so it is not an Optuna storage minima can read` });
    const missing = `sqlite:///${join(dir, "no-such-folder", "s.db")}`;
    assert.throws(() => mn.tune.openStorage(missing), { name: "StorageError", message: `${missing}: cannot open the SQLite database ${JSON.stringify(join(dir, "no-such-folder", "s.db"))}: Cannot open database because the directory does not exist` });
  });

  /** Runs fn while Node's module loader fails for better-sqlite3 with `error`, as it does when the package is absent or its addon unbuilt. */
  function withoutBetterSqlite3(error: Error, fn: () => void): void {
    const M = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = M._load;
    M._load = function (request: string, ...rest: unknown[]) {
      if (request === "better-sqlite3") throw error;
      return original.call(this, request, ...rest);
    };
    try {
      fn();
    } finally {
      M._load = original;
    }
  }

  test("without better-sqlite3 installed, or with its addon unbuilt, a sqlite: URL is refused with how to fix it", () => {
    const url = newSqliteUrl(dir);
    withoutBetterSqlite3(Object.assign(new Error("Cannot find module 'better-sqlite3'"), { code: "MODULE_NOT_FOUND" }), () => {
      assert.throws(() => mn.tune.openStorage(url), { name: "StorageError", message: `${url}: SQLite storage needs the optional package better-sqlite3, which is not installed; expected it installed: npm install better-sqlite3@12` });
    });
    // The error the bindings package throws when the install script did not run.
    withoutBetterSqlite3(new Error("Could not locate the bindings file. Tried:\n → /x/build/better_sqlite3.node"), () => {
      assert.throws(() => mn.tune.openStorage(url), { name: "StorageError", message: `${url}: better-sqlite3 is installed but does not load (Could not locate the bindings file. Tried:); expected its addon built for this Node: npm install-scripts approve better-sqlite3 (npm ≥ 11), then npm rebuild better-sqlite3` });
    });
  });

  test("finished trials are read once and kept; a trial id SQLite reuses after another connection deleted the study is read anew", () => {
    const url = newSqliteUrl(dir);
    const reader = openSqlite(url);
    const writer = openSqlite(url);
    const finishTwo = (studyName: string, value: number) => {
      const id = writer.createNewStudy(["minimize"], studyName);
      for (let i = 0; i < 2; i++) writer.setTrialStateValue(writer.startNewTrial(id, "w"), "COMPLETE", value + i);
      return id;
    };
    const x = finishTwo("x", 10);
    const before = reader.getAllTrials(x);
    assert.deepEqual(before.map((t) => t.value), [10, 11]);
    assert.equal(reader.getAllTrials(x)[0], before[0], "the same object: served from the cache");
    writer.deleteStudy(x);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    const y = finishTwo("y", 20);
    const after = reader.getAllTrials(y);
    assert.deepEqual(after.map((t) => t.trialId), before.map((t) => t.trialId), "SQLite reused the ids");
    assert.deepEqual(after.map((t) => t.value), [20, 21]);
    reader.close();
    writer.close();
  });

  test("WAL: reads go on while another connection holds the write lock; a write waits busy_timeout per attempt, then fails naming how long", () => {
    const url = newSqliteUrl(dir);
    openSqlite(url).close();
    const holder = raw(url);
    holder.exec("BEGIN IMMEDIATE");
    const driver = SqliteDriver.open(url, sqlitePath(url), { busyTimeoutMs: 50, busyAttempts: 2 });
    try {
      assert.deepEqual(driver.snapshot(() => driver.query("SELECT version_num FROM alembic_version")), [{ version_num: "v3.2.0.a" }]);
      const start = Date.now();
      assert.throws(() => driver.transaction(() => driver.query("INSERT INTO studies (study_name) VALUES ($1)", ["s"])), { name: "StorageError", message: `${url}: the database stayed locked by another process for 0.1 s` });
      assert.ok(Date.now() - start >= 90, "it waited for the lock");
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
      driver.close();
    }
  });

  test("a write blocked by another process's lock goes through once that process commits (retried after busy_timeout)", async () => {
    const url = newSqliteUrl(dir);
    const storage = openSqlite(url);
    const study = storage.createNewStudy(["minimize"], "s");
    storage.close();
    const py = "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\ntime.sleep(0.4)\nc.execute('COMMIT')\n";
    const child = spawn("/usr/bin/python3", ["-c", py, sqlitePath(url)], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const driver = SqliteDriver.open(url, sqlitePath(url), { busyTimeoutMs: 100, busyAttempts: 20 });
    const start = Date.now();
    const [row] = driver.transaction(() => driver.query("INSERT INTO trials (number, study_id, state) VALUES (0, $1, 'WAITING') RETURNING trial_id", [study]));
    assert.ok(Date.now() - start >= 200, `it waited for the other process (${Date.now() - start} ms)`);
    assert.equal(row!["trial_id"], 1);
    driver.close();
    await exited;
  });

  test("a paused trial claimed again by a worker without heartbeats beats at its claim, so a reaper elsewhere does not fail it for its beat from before the pause", () => {
    const url = newSqliteUrl(dir);
    const reaper = openSqlite(url, { interval: 0.05, grace: 0.2, maxRetry: null });
    const plain = openSqlite(url);
    const study = reaper.createNewStudy(["minimize"], "s");
    const first = reaper.startNewTrial(study, "w1");
    reaper.setTrialStateValue(first, "WAITING");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    const resumed = plain.claimWaitingTrial(study, "w2")!;
    assert.deepEqual([resumed.trialId, resumed.epoch], [first.trialId, 2]);
    assert.deepEqual(reaper.failStaleTrials(study), { failed: [], retried: [] });
    assert.equal(plain.getTrial(first.trialId).state, "RUNNING");
    reaper.close();
    plain.close();
  });

  test("sqlite URLs name files as SQLAlchemy reads them", () => {
    assert.equal(sqlitePath("sqlite:///study.db"), "study.db");
    assert.equal(sqlitePath("sqlite:////tmp/a b/study.db"), "/tmp/a b/study.db");
    assert.equal(sqlitePath("sqlite://"), ":memory:");
    assert.equal(sqlitePath("sqlite:///:memory:"), ":memory:");
  });
});
