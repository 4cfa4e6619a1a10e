import { LeaseLostError, StudyError } from "../../errors.js";
import { checkCompatible, jsonToDistribution, toExternal, type Distribution } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { StudySummary } from "../storage.js";
import { isFinished, type Direction, type TrialState } from "../trial-state.js";
import { OP, STATE_FROM_CODE, parseJournalDate, type JournalOp } from "./ops.js";

interface StudyRecord {
  studyId: number;
  studyName: string;
  directions: Direction[];
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
}

interface TrialRecord {
  trialId: number;
  number: number;
  studyId: number;
  state: TrialState;
  value: number | null;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  params: Record<string, number>;
  distributions: Record<string, Distribution>;
  intermediateValues: Map<number, number>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  /** The worker whose RUNNING was accepted last, and how many times the trial was claimed. */
  owner: string | null;
  epoch: number;
  /** Cached snapshot, dropped on every change. */
  frozen: FrozenTrial | null;
}

/** Why an op that this process wrote was not applied. */
export interface Rejection {
  readonly op: JournalOp;
  readonly error: Error;
}

/**
 * The state a journal describes, built by applying its ops in log order with Optuna's rules
 * (JournalStorageReplayResult): ids are implicit (study id = order of creation, trial id = order
 * of creation over all studies, number = order within the study); a second RUNNING on a RUNNING
 * trial is refused; every op on a finished trial is ignored, so the first finisher wins in every
 * reader. minima adds one rule: a write to a RUNNING trial from a worker that does not own it is
 * ignored too (a worker paused past its lease cannot write into the trial's next claim).
 * Ops written by this process's workers that are refused are collected in `rejections`, so the
 * writer can raise after it syncs.
 */
export class JournalReplay {
  logsRead = 0;
  private readonly studies = new Map<number, StudyRecord>();
  private readonly trials: TrialRecord[] = [];
  private readonly studyTrials = new Map<number, number[]>();
  private nextStudyId = 0;
  /** Worker ids of this process: their refused ops become rejections, their created trials are remembered. */
  readonly localWorkers = new Set<string>();
  rejections: Rejection[] = [];
  readonly lastCreatedTrial = new Map<string, number>();

  constructor(private readonly where: string) {}

  apply(ops: readonly JournalOp[]): void {
    for (const op of ops) {
      this.logsRead++;
      this.applyOne(op);
    }
  }

  private applyOne(op: JournalOp): void {
    switch (op.op_code) {
      case OP.CREATE_STUDY:
        return this.createStudy(op);
      case OP.DELETE_STUDY: {
        const id = op["study_id"] as number;
        if (this.studyExists(id, op)) this.studies.delete(id);
        return;
      }
      case OP.SET_STUDY_USER_ATTR:
      case OP.SET_STUDY_SYSTEM_ATTR: {
        const id = op["study_id"] as number;
        if (!this.studyExists(id, op)) return;
        const s = this.studies.get(id)!;
        if (op.op_code === OP.SET_STUDY_USER_ATTR) Object.assign(s.userAttrs, op["user_attr"]);
        else Object.assign(s.systemAttrs, op["system_attr"]);
        return;
      }
      case OP.CREATE_TRIAL:
        return this.createTrial(op);
      case OP.SET_TRIAL_PARAM:
        return this.setParam(op);
      case OP.SET_TRIAL_STATE_VALUES:
        return this.setStateValues(op);
      case OP.SET_TRIAL_INTERMEDIATE_VALUE: {
        const t = this.updatable(op);
        if (t) t.intermediateValues.set(op["step"] as number, op["intermediate_value"] as number);
        return;
      }
      case OP.SET_TRIAL_USER_ATTR: {
        const t = this.updatable(op);
        if (t) Object.assign(t.userAttrs, op["user_attr"]);
        return;
      }
      case OP.SET_TRIAL_SYSTEM_ATTR: {
        const t = this.updatable(op);
        if (t) Object.assign(t.systemAttrs, op["system_attr"]);
        return;
      }
      default:
        throw new StudyError({ where: this.where, what: `the journal holds an unknown op code at line ${this.logsRead}`, expected: "op codes 0–9 (Optuna's journal)", got: String(op.op_code) });
    }
  }

  private reject(op: JournalOp, error: Error): void {
    if (this.localWorkers.has(op.worker_id)) this.rejections.push({ op, error });
  }

  private studyExists(id: number, op: JournalOp): boolean {
    if (this.studies.has(id)) return true;
    this.reject(op, new StudyError({ where: this.where, what: `no study with id ${id}` }));
    return false;
  }

  private createStudy(op: JournalOp): void {
    const name = op["study_name"] as string;
    if ([...this.studies.values()].some((s) => s.studyName === name)) {
      this.reject(op, new StudyError({ where: this.where, what: `a study named "${name}" already exists; load it (loadIfExists: true, or mn.tune.loadStudy) or choose another name` }));
      return;
    }
    const directions = (op["directions"] as number[]).map((d) => (d === 2 ? "maximize" : "minimize") as Direction);
    const id = this.nextStudyId++;
    this.studies.set(id, { studyId: id, studyName: name, directions, userAttrs: {}, systemAttrs: {} });
    this.studyTrials.set(id, []);
  }

  private createTrial(op: JournalOp): void {
    const studyId = op["study_id"] as number;
    if (!this.studyExists(studyId, op)) return;
    const distributions: Record<string, Distribution> = {};
    for (const [k, v] of Object.entries((op["distributions"] as Record<string, string> | undefined) ?? {})) distributions[k] = jsonToDistribution(v, this.where);
    const values = op["values"] as number[] | null | undefined;
    const value = (op["value"] as number | null | undefined) ?? (values && values.length > 0 ? values[0]! : null);
    const state = STATE_FROM_CODE[(op["state"] as number | undefined) ?? 0] ?? "RUNNING";
    const ids = this.studyTrials.get(studyId)!;
    const intermediate = new Map<number, number>();
    for (const [k, v] of Object.entries((op["intermediate_values"] as Record<string, number> | undefined) ?? {})) intermediate.set(Number(k), v);
    const t: TrialRecord = {
      trialId: this.trials.length,
      number: ids.length,
      studyId,
      state,
      value,
      datetimeStart: parseJournalDate(op["datetime_start"]),
      datetimeComplete: parseJournalDate(op["datetime_complete"]),
      params: { ...((op["params"] as Record<string, number> | undefined) ?? {}) },
      distributions,
      intermediateValues: intermediate,
      userAttrs: { ...((op["user_attrs"] as Record<string, unknown> | undefined) ?? {}) },
      systemAttrs: { ...((op["system_attrs"] as Record<string, unknown> | undefined) ?? {}) },
      owner: state === "RUNNING" ? op.worker_id : null,
      epoch: state === "RUNNING" ? 1 : 0,
      frozen: null,
    };
    this.trials.push(t);
    ids.push(t.trialId);
    if (this.localWorkers.has(op.worker_id)) this.lastCreatedTrial.set(op.worker_id, t.trialId);
  }

  /** The trial if the op may change it: it exists, is not finished, and (RUNNING) the op's worker owns it. */
  private updatable(op: JournalOp): TrialRecord | null {
    const t = this.trials[op["trial_id"] as number];
    if (t === undefined) {
      this.reject(op, new StudyError({ where: this.where, what: `no trial with id ${String(op["trial_id"])}` }));
      return null;
    }
    if (isFinished(t.state)) {
      this.reject(op, new LeaseLostError({ where: this.where, what: `trial ${t.number} already finished as ${t.state}, so this write was refused (the first finisher wins)` }));
      return null;
    }
    // A reaper's FAIL (marked minima_reap, a field Optuna's replay ignores) is the one write a non-owner may make.
    if (t.state === "RUNNING" && t.owner !== null && t.owner !== op.worker_id && op["minima_reap"] !== true) {
      this.reject(op, new LeaseLostError({ where: this.where, what: `trial ${t.number} is now run by another worker, so this write was refused` }));
      return null;
    }
    t.frozen = null;
    return t;
  }

  private setParam(op: JournalOp): void {
    const t = this.updatable(op);
    if (t === null) return;
    const name = op["param_name"] as string;
    const dist = jsonToDistribution(op["distribution"] as string, this.where);
    for (const id of this.studyTrials.get(t.studyId)!) {
      const before = this.trials[id]!.distributions[name];
      if (before === undefined) continue;
      try {
        checkCompatible(name, this.studies.get(t.studyId)?.studyName ?? String(t.studyId), before, dist);
      } catch (e) {
        this.reject(op, e as Error);
        return;
      }
      break;
    }
    t.params[name] = op["param_value_internal"] as number;
    t.distributions[name] = dist;
  }

  private setStateValues(op: JournalOp): void {
    const t = this.trials[op["trial_id"] as number];
    const state = STATE_FROM_CODE[op["state"] as number];
    if (state === undefined) return;
    // A claim (RUNNING on a WAITING trial) is the journal's compare-and-set: the first in log order wins.
    if (state === "RUNNING") {
      if (t === undefined || isFinished(t.state) || t.state === "RUNNING") {
        if (t !== undefined && isFinished(t.state)) this.updatable(op);
        return;
      }
      t.frozen = null;
      t.state = "RUNNING";
      t.owner = op.worker_id;
      t.epoch++;
      t.datetimeStart = parseJournalDate(op["datetime_start"]) ?? t.datetimeStart;
      return;
    }
    const target = this.updatable(op);
    if (target === null) return;
    target.state = state;
    if (isFinished(state)) target.datetimeComplete = parseJournalDate(op["datetime_complete"]);
    else target.owner = null;
    const values = op["values"] as number[] | null | undefined;
    if (values !== null && values !== undefined) target.value = values[0] ?? null;
  }

  // ---- reads ----

  study(id: number): StudyRecord {
    const s = this.studies.get(id);
    if (s === undefined) throw new StudyError({ where: this.where, what: `no study with id ${id}` });
    return s;
  }

  allStudies(): StudySummary[] {
    return [...this.studies.values()].map((s) => ({ ...s, directions: [...s.directions], userAttrs: { ...s.userAttrs }, systemAttrs: { ...s.systemAttrs } }));
  }

  studyIdByName(name: string): number | undefined {
    for (const s of this.studies.values()) if (s.studyName === name) return s.studyId;
    return undefined;
  }

  trialRecord(trialId: number): TrialRecord {
    const t = this.trials[trialId];
    if (t === undefined) throw new StudyError({ where: this.where, what: `no trial with id ${trialId}` });
    return t;
  }

  trialIds(studyId: number): readonly number[] {
    this.study(studyId);
    return this.studyTrials.get(studyId)!;
  }

  /** The trial as a read-only snapshot (cached until the trial changes). */
  frozen(trialId: number): FrozenTrial {
    const t = this.trialRecord(trialId);
    if (t.frozen !== null) return t.frozen;
    const params: Record<string, ReturnType<typeof toExternal>> = {};
    for (const [k, v] of Object.entries(t.params)) params[k] = toExternal(t.distributions[k]!, v);
    t.frozen = Object.freeze({
      trialId: t.trialId,
      number: t.number,
      state: t.state,
      value: t.value,
      datetimeStart: t.datetimeStart,
      datetimeComplete: t.datetimeComplete,
      params: Object.freeze(params),
      distributions: Object.freeze({ ...t.distributions }),
      intermediateValues: new Map(t.intermediateValues),
      userAttrs: Object.freeze(structuredClone(t.userAttrs)),
      systemAttrs: Object.freeze(structuredClone(t.systemAttrs)),
    });
    return t.frozen;
  }
}
