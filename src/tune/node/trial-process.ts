import { spawn } from "node:child_process";
import { StudyError } from "../../errors.js";
import { OPTUNA_ATTR } from "../attrs.js";
import { retryTemplate } from "../journal/journal-storage.js";
import type { HeartbeatPolicy, Lease, Storage } from "../storage.js";
import type { TrialState } from "../trial-state.js";
import { forwardLines } from "./forward-lines.js";
import { isProgressMessage } from "./progress.js";

/** One trial, run as a child process under a worker's supervision. */
export interface TrialProcessOptions {
  /** The study's storage, opened with the worker's heartbeat policy. */
  storage: Storage;
  studyId: number;
  lease: Lease;
  /** The trial's number, for messages. */
  number: number;
  /** The program and its first arguments; the trial's --storage, --study, --trial-id, --worker-id and --epoch follow. */
  command: readonly string[];
  /** The storage URL and study name the child opens. */
  storageUrl: string;
  studyName: string;
  heartbeat: HeartbeatPolicy;
  /** Seconds without a progress tick (a training step) after which the child counts as hung. */
  hangTimeout: number;
  /** Seconds a child may take to stop after SIGTERM before it is killed. */
  stopTimeout: number;
  /** Aborted (reason "SIGINT" or "SIGTERM") when the worker is told to stop. */
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  log: (line: string) => void;
}

/**
 * How the trial ended: "told" — the child finished it (COMPLETE, PRUNED, FAIL) or paused it
 * (WAITING); "failed" — the worker marked it FAIL (the child crashed, hung, or was stopped with the
 * worker), with `retry` the number of the WAITING retry it enqueued; "lost" — the trial stopped being
 * this worker's (reaped, or claimed elsewhere, while the worker did not beat): the worker wrote
 * nothing, and the storage refused its child's late writes.
 */
export type TrialOutcome =
  | { kind: "told"; state: TrialState; value: number | null }
  | { kind: "failed"; reason: string; retry: number | null }
  | { kind: "lost"; state: TrialState };

/**
 * Runs the trial's child process and supervises it: while the child lives and its progress ticks
 * (progress.ts, one per training step) advance, the worker heartbeats every interval, and reaps the
 * study's stale trials on the same beat, so a dead worker's trial is failed within grace + interval
 * while any worker lives. A child whose lease is lost, or whose worker is stopped, gets SIGTERM (it
 * stops after a whole step), and SIGKILL after stopTimeout. A child without a tick for hangTimeout
 * is killed and its trial marked FAIL at once, as is the trial of a child that died by a signal;
 * both get a WAITING retry (the storage's maxRetry permitting) that resumes from the trial's
 * checkpoint. A child that exits without telling its result fails its trial without a retry: it
 * failed on its own, and would again.
 */
export function runTrialProcess(o: TrialProcessOptions): Promise<TrialOutcome> {
  const { storage, lease } = o;
  const args = [...o.command.slice(1), "--storage", o.storageUrl, "--study", o.studyName, "--trial-id", String(lease.trialId), "--worker-id", lease.workerId, "--epoch", String(lease.epoch)];
  return new Promise((resolve, reject) => {
    const child = spawn(o.command[0]!, args, { stdio: ["ignore", "pipe", "pipe", "ipc"], env: o.env ?? process.env });
    const stderrTail: string[] = [];
    forwardLines(child.stdout!, (line) => o.log(`[trial ${o.number}] ${line}`));
    forwardLines(child.stderr!, (line) => {
      o.log(`[trial ${o.number}] ${line}`);
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
    });
    let steps = 0;
    let lastAdvance = Date.now();
    child.on("message", (m) => {
      if (isProgressMessage(m) && m.steps > steps) {
        steps = m.steps;
        lastAdvance = Date.now();
      }
    });
    let why: "hung" | "stopped" | null = null;
    let spawnError: Error | null = null;
    let leaseGone = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    // SIGTERM first: a trial process stops after a whole step (StopOnSignal), not inside a journal
    // write, whose lock a killed writer would leave to stall every worker for the lock's grace.
    const terminate = () => {
      if (killTimer !== undefined) return;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), o.stopTimeout * 1000);
    };
    const beat = setInterval(() => {
      if (why === "hung" || leaseGone) return;
      try {
        if (Date.now() - lastAdvance > o.hangTimeout * 1000) {
          why = "hung";
          child.kill("SIGKILL"); // a hung loop never reaches a step's end to stop at
          return;
        }
        if (!storage.recordHeartbeat(lease)) {
          // The child told its result and is ending, or the trial was reaped or claimed elsewhere
          // meanwhile: a zombie child is refused at its next write and ends; past stopTimeout it is stopped.
          leaseGone = true;
          graceTimer = setTimeout(terminate, o.stopTimeout * 1000);
          return;
        }
        storage.failStaleTrials(o.studyId);
      } catch (e) {
        o.log(`trial ${o.number}: heartbeat failed: ${(e as Error).message}`);
      }
    }, o.heartbeat.interval * 1000);
    const onAbort = () => {
      why ??= "stopped";
      terminate();
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (e) => (spawnError = e));
    child.on("close", (code, signal) => {
      clearInterval(beat);
      clearTimeout(graceTimer);
      clearTimeout(killTimer);
      o.signal?.removeEventListener("abort", onAbort);
      try {
        resolve(settle(o, why, code, signal, stderrTail, spawnError));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** What the worker does once the child is gone. */
function settle(o: TrialProcessOptions, why: "hung" | "stopped" | null, code: number | null, signal: NodeJS.Signals | null, stderrTail: string[], spawnError: Error | null): TrialOutcome {
  const { storage, lease } = o;
  const trial = storage.getTrial(lease.trialId);
  const ours = trial.state === "RUNNING" && storage.recordHeartbeat(lease);
  if (!ours) {
    // A reaper's FAIL carries no fail_reason (Optuna's neither); a trial process that fails its trial writes one.
    const reaped = trial.state === "FAIL" && trial.systemAttrs[OPTUNA_ATTR.failReason] === undefined;
    return trial.state === "RUNNING" || reaped ? { kind: "lost", state: trial.state } : { kind: "told", state: trial.state, value: trial.value };
  }
  let reason: string;
  let retry: boolean;
  if (spawnError !== null) {
    reason = `its process could not start (${o.command.join(" ")}): ${spawnError.message}`;
    retry = false;
  } else if (why === "hung") {
    reason = `it hung: no training step for ${o.hangTimeout} s, so its process was killed`;
    retry = true;
  } else if (why === "stopped") {
    reason = `its worker was stopped by ${String(o.signal?.reason ?? "a signal")}`;
    retry = true;
  } else if (signal !== null) {
    reason = `its process was killed by ${signal}`;
    retry = true;
  } else {
    const tail = stderrTail.length > 0 ? `; its last output:\n${stderrTail.join("\n")}` : "";
    reason = `its process exited with code ${code} without telling the result${tail}`;
    retry = false;
  }
  storage.setTrialSystemAttr(lease, OPTUNA_ATTR.failReason, `Trial ${o.number} failed because ${reason}.`);
  storage.setTrialStateValue(lease, "FAIL", null);
  let retried: number | null = null;
  if (retry) {
    const template = retryTemplate(storage.getTrial(lease.trialId), o.heartbeat.maxRetry);
    if (template !== null) retried = storage.getTrial(storage.createTrial(o.studyId, template)).number;
  }
  if (spawnError !== null) throw new StudyError({ where: "minima tune worker", what: `the trial command cannot start: ${spawnError.message}`, got: o.command.join(" ") });
  return { kind: "failed", reason, retry: retried };
}
