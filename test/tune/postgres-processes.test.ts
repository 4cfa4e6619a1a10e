import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { PostgresDriver } from "../../src/tune/node/postgres-driver.js";
import { openPostgres } from "../../src/tune/node/postgres-storage.js";
import { privateServer, tempDatabase } from "../helpers/postgres.js";
import { repoRoot } from "../helpers/repo-root.js";

const quiet = { onWarning: () => {} };
const root = repoRoot();

/** Runs test/tune/fixtures/postgres-workers.ts in its own Node process; resolves with its stdout parsed as JSON. */
function runWorker<T>(args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "dist/test/tune/fixtures/postgres-workers.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`postgres-workers.js ${args[0]} exited ${code}: ${err}`))));
  });
}

describe("PostgreSQL storage under concurrent processes", () => {
  test("a claim skips the WAITING trial another transaction holds (SELECT … FOR UPDATE SKIP LOCKED): it takes the next one at once instead of waiting", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    // querySeconds 5: if the claim waited for the lock (in this one thread, forever) the test fails, it does not hang.
    const storage = openPostgres(url, {}, { querySeconds: 5 });
    const holder = new PostgresDriver(url);
    t.after(() => { storage.close(); holder.close(); });
    const study = storage.createNewStudy(["minimize"], "s");
    const [first, second] = [0, 1].map(() => storage.createTrial(study, { state: "WAITING" }));
    const lease = holder.transaction(() => {
      holder.query("SELECT trial_id FROM trials WHERE trial_id = $1 FOR UPDATE", [first]);
      return storage.claimWaitingTrial(study, "w");
    });
    assert.equal(lease?.trialId, second);
    assert.equal(storage.claimWaitingTrial(study, "w")?.trialId, first, "free again once the holder committed");
  });

  test("4 processes at once: 9 WAITING trials are claimed once each, and 20 new trials get numbers 9–28 without a gap or a repeat", async (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const study = mn.tune.createStudy({ storage: url, studyName: "grid", ...quiet });
    t.after(() => study.storage.close());
    for (let i = 0; i < 9; i++) study.enqueueTrial({ x: i });
    const waiting = study.trials.map((trial) => trial.trialId);
    const startAt = String(Date.now() + 1500); // after every process has connected
    const outputs = await Promise.all([0, 1, 2, 3].map(() => runWorker<{ claimed: number[]; started: number[] }>(["claim", url, "grid", startAt, "5"])));
    const claimed = outputs.flatMap((o) => o.claimed);
    assert.deepEqual([...claimed].sort((a, b) => a - b), waiting, `claims per process: ${outputs.map((o) => o.claimed.length).join(", ")}`);
    const trials = study.trials;
    assert.deepEqual(trials.map((trial) => trial.number), [...Array(29).keys()]);
    assert.deepEqual(trials.slice(0, 9).map((trial) => [trial.state, trial.intermediateValues.size]), Array(9).fill(["RUNNING", 1]));
    assert.equal(new Set(outputs.flatMap((o) => o.started)).size, 20);
  });
});

describe("PostgreSQL restarted mid-study (a private server)", () => {
  test("a trial in flight keeps its lease across a restart: its writes and heartbeats go on, another claim cannot take it", async (t) => {
    const server = await privateServer(t);
    if (server === null) return;
    const storage = openPostgres(server.url, { heartbeat: { interval: 1, grace: 30, maxRetry: 0 } });
    t.after(() => storage.close());
    const study = storage.createNewStudy(["minimize"], "s");
    const lease = storage.startNewTrial(study, "w");
    storage.setTrialIntermediateValue(lease, 0, 1.5);
    server.restart();
    assert.equal(storage.recordHeartbeat(lease), true);
    storage.setTrialIntermediateValue(lease, 1, 0.5);
    assert.equal(storage.claimWaitingTrial(study, "other"), null);
    storage.setTrialStateValue(lease, "COMPLETE", 0.25);
    const trial = storage.getTrial(lease.trialId);
    assert.deepEqual([trial.state, trial.value, [...trial.intermediateValues]], ["COMPLETE", 0.25, [[0, 1.5], [1, 0.5]]]);
  });

  test("3 worker processes run a study while the server restarts twice: they reconnect, and every trial is there, COMPLETE, numbered 0–23, with its 4 intermediate values", async (t) => {
    const server = await privateServer(t);
    if (server === null) return;
    const study = mn.tune.createStudy({ storage: server.url, studyName: "restarts", ...quiet });
    study.storage.close();
    const workers = Promise.all([0, 1, 2].map(() => runWorker<number[]>(["study", server.url, "restarts", "8"])));
    const count = () => {
      const db = new PostgresDriver(server.url);
      const n = Number(db.query("SELECT count(*) AS n FROM trials WHERE state = 'COMPLETE'")[0]!["n"]);
      db.close();
      return n;
    };
    for (const atLeast of [3, 12]) {
      while (count() < atLeast) await new Promise((resolve) => setTimeout(resolve, 50));
      server.restart();
    }
    const ran = (await workers).flat();
    const storage = mn.tune.openStorage(server.url);
    t.after(() => storage.close());
    const trials = storage.getAllTrials(storage.getStudyIdFromName("restarts"));
    assert.deepEqual(trials.map((trial) => trial.number), [...Array(24).keys()]);
    assert.deepEqual([...ran].sort((a, b) => a - b), [...Array(24).keys()], "each worker's trials, none run twice");
    for (const trial of trials) {
      const x = trial.params["x"] as number;
      assert.deepEqual([trial.state, trial.value, [...trial.intermediateValues]], ["COMPLETE", x * x, [0, 1, 2, 3].map((s) => [s, x * s])], `trial ${trial.number}`);
    }
  });
});
