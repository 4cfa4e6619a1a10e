import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { forwardLines } from "../../src/tune/node/forward-lines.js";
import { trainTiny, weightsFile } from "./fixtures/tiny-training.js";
import { FIXTURE_TRIAL, WORKER_CLI, fixtureStudy, readStudy, scratch, storages } from "./worker-helpers.js";

/**
 * Fault tests on worker processes (`minima tune worker` with the fixture trial process): a worker
 * killed with -9, a worker paused past its grace period, a 3×3 grid on 4 workers, a worker stopped
 * with SIGTERM. Each storage URL is a parameter: a journal file, and PostgreSQL where CI names one.
 */
const INTERVAL = 0.25;
const GRACE = 1.5;
/** Each trial trains 4 epochs of 6 steps of 200 ms (4.8 s): long enough that a worker reaps a dead one's trial while its own runs. */
const training = { mode: "train", epochs: 4, stepMs: 200 };
const lrSpace = { lr: mn.tune.float(0.01, 0.1, { log: true }) };

interface WorkerProcess {
  proc: ChildProcess;
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];
after(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) try { process.kill(-p.pid!, "SIGKILL"); } catch { /* gone */ }
});

/** `minima tune worker` in a process group of its own (with its trial processes), so a test can signal both at once as a machine dying would. */
function startWorker(url: string, studyName: string, ...args: string[]): WorkerProcess {
  const proc = spawn(WORKER_CLI[0]!, [...WORKER_CLI.slice(1), "--storage", url, "--study", studyName, "--trial-command", JSON.stringify(FIXTURE_TRIAL), "--heartbeat-interval", String(INTERVAL), "--grace", String(GRACE), ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  started.push(proc);
  const lines: string[] = [];
  forwardLines(proc.stdout!, (l) => lines.push(l));
  forwardLines(proc.stderr!, (l) => lines.push(l));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on("close", (code, signal) => resolve({ code, signal })));
  return { proc, lines, exit };
}

async function waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** The weights file of an uninterrupted run of the fixture's training with this lr. */
function referenceWeights(lr: number): Buffer {
  const dir = scratch();
  return readFileSync(weightsFile(trainTiny({ lr, epochs: training.epochs, stepMs: 0, checkpointDir: join(dir, "checkpoints") }), dir));
}

for (const { label, url: storageUrl } of storages()) {
  describe(`worker faults (${label})`, () => {
    test("kill -9 of a worker mid-trial: its trial is FAIL within grace + interval (reaped by the other worker), and the retry resumes from its checkpoint to the weights of an uninterrupted run, byte for byte", async () => {
      const url = storageUrl();
      const root = scratch();
      const name = fixtureStudy(url, { root, ...training }, lrSpace, [{ lr: 0.05 }, { lr: 0.02 }]);
      const a = startWorker(url, name, "--trials", "2", "--worker-index", "0");
      await waitFor("worker A to claim trial 0", () => readStudy(url, name).trials[0]?.state === "RUNNING");
      const b = startWorker(url, name, "--trials", "2", "--worker-index", "1");
      await waitFor("trial 0's first epoch", () => readStudy(url, name).trials[0]!.intermediateValues.size >= 1);
      process.kill(-a.proc.pid!, "SIGKILL");
      const killedAt = Date.now();
      const failed = await waitFor("trial 0 to be reaped", () => { const t = readStudy(url, name).trials[0]!; return t.state === "FAIL" && t; }, 20_000).catch((e) => { throw new Error(`${e.message}\n${b.lines.join("\n")}\n${JSON.stringify(readStudy(url, name).trials)}`); });
      const after = (failed.datetimeComplete!.getTime() - killedAt) / 1000;
      assert.ok(after <= GRACE + INTERVAL + 0.5, `FAIL ${after.toFixed(2)} s after the kill; grace + interval = ${GRACE + INTERVAL} s`);
      assert.ok(after >= GRACE - INTERVAL - 0.05, `FAIL ${after.toFixed(2)} s after the kill, before the grace period could pass`);
      assert.deepEqual(await b.exit, { code: 0, signal: null }, b.lines.join("\n"));
      const trials = readStudy(url, name).trials;
      assert.deepEqual(trials.map((t) => t.state), ["FAIL", "COMPLETE", "COMPLETE"]);
      const retry = trials[2]!;
      assert.equal(retry.systemAttrs["failed_trial"], 0);
      assert.deepEqual(retry.systemAttrs["retry_history"], [0]);
      assert.equal(retry.systemAttrs[mn.tune.ATTR.resumeFrom], join(root, "trials", "0", "checkpoints"));
      assert.deepEqual(retry.params, { lr: 0.05 });
      assert.ok(readFileSync(join(root, "trials", "2", "model.safetensors")).equals(referenceWeights(0.05)), "the retry's weights differ from an uninterrupted run's");
      assert.ok(readFileSync(join(root, "trials", "1", "model.safetensors")).equals(referenceWeights(0.02)), "trial 1's weights differ from an uninterrupted run's");
    });

    test("SIGSTOP of a worker past its grace period, then SIGCONT: its trial was reaped and retried, its late writes are refused, the study's result is the uninterrupted one", async () => {
      const url = storageUrl();
      const root = scratch();
      const name = fixtureStudy(url, { root, ...training }, lrSpace, [{ lr: 0.05 }, { lr: 0.02 }]);
      const a = startWorker(url, name, "--trials", "1", "--worker-index", "0");
      await waitFor("worker A to claim trial 0", () => readStudy(url, name).trials[0]?.state === "RUNNING");
      const b = startWorker(url, name, "--trials", "2", "--worker-index", "1");
      await waitFor("trial 0's first epoch", () => readStudy(url, name).trials[0]!.intermediateValues.size >= 1);
      // Mid-epoch, when the trial process sleeps between steps: paused inside a journal write, it would hold
      // the journal's lock, and every worker would wait the lock's 30 s grace (a limit of the journal file).
      await new Promise((r) => setTimeout(r, 500));
      process.kill(-a.proc.pid!, "SIGSTOP");
      const reaped = await waitFor("trial 0 to be reaped", () => { const t = readStudy(url, name).trials[0]!; return t.state === "FAIL" && t; });
      await new Promise((r) => setTimeout(r, 1000));
      process.kill(-a.proc.pid!, "SIGCONT");
      assert.deepEqual(await a.exit, { code: 0, signal: null }, a.lines.join("\n"));
      assert.deepEqual(await b.exit, { code: 0, signal: null }, b.lines.join("\n"));
      // After SIGCONT the trial process's next report is refused, it ends, and its worker finds the trial gone.
      // Storages name themselves without a password (postgresql://user:secret@host → postgresql://user@host).
      const shown = url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1@");
      assert.ok(a.lines.includes(`[trial 0] trial process failed: ${shown}: trial 0 is no longer this worker's: it already finished as FAIL; the write was refused`), a.lines.join("\n"));
      assert.ok(a.lines.some((l) => l.startsWith("trial 0 lost: the trial is FAIL now, no longer this worker's (reaped or claimed elsewhere while this worker did not beat); its process's late writes were refused (")), a.lines.join("\n"));
      const trials = readStudy(url, name).trials;
      assert.deepEqual(trials.map((t) => t.state), ["FAIL", "COMPLETE", "COMPLETE"]);
      const zombie = trials[0]!;
      assert.deepEqual([...zombie.intermediateValues], [...reaped.intermediateValues], "a late report of the paused worker was accepted");
      assert.deepEqual(zombie.systemAttrs, reaped.systemAttrs);
      assert.deepEqual(zombie.userAttrs, reaped.userAttrs);
      assert.equal(trials[2]!.systemAttrs["failed_trial"], 0);
      assert.ok(readFileSync(join(root, "trials", "2", "model.safetensors")).equals(referenceWeights(0.05)));
    });

    test("a 3×3 GridSampler grid on 4 worker processes with no trial limit: exactly 9 trials, numbered 0–8, 9 distinct parameter sets, each told x + 10·y", async () => {
      const url = storageUrl();
      const grid = new mn.tune.GridSampler({ searchSpace: { x: [0, 1, 2], y: [0, 1, 2] }, seed: 0 });
      const name = fixtureStudy(url, { root: scratch(), mode: "quick", stepMs: 30 }, { x: mn.tune.int(0, 2), y: mn.tune.int(0, 2) }, [], grid);
      const lines: string[] = [];
      // No --trials: each worker runs until the grid is exhausted, so a duplicate claim would show as a 10th trial.
      const exits = await mn.tune.superviseWorkers({
        storage: url, studyName: name, workers: 4, workerCommand: WORKER_CLI,
        workerArgs: ["--trial-command", JSON.stringify(FIXTURE_TRIAL), "--heartbeat-interval", String(INTERVAL), "--grace", String(GRACE)],
        log: (l) => lines.push(l),
      });
      assert.deepEqual(exits.map((e) => [e.index, e.code]), [[0, 0], [1, 0], [2, 0], [3, 0]], lines.join("\n"));
      const trials = readStudy(url, name).trials;
      assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
      assert.ok(trials.every((t) => t.state === "COMPLETE" && t.value === (t.params["x"] as number) + 10 * (t.params["y"] as number)));
      assert.deepEqual(new Set(trials.map((t) => `${t.params["x"]},${t.params["y"]}`)).size, 9);
      for (const i of [0, 1, 2, 3]) assert.ok(lines.some((l) => l.startsWith(`[worker ${i}] worker done: `) && l.endsWith("(the sampler has no point left)")), lines.join("\n"));
    });

    test("SIGTERM to a worker: its trial process stops, the trial is FAIL with a retry that resumes it, and the worker exits 143 saying so", async () => {
      const url = storageUrl();
      const name = fixtureStudy(url, { root: scratch(), ...training }, lrSpace, [{ lr: 0.05 }]);
      const a = startWorker(url, name, "--trials", "1");
      await waitFor("trial 0's first epoch", () => readStudy(url, name).trials[0]?.intermediateValues.size);
      a.proc.kill("SIGTERM");
      assert.deepEqual(await a.exit, { code: 143, signal: null });
      assert.equal(a.lines.at(-1), "minima: tune worker: stopped by SIGTERM after 1 trial; trial 0, which it was running, is FAIL and retried as trial 1, to resume from its checkpoint");
      const [stopped, retry] = readStudy(url, name).trials;
      assert.equal(stopped!.systemAttrs["fail_reason"], "Trial 0 failed because its worker was stopped by SIGTERM.");
      assert.equal(retry!.state, "WAITING");
      assert.equal(retry!.systemAttrs[mn.tune.ATTR.resumeFrom], stopped!.systemAttrs[mn.tune.ATTR.checkpoint]);
    });
  });
}
