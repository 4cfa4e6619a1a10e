import { LeaseLostError, StudyError } from "../../errors.js";
import { distributionToJson, toInternal, type Distribution } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { HeartbeatPolicy, Lease, ReapResult, Storage, StudySummary, TrialTemplate } from "../storage.js";
import { isFinished, type Direction, type TrialState } from "../trial-state.js";
import { newWorkerId } from "../worker-id.js";
import type { JournalBackend } from "./backend.js";
import { DIRECTION_CODE, OP, STATE_CODE, journalDate, type JournalOp } from "./ops.js";
import { JournalReplay } from "./replay.js";

export interface JournalStorageOptions {
  /** Track heartbeats and reap stale trials (needs a backend that keeps them). Default: off, as in Optuna. */
  heartbeat?: HeartbeatPolicy | null;
}

/**
 * A storage over an Optuna journal: every write appends ops, every read replays the ops it has not
 * seen. The log order is the only arbiter: a claim, a result or a reap counts if the replay accepts
 * it, and every process replays the same log, so they all agree on the winner.
 */
export class JournalStorage implements Storage {
  readonly url: string;
  readonly heartbeat: HeartbeatPolicy | null;
  private readonly replay: JournalReplay;
  /** The id under which this storage writes study ops, enqueued trials and reaps. */
  private readonly ownId = newWorkerId();

  constructor(
    private readonly backend: JournalBackend,
    options: JournalStorageOptions = {},
  ) {
    this.url = backend.url;
    this.heartbeat = options.heartbeat ?? null;
    if (this.heartbeat !== null && backend.heartbeats === undefined) {
      throw new StudyError({ where: backend.url, what: "this journal keeps no heartbeats, so it cannot reap stale trials", expected: "heartbeat: null" });
    }
    this.replay = new JournalReplay(backend.url);
    this.replay.localWorkers.add(this.ownId);
    this.sync();
  }

  private sync(): void {
    this.replay.apply(this.backend.readLogs(this.replay.logsRead));
    const refused = this.replay.rejections;
    if (refused.length > 0) {
      this.replay.rejections = [];
      throw refused[0]!.error;
    }
  }

  private write(op: JournalOp): void {
    this.backend.appendLogs([op]);
    this.sync();
  }

  private op(opCode: number, workerId: string, fields: Record<string, unknown>): JournalOp {
    return { op_code: opCode, worker_id: workerId, ...fields };
  }

  // ---- studies ----

  createNewStudy(directions: readonly Direction[], studyName: string): number {
    this.write(this.op(OP.CREATE_STUDY, this.ownId, { study_name: studyName, directions: directions.map((d) => DIRECTION_CODE[d]) }));
    return this.replay.studyIdByName(studyName)!;
  }

  deleteStudy(studyId: number): void {
    this.write(this.op(OP.DELETE_STUDY, this.ownId, { study_id: studyId }));
  }

  getStudyIdFromName(studyName: string): number {
    this.sync();
    const id = this.replay.studyIdByName(studyName);
    if (id !== undefined) return id;
    const names = this.replay.allStudies().map((s) => `"${s.studyName}"`);
    throw new StudyError({ where: this.url, what: `no study named "${studyName}"`, expected: names.length === 0 ? "a study name (the storage has none yet)" : `one of ${names.join(", ")}` });
  }

  getAllStudies(): StudySummary[] {
    this.sync();
    return this.replay.allStudies();
  }

  getStudyDirections(studyId: number): Direction[] {
    this.sync();
    return [...this.replay.study(studyId).directions];
  }

  getStudyUserAttrs(studyId: number): Record<string, unknown> {
    this.sync();
    return structuredClone(this.replay.study(studyId).userAttrs);
  }

  getStudySystemAttrs(studyId: number): Record<string, unknown> {
    this.sync();
    return structuredClone(this.replay.study(studyId).systemAttrs);
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.write(this.op(OP.SET_STUDY_USER_ATTR, this.ownId, { study_id: studyId, user_attr: { [key]: value } }));
  }

  setStudySystemAttr(studyId: number, key: string, value: unknown): void {
    this.write(this.op(OP.SET_STUDY_SYSTEM_ATTR, this.ownId, { study_id: studyId, system_attr: { [key]: value } }));
  }

  // ---- trials ----

  startNewTrial(studyId: number, workerId: string): Lease {
    this.replay.localWorkers.add(workerId);
    this.write(this.op(OP.CREATE_TRIAL, workerId, { study_id: studyId, datetime_start: journalDate(new Date()) }));
    const trialId = this.replay.lastCreatedTrial.get(workerId)!;
    this.backend.heartbeats?.beat(trialId);
    return { trialId, workerId, epoch: this.replay.trialRecord(trialId).epoch };
  }

  createTrial(studyId: number, template: TrialTemplate): number {
    const distributions: Record<string, string> = {};
    for (const [k, d] of Object.entries(template.distributions ?? {})) distributions[k] = distributionToJson(d);
    const fields: Record<string, unknown> = {
      study_id: studyId,
      datetime_start: template.datetimeStart ? journalDate(template.datetimeStart) : null,
      state: STATE_CODE[template.state],
      value: template.value ?? null,
      values: template.value === undefined || template.value === null ? null : [template.value],
      distributions,
      params: { ...(template.params ?? {}) },
      user_attrs: { ...(template.userAttrs ?? {}) },
      system_attrs: { ...(template.systemAttrs ?? {}) },
      intermediate_values: Object.fromEntries(template.intermediateValues ?? []),
    };
    if (template.datetimeComplete) fields["datetime_complete"] = journalDate(template.datetimeComplete);
    this.write(this.op(OP.CREATE_TRIAL, this.ownId, fields));
    return this.replay.lastCreatedTrial.get(this.ownId)!;
  }

  claimWaitingTrial(studyId: number, workerId: string): Lease | null {
    this.replay.localWorkers.add(workerId);
    this.sync();
    for (const id of [...this.replay.trialIds(studyId)]) {
      if (this.replay.trialRecord(id).state !== "WAITING") continue;
      this.write(this.op(OP.SET_TRIAL_STATE_VALUES, workerId, { trial_id: id, state: STATE_CODE.RUNNING, values: null, datetime_start: journalDate(new Date()) }));
      const t = this.replay.trialRecord(id);
      if (t.state === "RUNNING" && t.owner === workerId) {
        this.backend.heartbeats?.beat(id);
        return { trialId: id, workerId, epoch: t.epoch };
      }
    }
    return null;
  }

  /** Refuses before writing when the lease is plainly gone; the replay refuses what races past this. */
  private checkLease(lease: Lease): void {
    this.sync();
    const t = this.replay.trialRecord(lease.trialId);
    if (t.state === "RUNNING" && t.owner === lease.workerId && t.epoch === lease.epoch) return;
    const why = isFinished(t.state) ? `it already finished as ${t.state}` : t.state === "WAITING" ? "it was paused and waits to be claimed again" : "another worker claimed it";
    throw new LeaseLostError({ where: this.url, what: `trial ${t.number} is no longer this worker's: ${why}; the write was refused` });
  }

  setTrialParam(lease: Lease, name: string, internal: number, distribution: Distribution): void {
    this.checkLease(lease);
    this.write(this.op(OP.SET_TRIAL_PARAM, lease.workerId, { trial_id: lease.trialId, param_name: name, param_value_internal: internal, distribution: distributionToJson(distribution) }));
  }

  setTrialIntermediateValue(lease: Lease, step: number, value: number): void {
    this.checkLease(lease);
    this.write(this.op(OP.SET_TRIAL_INTERMEDIATE_VALUE, lease.workerId, { trial_id: lease.trialId, step, intermediate_value: value }));
  }

  setTrialUserAttr(lease: Lease, key: string, value: unknown): void {
    this.checkLease(lease);
    this.write(this.op(OP.SET_TRIAL_USER_ATTR, lease.workerId, { trial_id: lease.trialId, user_attr: { [key]: value } }));
  }

  setTrialSystemAttr(lease: Lease, key: string, value: unknown): void {
    this.checkLease(lease);
    this.write(this.op(OP.SET_TRIAL_SYSTEM_ATTR, lease.workerId, { trial_id: lease.trialId, system_attr: { [key]: value } }));
  }

  setTrialStateValue(lease: Lease, state: TrialState, value: number | null = null): void {
    if (state === "RUNNING") throw new StudyError({ where: this.url, what: "a trial is set RUNNING by starting or claiming it", expected: "COMPLETE, PRUNED, FAIL or WAITING", got: state });
    this.checkLease(lease);
    const fields: Record<string, unknown> = { trial_id: lease.trialId, state: STATE_CODE[state], values: value === null ? null : [value] };
    if (isFinished(state)) fields["datetime_complete"] = journalDate(new Date());
    this.write(this.op(OP.SET_TRIAL_STATE_VALUES, lease.workerId, fields));
    this.backend.heartbeats?.forget(lease.trialId);
  }

  recordHeartbeat(lease: Lease): boolean {
    this.sync();
    const t = this.replay.trialRecord(lease.trialId);
    if (!(t.state === "RUNNING" && t.owner === lease.workerId && t.epoch === lease.epoch)) return false;
    this.backend.heartbeats?.beat(lease.trialId);
    return true;
  }

  failStaleTrials(studyId: number): ReapResult {
    const policy = this.heartbeat;
    const book = this.backend.heartbeats;
    if (policy === null || book === undefined) return { failed: [], retried: [] };
    this.sync();
    const failed: number[] = [];
    const retried: number[] = [];
    for (const id of [...this.replay.trialIds(studyId)]) {
      const t = this.replay.trialRecord(id);
      const age = t.state === "RUNNING" ? book.age(id) : null;
      if (age === null || age <= policy.grace) continue;
      const fields = { trial_id: id, state: STATE_CODE.FAIL, values: null, datetime_complete: journalDate(new Date()), minima_reap: true };
      try {
        this.write(this.op(OP.SET_TRIAL_STATE_VALUES, this.ownId, fields));
      } catch (e) {
        if (e instanceof LeaseLostError) continue; // another reaper or the owner finished it first
        throw e;
      }
      book.forget(id);
      const dead = this.replay.frozen(id);
      failed.push(dead.number);
      const retry = retryTemplate(dead, policy.maxRetry);
      if (retry !== null) retried.push(this.replay.trialRecord(this.createTrial(studyId, retry)).number);
    }
    return { failed, retried };
  }

  getTrial(trialId: number): FrozenTrial {
    this.sync();
    return this.replay.frozen(trialId);
  }

  getAllTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    this.sync();
    const out: FrozenTrial[] = [];
    for (const id of this.replay.trialIds(studyId)) {
      const f = this.replay.frozen(id);
      if (states === undefined || states.includes(f.state)) out.push(f);
    }
    return out;
  }

  close(): void {
    this.backend.close?.();
  }
}

/**
 * The WAITING copy of a reaped trial, as Optuna's RetryFailedTrialCallback writes it (same params
 * and user attrs; failed_trial = the first failure's number, retry_history = every failed number),
 * plus minima:resume_from = the dead trial's last checkpoint, so the retry continues where it died.
 * null when max_retry is used up.
 */
export function retryTemplate(dead: FrozenTrial, maxRetry: number | null): TrialTemplate | null {
  const systemAttrs: Record<string, unknown> = { failed_trial: dead.number, retry_history: [], ...structuredClone(dead.systemAttrs) };
  (systemAttrs["retry_history"] as number[]).push(dead.number);
  if (maxRetry !== null && maxRetry < (systemAttrs["retry_history"] as number[]).length) return null;
  const checkpoint = dead.systemAttrs["minima:checkpoint"];
  if (checkpoint !== undefined) systemAttrs["minima:resume_from"] = checkpoint;
  const params: Record<string, number> = {};
  for (const [k, d] of Object.entries(dead.distributions)) params[k] = toInternal(d, dead.params[k]!);
  return { state: "WAITING", params, distributions: dead.distributions, userAttrs: dead.userAttrs, systemAttrs };
}
