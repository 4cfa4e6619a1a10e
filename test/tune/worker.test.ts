import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { trainTiny, weightsFile } from "./fixtures/tiny-training.js";
import { FIXTURE_TRIAL, WORKER_CLI, fixtureStudy, readStudy, scratch, storages } from "./worker-helpers.js";

const quickSpace = { x: mn.tune.float(0, 1), y: mn.tune.int(0, 2) };
/** Fast beats, and a grace far longer than any of these tests, so only the worker itself can fail a trial. */
const fast = { interval: 0.2, grace: 60, maxRetry: 3 };

/** runWorker with the fixture's trial process, its lines collected. */
async function work(url: string, studyName: string, options: Partial<mn.tune.WorkerOptions> = {}): Promise<{ result: mn.tune.WorkerResult; lines: string[] }> {
  const lines: string[] = [];
  const result = await mn.tune.runWorker({ storage: url, studyName, trialCommand: FIXTURE_TRIAL, heartbeat: fast, log: (l) => lines.push(l), ...options });
  return { result, lines };
}

for (const { label, url: storageUrl } of storages()) {
  describe(`a worker supervises its trial processes (${label})`, () => {
    test("the study's recorded space is suggested before the trial process starts; the process tells the result (x + 10·y, the fixture's objective)", async () => {
      const url = storageUrl();
      const name = fixtureStudy(url, { root: scratch(), mode: "quick" }, quickSpace);
      const { result } = await work(url, name, { trials: 3, workerIndex: 0 });
      assert.equal(result.ended, "trials");
      const trials = readStudy(url, name).trials;
      assert.deepEqual(trials.map((t) => t.state), ["COMPLETE", "COMPLETE", "COMPLETE"]);
      for (const t of trials) {
        assert.deepEqual(Object.keys(t.distributions).sort(), ["x", "y"]);
        assert.equal(t.value, (t.params["x"] as number) + 10 * (t.params["y"] as number));
      }
      // Worker 0 of a study seeded 0 draws what RandomSampler({ seed: 0 }) draws in one process, x then y per trial.
      const reference = mn.tune.createStudy({ sampler: new mn.tune.RandomSampler({ seed: 0 }), onWarning: () => {} });
      reference.optimize((t) => t.suggestFloat("x", 0, 1) + 10 * t.suggestInt("y", 0, 2), { nTrials: 3 });
      assert.deepEqual(trials.map((t) => t.params), reference.trials.map((t) => t.params));
    });

    test("a trial process killed by a signal: its trial is FAIL at once (not after the grace period) with Optuna's fail_reason, and its WAITING retry (failed_trial, retry_history, same params) runs next", async () => {
      const url = storageUrl();
      const name = fixtureStudy(url, { root: scratch(), mode: "quick", crash: [0] }, quickSpace);
      const started = Date.now();
      const { result, lines } = await work(url, name, { trials: 2 });
      assert.ok(Date.now() - started < fast.grace * 1000 / 2, "failed by the worker, not by a reaper after the grace period");
      const [dead, retry] = readStudy(url, name).trials;
      assert.equal(dead!.state, "FAIL");
      assert.equal(dead!.systemAttrs["fail_reason"], "Trial 0 failed because its process was killed by SIGKILL.");
      assert.equal(retry!.state, "COMPLETE");
      assert.deepEqual(retry!.params, dead!.params);
      assert.equal(retry!.systemAttrs["failed_trial"], 0);
      assert.deepEqual(retry!.systemAttrs["retry_history"], [0]);
      assert.deepEqual(result.trials.map((t) => t.outcome.kind), ["failed", "told"]);
      assert.match(lines.find((l) => l.startsWith("trial 0 FAIL"))!, /^trial 0 FAIL: its process was killed by SIGKILL; retried as trial 1 \(\d+\.\d s\)$/);
    });

    test("a trial process without a training step for hangTimeout is killed, its trial FAIL and retried, long before the grace period", async () => {
      const url = storageUrl();
      const name = fixtureStudy(url, { root: scratch(), mode: "quick", hang: [0] }, quickSpace);
      const started = Date.now();
      await work(url, name, { trials: 2, hangTimeout: 1 });
      assert.ok(Date.now() - started < fast.grace * 1000 / 2);
      const [dead, retry] = readStudy(url, name).trials;
      assert.equal(dead!.state, "FAIL");
      assert.equal(dead!.systemAttrs["fail_reason"], "Trial 0 failed because it hung: no training step for 1 s, so its process was killed.");
      assert.equal(retry!.state, "COMPLETE");
      assert.equal(retry!.systemAttrs["failed_trial"], 0);
    });

    test("a trial process that exits without telling fails its trial with its last output, and is not retried (it failed on its own)", async () => {
      const url = storageUrl();
      const name = fixtureStudy(url, { root: scratch(), mode: "quick", silentExit: [0] }, quickSpace);
      const { result } = await work(url, name, { trials: 1 });
      const trials = readStudy(url, name).trials;
      assert.equal(trials.length, 1);
      assert.equal(trials[0]!.state, "FAIL");
      assert.equal(trials[0]!.systemAttrs["fail_reason"], `Trial 0 failed because its process exited with code 3 without telling the result; its last output:\ngiving up without a word.`);
      assert.deepEqual(result.trials[0]!.outcome, { kind: "failed", reason: "its process exited with code 3 without telling the result; its last output:\ngiving up without a word", retry: null });
    });

    test("maxRetry bounds the retries: with maxRetry 1 a trial that always crashes runs twice", async () => {
      const url = storageUrl();
      const name = fixtureStudy(url, { root: scratch(), mode: "quick", crash: [0, 1] }, quickSpace);
      const { result } = await work(url, name, { trials: 3, heartbeat: { ...fast, maxRetry: 1 } });
      const trials = readStudy(url, name).trials;
      assert.deepEqual(trials.map((t) => t.state), ["FAIL", "FAIL", "COMPLETE"]);
      assert.deepEqual(trials[1]!.systemAttrs["retry_history"], [0]);
      assert.equal(trials[2]!.systemAttrs["failed_trial"], undefined, "trial 2 is a new trial, not a third run of trial 0");
      assert.deepEqual(result.trials.map((t) => t.outcome.kind === "failed" ? t.outcome.retry : null), [1, null, null]);
    });

    test("a worker stopped mid-trial fails the trial with a retry that resumes from its checkpoint; the retry ends with the weights of an uninterrupted run, byte for byte", async () => {
      const url = storageUrl();
      const root = scratch();
      const name = fixtureStudy(url, { root, mode: "train", epochs: 4, stepMs: 40 }, { lr: mn.tune.float(0.01, 0.1, { log: true }) }, [{ lr: 0.05 }]);
      const controller = new AbortController();
      const watch = setInterval(() => {
        if ((readStudy(url, name).trials[0]?.intermediateValues.size ?? 0) >= 1) controller.abort("SIGTERM");
      }, 50);
      const first = await work(url, name, { trials: 1, signal: controller.signal });
      clearInterval(watch);
      assert.equal(first.result.ended, "stopped", first.lines.join("\n"));
      const stopped = readStudy(url, name).trials[0]!;
      assert.equal(stopped.state, "FAIL");
      assert.equal(stopped.systemAttrs["fail_reason"], "Trial 0 failed because its worker was stopped by SIGTERM.");
      assert.ok(stopped.intermediateValues.size >= 1 && stopped.intermediateValues.size < 4, `stopped mid-trial, after ${stopped.intermediateValues.size} epochs`);
      const second = await work(url, name, { trials: 1 });
      assert.equal(second.result.trials[0]!.number, 1);
      const retry = readStudy(url, name).trials[1]!;
      assert.equal(retry.state, "COMPLETE");
      assert.equal(retry.systemAttrs[mn.tune.ATTR.resumeFrom], join(root, "trials", "0", "checkpoints"));
      const whole = scratch();
      const reference = trainTiny({ lr: 0.05, epochs: 4, stepMs: 0, checkpointDir: join(whole, "checkpoints") });
      const expected = readFileSync(weightsFile(reference, whole));
      assert.ok(readFileSync(join(root, "trials", "1", "model.safetensors")).equals(expected), "the retry's weights differ from an uninterrupted run's");
    });
  });
}

describe("runWorker and `minima tune worker` refuse bad settings", () => {
  test("options: exact messages", async () => {
    const base = { storage: "memory", studyName: "s" };
    await assert.rejects(mn.tune.runWorker({ ...base, trials: 0 }), { message: "mn.tune.runWorker: trials must be a positive integer; expected an integer ≥ 1, got 0" });
    await assert.rejects(mn.tune.runWorker({ ...base, heartbeat: { interval: 5, grace: 5 } }), { message: "mn.tune.runWorker: the grace period must be longer than the heartbeat interval, or live trials are reaped between two beats; expected grace > 5, got 5" });
    await assert.rejects(mn.tune.runWorker({ ...base, hangTimeout: 0 }), { message: "mn.tune.runWorker: the hang timeout must be a positive number of seconds; expected a number > 0, got 0" });
    await assert.rejects(mn.tune.runWorker({ ...base, trialCommand: [] }), { message: "mn.tune.runWorker: the trial command is empty; expected a program and its arguments" });
    await assert.rejects(mn.tune.runWorker({ ...base, heartbeat: { maxRetry: -1 } }), { message: "mn.tune.runWorker: maxRetry must be a non-negative integer or null (no limit), got -1" });
  });

  test("an unknown study: exit 1, naming the storage and its studies", () => {
    const journal = join(scratch(), "journal.log");
    const name = fixtureStudy(journal, { root: "", mode: "quick" }, quickSpace);
    const r = spawnSync(WORKER_CLI[0]!, [...WORKER_CLI.slice(1), "--storage", journal, "--study", "nope"], { encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `minima: ${journal}: no study named "nope"; expected one of "${name}"\n`);
  });

  test("bad flag values: exit 2 with what was expected", () => {
    const run = (...args: string[]) => spawnSync(WORKER_CLI[0]!, [...WORKER_CLI.slice(1), "--storage", "x.log", "--study", "s", ...args], { encoding: "utf8" });
    const retry = run("--max-retry", "some");
    assert.equal(retry.status, 2);
    assert.equal(retry.stderr, `error: option '--max-retry <n>' argument 'some' is invalid. expected an integer ≥ 0, or "none" for no limit.\n`);
    const command = run("--trial-command", "[1, 2]");
    assert.equal(command.status, 2);
    assert.equal(command.stderr, "error: option '--trial-command <words>' argument '[1, 2]' is invalid. expected a program and its arguments, as words or a JSON array of strings.\n");
    const grace = run("--grace", "0");
    assert.equal(grace.status, 2);
    assert.equal(grace.stderr, "error: option '--grace <s>' argument '0' is invalid. expected a number > 0.\n");
  });

  test("a study whose sampler attr is malformed is refused, naming it", async () => {
    const journal = join(scratch(), "journal.log");
    const study = mn.tune.createStudy({ storage: journal, studyName: "bad-sampler" });
    study.setSystemAttr(mn.tune.ATTR.sampler, "tpe");
    study.storage.close();
    await assert.rejects(mn.tune.runWorker({ storage: journal, studyName: "bad-sampler" }), { message: `mn.tune.runWorker: the study's sampler (system attr minima:sampler) is malformed; expected an object like {"name": "random", "seed": 0}, got "tpe"` });
  });
});
