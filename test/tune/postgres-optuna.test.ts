// Optuna 3.1 (Debian's python3-optuna, through psycopg2) and minima on the same PostgreSQL database.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { PostgresDriver } from "../../src/tune/node/postgres-driver.js";
import { openPostgres } from "../../src/tune/node/postgres-storage.js";
import type { Lease } from "../../src/tune/storage.js";
import { OPTUNA_RDB_PEER, asOptunaDump, optunaDump, writeMixedStudy } from "../helpers/optuna-dump.js";
import { optunaSkipReason, runPython } from "../helpers/optuna-peer.js";
import { tempDatabase } from "../helpers/postgres.js";
import { repoRoot } from "../helpers/repo-root.js";

const quiet = { onWarning: () => {} };

describe("PostgreSQL storage with Optuna 3.1 as a peer", { skip: optunaSkipReason() }, () => {
  test("a database Optuna 3.1 wrote (alembic v3.0.0.d, native enums) reads the same in minima, trial for trial; minima's trials in it read the same in Optuna, which still opens it", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    runPython(OPTUNA_RDB_PEER, ["write", url]);
    const expected = optunaDump(url, "optuna-made", false);
    assert.deepEqual(expected.trials.map((trial) => trial.state), ["COMPLETE", "PRUNED", "FAIL", "COMPLETE", "WAITING"]);
    const study = mn.tune.loadStudy({ storage: url, studyName: "optuna-made", ...quiet });
    assert.deepEqual(study.trials.map(asOptunaDump), expected.trials);
    assert.deepEqual(study.userAttrs, { dataset: "fashion-mnist ✓" });
    // The best is trial 3's -inf, as Optuna 3.1 finds it on SQLite and in memory. On PostgreSQL Optuna 3.1
    // says trial 0: its SQL (models.find_min_value_trial: ORDER BY value LIMIT 1) meets -inf stored as
    // NULL, which PostgreSQL sorts last where SQLite sorts it first.
    assert.deepEqual([study.bestTrial.number, study.bestValue], [3, -Infinity]);
    assert.deepEqual([expected.best!.number, expected.best!.value], [0, 0.25]);
    // minima runs the enqueued trial and one more in the same database.
    study.optimize((trial) => trial.suggestFloat("lr", 1e-5, 1, { log: true }) + trial.suggestInt("layers", 1, 4), { nTrials: 2 });
    study.storage.close();
    const after = optunaDump(url, "optuna-made", false);
    const reread = mn.tune.loadStudy({ storage: url, studyName: "optuna-made", ...quiet });
    assert.deepEqual(after.trials, reread.trials.map(asOptunaDump));
    assert.deepEqual(after.trials.slice(4).map((trial) => [trial.number, trial.state]), [[4, "COMPLETE"], [5, "COMPLETE"]]);
    assert.equal(after.trials[4]!.value, 0.01 + 2);
    reread.storage.close();
    const db = new PostgresDriver(url);
    assert.deepEqual(db.query("SELECT version_num FROM alembic_version"), [{ version_num: "v3.0.0.d" }], "minima leaves Optuna 3.1's revision as it is");
    db.close();
  });

  test("a study minima wrote reads the same in Optuna 3.1 (trials, states, params, values, intermediate values, attrs, best); 3.1 itself refuses the newer v3.2.0.a schema unless told to skip its check", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const trials = writeMixedStudy(url, "minima-made");
    const dump = optunaDump(url, "minima-made", true);
    assert.deepEqual(dump.trials, trials.map(asOptunaDump));
    assert.deepEqual(dump.trials.map((trial) => trial.state), ["COMPLETE", "COMPLETE", "PRUNED", "FAIL", "COMPLETE", "COMPLETE"]);
    assert.equal(dump.direction, "MAXIMIZE");
    assert.deepEqual(dump.user_attrs, { note: { nested: [1, NaN, "é"] } });
    const best = trials.filter((trial) => trial.state === "COMPLETE").reduce((a, b) => (b.value! > a.value! ? b : a));
    assert.deepEqual(dump.best, { number: best.number, value: best.value, params: best.params });
    assert.equal(runPython(OPTUNA_RDB_PEER, ["open", url]).trim(), "The runtime optuna version 3.1.0 is no longer compatible with the table schema (set up by optuna 3.2.0). Please try updating optuna to the latest version by `$ pip install -U optuna`.");
  });

  test("heartbeats agree with Optuna's on the database clock: Optuna 3.1 reaps the minima trial that stopped beating, and minima reaps the Optuna trial that did", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const peer = join(repoRoot(), "test/tune/fixtures/optuna_heartbeat_peer.py");
    const grace = 4; // Optuna 3.1 fails a trial when (now - heartbeat).seconds > grace, whole seconds
    const storage = openPostgres(url, { heartbeat: { interval: 0.5, grace, maxRetry: null } });
    t.after(() => storage.close());
    const study = storage.createNewStudy(["minimize"], "beats");
    const waitBeating = (lease: Lease, seconds: number) => {
      for (let i = 0; i < seconds * 4; i++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
        assert.equal(storage.recordHeartbeat(lease), true);
      }
    };
    const silent = storage.startNewTrial(study, "gone"); // trial 0: one heartbeat, then none
    const alive = storage.startNewTrial(study, "alive"); // trial 1: beats throughout
    waitBeating(alive, grace + 1.5);
    assert.deepEqual(JSON.parse(runPython(peer, ["reap", url, "beats", String(grace)])), [0]);
    assert.equal(storage.getTrial(silent.trialId).state, "FAIL");
    assert.equal(storage.recordHeartbeat(silent), false, "minima sees Optuna's FAIL: the lease is gone");
    assert.equal(runPython(peer, ["beat", url, "beats"]).trim(), "2"); // trial 2: Optuna's, one heartbeat
    waitBeating(alive, grace + 1.5);
    assert.deepEqual(storage.failStaleTrials(study), { failed: [2], retried: [3] });
    assert.deepEqual(storage.getAllTrials(study).map((trial) => trial.state), ["FAIL", "RUNNING", "FAIL", "WAITING"]);
  });
});
