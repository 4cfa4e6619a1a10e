// The Storage contract (src/tune/storage.ts), as tests any storage must pass: call
// storageConformance(name, open) from a test file with a factory for the storage under test (memory,
// journal file, SQLite, PostgreSQL). Each test opens fresh storages, so the suite runs in any order.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import type { HeartbeatPolicy, Lease, Storage } from "../../src/tune/storage.js";

/**
 * Opens a new, empty storage with the given heartbeat policy. `reopen`, when given, opens a second
 * connection to the same storage (another process's view); the suite closes what it opens.
 */
export interface ConformanceTarget {
  open(heartbeat: HeartbeatPolicy | null): { storage: Storage; reopen?: () => Storage };
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const f = mn.tune.float(-10, 10);
const lost = (storage: Storage, number: number, why: string) => ({ name: "LeaseLostError", message: `${storage.url}: trial ${number} is no longer this worker's: ${why}; the write was refused` });

export function storageConformance(name: string, target: ConformanceTarget): void {
  const withStorage = (heartbeat: HeartbeatPolicy | null, fn: (s: Storage, reopen?: () => Storage) => void) => () => {
    const { storage, reopen } = target.open(heartbeat);
    const opened: Storage[] = [storage];
    try {
      fn(storage, reopen ? () => (opened.push(reopen()), opened.at(-1)!) : undefined);
    } finally {
      for (const s of opened.reverse()) s.close();
    }
  };

  describe(`storage conformance: ${name}`, () => {
    test("studies: create, names, directions, attrs (nested, unicode, NaN and ±Infinity), delete", withStorage(null, (s) => {
      const a = s.createNewStudy(["minimize"], "a");
      const b = s.createNewStudy(["maximize"], "b");
      assert.notEqual(a, b);
      assert.equal(s.getStudyIdFromName("b"), b);
      assert.deepEqual(s.getStudyDirections(a), ["minimize"]);
      assert.deepEqual(s.getStudyDirections(b), ["maximize"]);
      assert.throws(() => s.createNewStudy(["minimize"], "a"), { name: "StudyError", message: `${s.url}: a study named "a" already exists; load it (loadIfExists: true, or mn.tune.loadStudy) or choose another name` });
      assert.throws(() => s.getStudyIdFromName("c"), { name: "StudyError", message: `${s.url}: no study named "c"; expected one of "a", "b"` });
      const value = { lr: [1e-4, NaN, Infinity, -Infinity], name: "μ-ñ ✓", nested: { ok: true, none: null, n: -3 } };
      s.setStudyUserAttr(a, "u", value);
      s.setStudySystemAttr(a, "minima:x", 5);
      s.setStudySystemAttr(a, "minima:x", 6);
      assert.deepEqual(s.getStudyUserAttrs(a), { u: value });
      assert.deepEqual(s.getStudySystemAttrs(a), { "minima:x": 6 });
      assert.deepEqual(s.getStudyUserAttrs(b), {});
      const summary = s.getAllStudies().find((x) => x.studyName === "a")!;
      assert.deepEqual({ ...summary }, { studyId: a, studyName: "a", directions: ["minimize"], userAttrs: { u: value }, systemAttrs: { "minima:x": 6 } });
      s.startNewTrial(b, "w");
      s.deleteStudy(b);
      assert.deepEqual(s.getAllStudies().map((x) => x.studyName), ["a"]);
    }));

    test("trial numbers count from 0 in each study; trial ids are unique across studies", withStorage(null, (s) => {
      const a = s.createNewStudy(["minimize"], "a");
      const b = s.createNewStudy(["minimize"], "b");
      const leases = [s.startNewTrial(a, "w"), s.startNewTrial(b, "w"), s.startNewTrial(a, "w"), s.createTrial(b, { state: "WAITING" }), s.startNewTrial(a, "w")];
      const ids = leases.map((l) => (typeof l === "number" ? l : l.trialId));
      assert.equal(new Set(ids).size, 5);
      assert.deepEqual(s.getAllTrials(a).map((t) => t.number), [0, 1, 2]);
      assert.deepEqual(s.getAllTrials(b).map((t) => t.number), [0, 1]);
      assert.deepEqual(s.getAllTrials(b).map((t) => t.state), ["RUNNING", "WAITING"]);
      assert.deepEqual(s.getAllTrials(b, ["WAITING"]).map((t) => t.number), [1]);
      assert.equal((leases[0] as Lease).epoch, 1);
    }));

    test("a trial's params, values (±Infinity), intermediate values (NaN, ±Infinity) and attrs read back as written", withStorage(null, (s) => {
      const study = s.createNewStudy(["minimize"], "s");
      const lease = s.startNewTrial(study, "w");
      const cat = mn.tune.categorical(["relu", 3, null]);
      s.setTrialParam(lease, "x", 1.25, f);
      s.setTrialParam(lease, "act", 2, cat);
      s.setTrialIntermediateValue(lease, 0, 0.5);
      s.setTrialIntermediateValue(lease, 1, NaN);
      s.setTrialIntermediateValue(lease, 2, Infinity);
      s.setTrialIntermediateValue(lease, 3, -Infinity);
      s.setTrialIntermediateValue(lease, 0, 0.25);
      s.setTrialUserAttr(lease, "diagnosis", { verdict: "overfit", gap: NaN });
      s.setTrialSystemAttr(lease, "minima:checkpoint", "/runs/0/ckpt");
      const running = s.getTrial(lease.trialId);
      assert.equal(running.state, "RUNNING");
      assert.equal(running.value, null);
      assert.ok(running.datetimeStart instanceof Date && Math.abs(running.datetimeStart.getTime() - Date.now()) < 60_000);
      assert.equal(running.datetimeComplete, null);
      s.setTrialStateValue(lease, "COMPLETE", -Infinity);
      const t = s.getTrial(lease.trialId);
      assert.equal(t.state, "COMPLETE");
      assert.equal(t.value, -Infinity);
      assert.deepEqual(t.params, { x: 1.25, act: null });
      assert.deepEqual(mn.tune.distributionToJson(t.distributions["act"]!), mn.tune.distributionToJson(cat));
      assert.deepEqual([...t.intermediateValues], [[0, 0.25], [1, NaN], [2, Infinity], [3, -Infinity]]);
      assert.deepEqual(t.userAttrs, { diagnosis: { verdict: "overfit", gap: NaN } });
      assert.deepEqual(t.systemAttrs, { "minima:checkpoint": "/runs/0/ckpt" });
      assert.ok(t.datetimeComplete instanceof Date && t.datetimeComplete.getTime() >= t.datetimeStart!.getTime());
      assert.deepEqual(s.getAllTrials(study), [t]);
    }));

    test("a template writes a whole trial: state, value, params, attrs, intermediate values", withStorage(null, (s) => {
      const study = s.createNewStudy(["maximize"], "s");
      const start = new Date(2024, 0, 2, 3, 4, 5, 678);
      const id = s.createTrial(study, { state: "COMPLETE", value: Infinity, params: { x: -2 }, distributions: { x: f }, intermediateValues: new Map([[4, 1.5]]), userAttrs: { a: 1 }, systemAttrs: { b: [2] }, datetimeStart: start, datetimeComplete: start });
      const t = s.getTrial(id);
      assert.deepEqual({ state: t.state, value: t.value, params: t.params, iv: [...t.intermediateValues], u: t.userAttrs, sys: t.systemAttrs, start: t.datetimeStart?.getTime() }, { state: "COMPLETE", value: Infinity, params: { x: -2 }, iv: [[4, 1.5]], u: { a: 1 }, sys: { b: [2] }, start: start.getTime() });
    }));

    test("a finished trial refuses every later write, and the first finisher wins", withStorage(null, (s) => {
      const study = s.createNewStudy(["minimize"], "s");
      const lease = s.startNewTrial(study, "w");
      s.setTrialStateValue(lease, "COMPLETE", 1);
      const refused = lost(s, 0, "it already finished as COMPLETE");
      assert.throws(() => s.setTrialStateValue(lease, "FAIL"), refused);
      assert.throws(() => s.setTrialIntermediateValue(lease, 0, 1), refused);
      assert.throws(() => s.setTrialParam(lease, "x", 0, f), refused);
      assert.throws(() => s.setTrialUserAttr(lease, "a", 1), refused);
      assert.throws(() => s.setTrialSystemAttr(lease, "a", 1), refused);
      assert.equal(s.recordHeartbeat(lease), false);
      const t = s.getTrial(lease.trialId);
      assert.deepEqual([t.state, t.value, t.userAttrs], ["COMPLETE", 1, {}]);
      assert.throws(() => s.setTrialStateValue(s.startNewTrial(study, "w"), "RUNNING"), { name: "StudyError" });
    }));

    test("a parameter whose distribution contradicts the study's earlier trials is refused", withStorage(null, (s) => {
      const study = s.createNewStudy(["minimize"], "s");
      const first = s.startNewTrial(study, "w");
      s.setTrialParam(first, "lr", 0.1, mn.tune.float(1e-4, 1, { log: true }));
      const second = s.startNewTrial(study, "w");
      assert.throws(() => s.setTrialParam(second, "lr", 0.1, mn.tune.float(1e-4, 1)), /lr/);
      s.setTrialParam(second, "lr", 0.2, mn.tune.float(1e-5, 1, { log: true }));
      assert.deepEqual(s.getTrial(second.trialId).params, { lr: 0.2 });
    }));

    test("claims take WAITING trials oldest first, each once; a paused trial is claimed again under a new epoch and fences the old lease", withStorage(null, (s, reopen) => {
      const study = s.createNewStudy(["minimize"], "s");
      const other = reopen ? reopen() : s;
      const waiting = [0, 1, 2].map((i) => s.createTrial(study, { state: "WAITING", systemAttrs: { fixed_params: { x: i } } }));
      const first = s.claimWaitingTrial(study, "w1")!;
      const second = other.claimWaitingTrial(study, "w2")!;
      assert.deepEqual([first.trialId, second.trialId], waiting.slice(0, 2));
      assert.deepEqual([first.epoch, second.epoch], [1, 1]);
      assert.equal(s.getTrial(first.trialId).state, "RUNNING");
      // Pause (ASHA): WAITING again, then claimed by another worker under epoch 2.
      s.setTrialIntermediateValue(first, 3, 0.5);
      s.setTrialStateValue(first, "WAITING");
      assert.throws(() => s.setTrialIntermediateValue(first, 4, 1), lost(s, 0, "it was paused and waits to be claimed again"));
      const resumed = other.claimWaitingTrial(study, "w3")!;
      assert.deepEqual([resumed.trialId, resumed.epoch], [first.trialId, 2]);
      assert.throws(() => s.setTrialStateValue(first, "COMPLETE", 9), lost(s, 0, "another worker claimed it"));
      assert.equal(s.recordHeartbeat(first), false);
      assert.equal(other.recordHeartbeat(resumed), true);
      other.setTrialStateValue(resumed, "COMPLETE", 2);
      const t = s.getTrial(first.trialId);
      assert.deepEqual([t.state, t.value, [...t.intermediateValues]], ["COMPLETE", 2, [[3, 0.5]]]);
      assert.equal(s.claimWaitingTrial(study, "w1")!.trialId, waiting[2]);
      assert.equal(other.claimWaitingTrial(study, "w2"), null);
    }));

    test("without a heartbeat policy nothing is reaped", withStorage(null, (s) => {
      const study = s.createNewStudy(["minimize"], "s");
      s.startNewTrial(study, "w");
      sleep(30);
      assert.deepEqual(s.failStaleTrials(study), { failed: [], retried: [] });
    }));

    const policy: HeartbeatPolicy = { interval: 0.05, grace: 0.3, maxRetry: 1 };
    test("the reaper fails a trial whose heartbeat is older than the grace period and enqueues its retry (Optuna's failed_trial, retry_history; minima:resume_from), once", withStorage(policy, (s, reopen) => {
      const study = s.createNewStudy(["minimize"], "s");
      const reaper = reopen ? reopen() : s;
      const dead = s.startNewTrial(study, "dead");
      s.setTrialParam(dead, "x", 1.5, f);
      s.setTrialUserAttr(dead, "note", "kept");
      s.setTrialSystemAttr(dead, "minima:checkpoint", "ckpt/epoch-2");
      const alive = s.startNewTrial(study, "alive");
      sleep(450);
      assert.equal(s.recordHeartbeat(alive), true);
      assert.deepEqual(reaper.failStaleTrials(study), { failed: [0], retried: [2] });
      assert.deepEqual(reaper.failStaleTrials(study), { failed: [], retried: [] });
      const failed = s.getTrial(dead.trialId);
      assert.equal(failed.state, "FAIL");
      assert.ok(failed.datetimeComplete instanceof Date);
      const retry = s.getAllTrials(study, ["WAITING"]);
      assert.equal(retry.length, 1);
      assert.deepEqual({ n: retry[0]!.number, params: retry[0]!.params, u: retry[0]!.userAttrs, sys: retry[0]!.systemAttrs }, { n: 2, params: { x: 1.5 }, u: { note: "kept" }, sys: { failed_trial: 0, retry_history: [0], "minima:checkpoint": "ckpt/epoch-2", "minima:resume_from": "ckpt/epoch-2" } });
      // The dead worker wakes up: every write is refused, the FAIL stands.
      assert.throws(() => s.setTrialStateValue(dead, "COMPLETE", 0), lost(s, 0, "it already finished as FAIL"));
      assert.equal(s.recordHeartbeat(dead), false);
      // The retry dies too: with maxRetry 1 there is no third attempt.
      const again = s.claimWaitingTrial(study, "w")!;
      assert.equal(again.trialId, retry[0]!.trialId);
      sleep(450);
      s.recordHeartbeat(alive);
      assert.deepEqual(reaper.failStaleTrials(study), { failed: [2], retried: [] });
      assert.deepEqual(s.getAllTrials(study).map((t) => t.state), ["FAIL", "RUNNING", "FAIL"]);
    }));

    test("a trial that never beat is never reaped (as Optuna); one that beats within the grace period is kept", withStorage(policy, (s) => {
      const study = s.createNewStudy(["minimize"], "s");
      const id = s.createTrial(study, { state: "WAITING" });
      const lease = s.claimWaitingTrial(study, "w")!;
      assert.equal(lease.trialId, id);
      for (let i = 0; i < 4; i++) {
        sleep(120);
        assert.equal(s.recordHeartbeat(lease), true);
        assert.deepEqual(s.failStaleTrials(study), { failed: [], retried: [] });
      }
      s.setTrialStateValue(lease, "COMPLETE", 3);
      assert.equal(s.getTrial(id).state, "COMPLETE");
    }));

    test("a study on this storage: optimize, enqueueTrial, best trial, a pruned trial's last intermediate value", withStorage(null, (s) => {
      const study = mn.tune.createStudy({ storage: s, studyName: "opt", sampler: new mn.tune.RandomSampler({ seed: 3 }), onWarning: () => {} });
      study.enqueueTrial({ x: 2 });
      study.optimize((t) => {
        const x = t.suggestFloat("x", -10, 10);
        t.report(x, 0);
        if (x > 8) throw new mn.tune.TrialPruned();
        return (x - 2) ** 2;
      }, { nTrials: 12 });
      const trials = study.trials;
      assert.equal(trials.length, 12);
      assert.deepEqual(trials[0]!.params, { x: 2 });
      assert.equal(study.bestValue, 0);
      for (const t of trials) {
        assert.equal(t.state, (t.params["x"] as number) > 8 ? "PRUNED" : "COMPLETE");
        assert.equal(t.value, t.state === "PRUNED" ? t.params["x"] : ((t.params["x"] as number) - 2) ** 2);
      }
      const loaded = mn.tune.loadStudy({ storage: s, studyName: "opt" });
      assert.deepEqual(loaded.trials.map((t) => t.params), trials.map((t) => t.params));
    }));

    test("a trial pruned after a NaN intermediate value keeps no value, as Optuna 3.1's _tell (NaN is not a feasible value)", withStorage(null, (s) => {
      const study = mn.tune.createStudy({ storage: s, studyName: "nan", onWarning: () => {} });
      const trial = study.ask();
      trial.report(1.5, 0);
      trial.report(NaN, 1);
      const t = study.tell(trial, "PRUNED");
      assert.deepEqual([t.state, t.value, [...t.intermediateValues]], ["PRUNED", null, [[0, 1.5], [1, NaN]]]);
      const other = study.ask();
      other.report(NaN, 0);
      other.report(2.5, 1);
      assert.equal(study.tell(other, "PRUNED").value, 2.5);
    }));
  });
}
