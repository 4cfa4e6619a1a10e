import type { Distribution } from "./distributions.js";
import type { FrozenTrial } from "./frozen-trial.js";
import type { Direction, TrialState } from "./trial-state.js";

/**
 * The right to write to one RUNNING trial. A worker gets it by starting a trial or claiming a
 * WAITING one; every later write names it, and a storage refuses (LeaseLostError) a write whose
 * lease is no longer current: the trial was reaped, finished, or claimed again by another worker
 * after a pause. That fencing is what keeps a worker woken from SIGSTOP from overwriting a result.
 */
export interface Lease {
  readonly trialId: number;
  readonly workerId: string;
  /** Grows by one each time the trial is claimed (ASHA resumes a paused trial under a new epoch). */
  readonly epoch: number;
}

export interface StudySummary {
  readonly studyId: number;
  readonly studyName: string;
  readonly directions: readonly Direction[];
  readonly userAttrs: Readonly<Record<string, unknown>>;
  readonly systemAttrs: Readonly<Record<string, unknown>>;
}

/** A trial written whole: an enqueued (WAITING) trial, a retry, or a finished trial added by hand. */
export interface TrialTemplate {
  readonly state: TrialState;
  readonly value?: number | null;
  readonly params?: Readonly<Record<string, number>>;
  readonly distributions?: Readonly<Record<string, Distribution>>;
  readonly intermediateValues?: ReadonlyMap<number, number>;
  readonly userAttrs?: Readonly<Record<string, unknown>>;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
  readonly datetimeStart?: Date | null;
  readonly datetimeComplete?: Date | null;
}

/** How stale trials are found and retried (Optuna's heartbeat_interval, grace_period, RetryHeartbeatStaleTrialCallback). */
export interface HeartbeatPolicy {
  /** Seconds between heartbeats of a running trial. */
  readonly interval: number;
  /** A RUNNING trial whose last heartbeat is older than this many seconds is marked FAIL. */
  readonly grace: number;
  /**
   * How many times a failed trial is retried: a WAITING copy with the same params and Optuna's
   * failed_trial / retry_history attrs (and minima:resume_from when the dead trial left a
   * checkpoint). null = no limit, as Optuna's max_retry=None.
   */
  readonly maxRetry: number | null;
}

export interface ReapResult {
  /** Numbers of the trials marked FAIL. */
  readonly failed: readonly number[];
  /** Numbers of the WAITING retries created for them. */
  readonly retried: readonly number[];
}

/**
 * Where studies live. Synchronous, because fit is: a pruning check inside an epoch cannot await.
 * The in-memory storage and the journal file are synchronous by nature; SQL storages answer
 * synchronously from a worker thread (the calling thread waits on an Atomics handshake).
 * Every method that changes a trial takes its lease; reads never block writers for long.
 */
export interface Storage {
  /** How the storage was named: "memory", a journal path, sqlite:///…, postgresql://… (no password). */
  readonly url: string;
  /** Set when the storage tracks heartbeats (journal, SQL): Study.ask reaps stale trials with it. */
  readonly heartbeat: HeartbeatPolicy | null;

  createNewStudy(directions: readonly Direction[], studyName: string): number;
  deleteStudy(studyId: number): void;
  /** Throws StudyError naming the study and the storage, listing the studies it has. */
  getStudyIdFromName(studyName: string): number;
  getAllStudies(): StudySummary[];
  getStudyDirections(studyId: number): Direction[];
  getStudyUserAttrs(studyId: number): Record<string, unknown>;
  getStudySystemAttrs(studyId: number): Record<string, unknown>;
  setStudyUserAttr(studyId: number, key: string, value: unknown): void;
  setStudySystemAttr(studyId: number, key: string, value: unknown): void;

  /** Creates a RUNNING trial owned by the worker and returns its lease. */
  startNewTrial(studyId: number, workerId: string): Lease;
  /** Writes a whole trial (WAITING for enqueue and retries); returns its trialId. */
  createTrial(studyId: number, template: TrialTemplate): number;
  /**
   * Atomically moves the oldest WAITING trial to RUNNING for this worker; null when none waits.
   * With trialId, claims that trial only (null when it no longer waits: another worker won it), as
   * Study.ask does to resume a paused trial that a pruner promotes (ASHA) and to pass paused trials by.
   */
  claimWaitingTrial(studyId: number, workerId: string, trialId?: number): Lease | null;

  setTrialParam(lease: Lease, name: string, internal: number, distribution: Distribution): void;
  setTrialIntermediateValue(lease: Lease, step: number, value: number): void;
  setTrialUserAttr(lease: Lease, key: string, value: unknown): void;
  setTrialSystemAttr(lease: Lease, key: string, value: unknown): void;
  /**
   * Finishes the trial (COMPLETE, PRUNED, FAIL) or pauses it (WAITING, for ASHA's promotion).
   * Throws LeaseLostError when the lease is no longer current; the first finisher wins.
   */
  setTrialStateValue(lease: Lease, state: TrialState, value?: number | null): void;
  /** Marks the trial alive; false when the lease is lost (stop training at once). */
  recordHeartbeat(lease: Lease): boolean;
  /** Marks FAIL every RUNNING trial of the study whose heartbeat is stale, and enqueues retries; idempotent. */
  failStaleTrials(studyId: number): ReapResult;

  getTrial(trialId: number): FrozenTrial;
  getAllTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[];
  close(): void;
}
