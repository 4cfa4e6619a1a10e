import type { JournalOp } from "./ops.js";

/**
 * Where a journal's lines live: memory, a file (Node entry), or later Redis. Appends are atomic
 * (a batch lands whole, in one place of the order); reads return the ops after the first `from`.
 */
export interface JournalBackend {
  /** Names the journal in messages and in Storage.url. */
  readonly url: string;
  readLogs(from: number): JournalOp[];
  appendLogs(ops: readonly JournalOp[]): void;
  /** Heartbeats, kept beside the log (Optuna's journal has no op for them): absent = no heartbeats. */
  readonly heartbeats?: HeartbeatBook;
  close?(): void;
}

/** Last-seen times of running trials, by trial id. */
export interface HeartbeatBook {
  beat(trialId: number): void;
  /** Seconds since the trial's last beat, or null if it never beat (such a trial is never reaped, as in Optuna). */
  age(trialId: number): number | null;
  /** Forgets a finished trial's beats. */
  forget(trialId: number): void;
}
