/**
 * Optuna's journal operations (storages/journal/_storage.py), field for field: the log is a list of
 * these, and every process replays it into the same state. minima writes only op codes 0–9 (an
 * unknown code fails Optuna's replay) and keeps what Optuna has no field for in "minima:" attrs.
 */
export const OP = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;

/** Trial states and study directions as the journal codes them (Optuna's enum values). */
export const STATE_CODE = { RUNNING: 0, COMPLETE: 1, PRUNED: 2, FAIL: 3, WAITING: 4 } as const;
export const STATE_FROM_CODE = ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"] as const;
export const DIRECTION_CODE = { minimize: 1, maximize: 2 } as const;

/** The field of a reaper's FAIL op naming the lease it found stale ({ owner, epoch }); Optuna's replay ignores it. */
export const REAPED_LEASE = "minima_reaped_lease";

/** One line of the journal. worker_id is "<uuid4>-<thread or process id>". */
export type JournalOp = { op_code: number; worker_id: string } & Record<string, unknown>;

/**
 * Datetimes as Optuna 3.1 writes them: isoformat with microseconds, naive local time
 * (datetime.now()). Readers accept an offset too (later Optuna writes +00:00).
 */
export function journalDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

export function parseJournalDate(s: unknown): Date | null {
  if (typeof s !== "string") return null;
  // JavaScript reads at most milliseconds: drop the extra fraction digits, keep an offset.
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$/.exec(s);
  if (m === null) return new Date(s);
  const frac = m[2] === undefined ? "" : m[2].slice(0, 4).padEnd(4, "0");
  return new Date(`${m[1]}${frac}${m[3]}`);
}
