import { fileURLToPath } from "node:url";
import { OptionError } from "../../errors.js";
import { ATTR } from "../attrs.js";
import type { HeartbeatPolicy } from "../storage.js";
import { loadStudy, type Study } from "../study.js";
import { studySpace } from "../study-space.js";
import { SearchExhausted } from "../trial-pruned.js";
import type { Trial } from "../trial.js";
import { openStorage } from "./open-storage.js";
import { runTrialProcess, type TrialOutcome } from "./trial-process.js";
import { workerSampler, type SamplerFromSpec } from "./worker-sampler.js";

/** The trial runner of minima's CLI: `minima tune run-trial` (dist/src/cli/main.js beside this file's folder). */
export const RUN_TRIAL_COMMAND: readonly string[] = [process.execPath, fileURLToPath(new URL("../../cli/main.js", import.meta.url)), "tune", "run-trial"];

/** Heartbeat defaults of a worker: a beat every 5 s, FAIL after 30 s without one, 3 retries (research notes §4.3). */
export const WORKER_HEARTBEAT: HeartbeatPolicy = { interval: 5, grace: 30, maxRetry: 3 };

export interface WorkerOptions {
  /** The study's storage URL: a journal path, sqlite:///…, postgresql://… */
  storage: string;
  studyName: string;
  /** How many trials this worker runs (a claimed WAITING trial — a grid point, a retry, a promotion — counts as one). Default: until the sampler has no point left, or the worker is stopped. */
  trials?: number | undefined;
  /** The trial process: a program and its first arguments, to which the trial's --storage, --study, --trial-id, --worker-id and --epoch are added. Default: `minima tune run-trial`. */
  trialCommand?: readonly string[] | undefined;
  /** Heartbeat interval and grace (seconds) and the retries of a failed trial. Default WORKER_HEARTBEAT. */
  heartbeat?: Partial<HeartbeatPolicy> | undefined;
  /** Seconds without a training step after which a trial process counts as hung. Default 300. */
  hangTimeout?: number | undefined;
  /** Seconds a trial process may take to stop after SIGTERM (to save its checkpoint) before it is killed. Default 30. */
  stopTimeout?: number | undefined;
  /** This worker's index among its siblings: its sampler draws with the study's seed + index. Default: a random seed. */
  workerIndex?: number | undefined;
  /** Rebuilds the study's sampler from its spec. */
  samplerFromSpec?: SamplerFromSpec | undefined;
  /** Stops the worker (reason "SIGINT" or "SIGTERM"): the running trial's process gets SIGTERM, then its trial is failed and retried. */
  signal?: AbortSignal | undefined;
  /** Environment of the trial processes. Default: the worker's. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Where the worker's lines and its trial processes' output go. Default console.log. */
  log?: ((line: string) => void) | undefined;
}

export interface WorkerTrial {
  readonly number: number;
  readonly outcome: TrialOutcome;
}

export interface WorkerResult {
  readonly trials: readonly WorkerTrial[];
  /** Why the worker ended. */
  readonly ended: "trials" | "exhausted" | "stopped";
}

/**
 * A worker (`minima tune worker`): loads the study and loops — reap stale trials, ask (a WAITING
 * trial first: a grid point, a retry, a promotion; else a new one from its sampler), suggest the
 * study's recorded space, and run the trial as a child process that it supervises (trial-process.ts).
 * When the sampler has no point left, the worker stays while other workers' trials run, since any
 * of them may fail and leave a retry, and ends when none runs. Stopped (signal), it stops its trial
 * process with SIGTERM, fails the trial with a retry that resumes from its checkpoint, and ends.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerResult> {
  const o = checkWorkerOptions(options);
  const storage = openStorage(o.storage, { heartbeat: o.heartbeat });
  try {
    const probe = loadStudy({ storage, studyName: o.studyName });
    const sampler = workerSampler(probe.systemAttrs[ATTR.sampler], o.workerIndex, o.samplerFromSpec);
    const study = loadStudy({ storage, studyName: o.studyName, ...(sampler ? { sampler } : {}), onWarning: (m) => o.log(`warning: ${m}`) });
    const space = studySpace(study);
    const done: WorkerTrial[] = [];
    for (;;) {
      if (o.signal?.aborted) return { trials: done, ended: "stopped" };
      if (o.trials !== undefined && done.length >= o.trials) return { trials: done, ended: "trials" };
      const trial = await askOrWait(study, o);
      if (trial === null) return { trials: done, ended: o.signal?.aborted ? "stopped" : "exhausted" };
      for (const [name, distribution] of Object.entries(space ?? {})) trial.suggest(name, distribution);
      const paramsText = Object.entries(trial.frozen().params).map(([k, v]) => `${k}=${String(v)}`).join(" ");
      o.log(`trial ${trial.number} started${paramsText ? `: ${paramsText}` : ""}`);
      const started = Date.now();
      const outcome = await runTrialProcess({
        storage, studyId: study.studyId, lease: trial.lease, number: trial.number, command: o.trialCommand,
        storageUrl: o.storage, studyName: o.studyName, heartbeat: o.heartbeat, hangTimeout: o.hangTimeout,
        stopTimeout: o.stopTimeout, signal: o.signal, env: o.env, log: o.log,
      });
      o.log(`trial ${trial.number} ${describeOutcome(outcome)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      done.push({ number: trial.number, outcome });
    }
  } finally {
    storage.close();
  }
}

/**
 * study.ask(), or null when the search is over: no WAITING trial, no new point, no trial running
 * elsewhere that could still fail into a retry. While others run, it waits a heartbeat interval and
 * asks again (ask reaps stale trials first).
 */
async function askOrWait(study: Study, o: ResolvedWorkerOptions): Promise<Trial | null> {
  for (;;) {
    try {
      return study.ask();
    } catch (e) {
      if (!(e instanceof SearchExhausted)) throw e;
    }
    if (study.getTrials({ states: ["RUNNING"] }).length === 0) return null;
    const stop = await sleep(o.heartbeat.interval * 1000, o.signal);
    if (stop) return null;
  }
}

/** Waits; true when the signal aborted the wait. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(true);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(false);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** How a worker's log line states a trial's end: "COMPLETE, value 0.12", "FAIL: it hung…; retried as trial 7", "lost: …". */
export function describeOutcome(outcome: TrialOutcome): string {
  switch (outcome.kind) {
    case "told":
      return outcome.state === "COMPLETE" ? `COMPLETE, value ${outcome.value}` : outcome.state;
    case "failed":
      return `FAIL: ${outcome.reason.split("\n")[0]}${outcome.retry === null ? "" : `; retried as trial ${outcome.retry}`}`;
    case "lost":
      return `lost: the trial is ${outcome.state} now, no longer this worker's (reaped or claimed elsewhere while this worker did not beat); its process's late writes were refused`;
  }
}

interface ResolvedWorkerOptions extends Pick<WorkerOptions, "storage" | "studyName" | "trials" | "workerIndex" | "samplerFromSpec" | "signal" | "env"> {
  trialCommand: readonly string[];
  heartbeat: HeartbeatPolicy;
  hangTimeout: number;
  stopTimeout: number;
  log: (line: string) => void;
}

function checkWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  const where = "mn.tune.runWorker";
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(typeof v === "number" && v > 0 && Number.isFinite(v))) throw new OptionError({ where, what: `${name} must be a positive number of seconds`, expected: "a number > 0", got: String(v) });
  };
  const heartbeat: HeartbeatPolicy = { ...WORKER_HEARTBEAT, ...options.heartbeat };
  positive("the heartbeat interval", heartbeat.interval);
  positive("the grace period", heartbeat.grace);
  positive("the hang timeout", options.hangTimeout);
  positive("the stop timeout", options.stopTimeout);
  if (heartbeat.grace <= heartbeat.interval) throw new OptionError({ where, what: "the grace period must be longer than the heartbeat interval, or live trials are reaped between two beats", expected: `grace > ${heartbeat.interval}`, got: String(heartbeat.grace) });
  if (heartbeat.maxRetry !== null && !(Number.isSafeInteger(heartbeat.maxRetry) && heartbeat.maxRetry >= 0)) throw new OptionError({ where, what: "maxRetry must be a non-negative integer or null (no limit)", got: String(heartbeat.maxRetry) });
  if (options.trials !== undefined && !(Number.isSafeInteger(options.trials) && options.trials > 0)) throw new OptionError({ where, what: "trials must be a positive integer", expected: "an integer ≥ 1", got: String(options.trials) });
  if (options.workerIndex !== undefined && !(Number.isSafeInteger(options.workerIndex) && options.workerIndex >= 0)) throw new OptionError({ where, what: "the worker index must be a non-negative integer", got: String(options.workerIndex) });
  const trialCommand = options.trialCommand ?? RUN_TRIAL_COMMAND;
  if (trialCommand.length === 0) throw new OptionError({ where, what: "the trial command is empty", expected: "a program and its arguments" });
  return {
    ...options,
    trialCommand,
    heartbeat,
    hangTimeout: options.hangTimeout ?? 300,
    stopTimeout: options.stopTimeout ?? 30,
    log: options.log ?? ((line) => console.log(line)),
  };
}
