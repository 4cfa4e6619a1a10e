import { LeaseLostError, StorageError, StudyError } from "../../errors.js";
import { checkCompatible, distributionToJson, jsonToDistribution, toExternal, type Distribution, type ParamValue } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import { retryTemplate } from "../journal/journal-storage.js";
import { pythonJsonDumps, pythonJsonLoads } from "../python-json.js";
import type { HeartbeatPolicy, Lease, ReapResult, Storage, StudySummary, TrialTemplate } from "../storage.js";
import { TRIAL_STATES, isFinished, type Direction, type TrialState } from "../trial-state.js";
import { newWorkerId } from "../worker-id.js";
import type { SqlDriver } from "./driver.js";
import { ALEMBIC_HEAD, LIBRARY_VERSION, READABLE_ALEMBIC, SCHEMA_VERSION, type SqlSchema } from "./schema.js";
import { parseSqlDate, sqlDate, storedIntermediate, storedValue, valueFromStored } from "./sql-values.js";

export interface SqlStorageOptions {
  /** The dialect's DDL (SQLITE_SCHEMA, or PostgreSQL's). */
  schema: SqlSchema;
  /** Heartbeats and reaping of stale trials. Default off, as in Optuna. */
  heartbeat?: HeartbeatPolicy | null;
}

/** What differs between the dialects in the statements SqlStorage writes. */
interface Dialect {
  /** Appended to a SELECT of trials aliased t to lock the rows (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock). */
  lockTrials: string;
  /** Same, skipping rows another worker holds: claims and reaps never wait for each other. */
  lockTrialsSkipLocked: string;
  lockStudy: string;
  /** The database clock, as a value for trial_heartbeats.heartbeat. */
  now: string;
  /** True when heartbeat h is older than the number of seconds in the placeholder, by the database clock. */
  olderThan(placeholder: string): string;
  tablesSql: string;
}

const DIALECTS: Record<SqlDriver["dialect"], Dialect> = {
  sqlite: {
    lockTrials: "",
    lockTrialsSkipLocked: "",
    lockStudy: "",
    // SQLAlchemy's own text form of a SQLite DATETIME (microseconds), so Optuna parses it.
    now: "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'",
    olderThan: (p) => `(julianday('now') - julianday(h.heartbeat)) * 86400.0 > ${p}`,
    tablesSql: "SELECT name FROM sqlite_master WHERE type = 'table'",
  },
  postgresql: {
    lockTrials: " FOR UPDATE OF t",
    lockTrialsSkipLocked: " FOR UPDATE OF t SKIP LOCKED",
    lockStudy: " FOR UPDATE",
    // Optuna writes func.now() into the naive column and compares in the session's time zone; so does minima.
    now: "now()",
    olderThan: (p) => `h.heartbeat < now() - make_interval(secs => ${p})`,
    tablesSql: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
  },
};

const DIRECTION_NAME: Record<Direction, string> = { minimize: "MINIMIZE", maximize: "MAXIMIZE" };

type Row = Record<string, unknown>;

/** What identifies a finished trial's row beyond its id: its state and datetimes as stored. */
function headKey(h: Row): string {
  const text = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  return `${String(h["state"])}|${text(h["datetime_start"])}|${text(h["datetime_complete"])}`;
}

/**
 * Optuna's RDB storage over a SqlDriver (SQLite or PostgreSQL), in Optuna's schema so Optuna and
 * optuna-dashboard read the same database. A trial's number is assigned under the study-row lock,
 * as Optuna does (count of the study's earlier trials). minima adds minima_leases(trial_id, worker_id,
 * epoch): a claim raises the epoch, and every write to a trial checks, in its transaction, that the
 * writer's lease is still the current one, so a worker paused past its grace period cannot write into
 * a trial that was reaped or claimed again. Heartbeats and staleness use the database clock.
 */
export class SqlStorage implements Storage {
  readonly url: string;
  readonly heartbeat: HeartbeatPolicy | null;
  private readonly sql: Dialect;
  /**
   * Finished trials already read, by trial id: they never change again (every write to them is refused,
   * here and in Optuna), so getAllTrials reads only the trials that are new or still running, as
   * Optuna's _CachedStorage does. `head` is the row's state and datetimes when it was read.
   */
  private readonly finishedCache = new Map<number, { head: string; trial: FrozenTrial }>();
  /** The worker id under which this storage claims trials it writes whole (RUNNING templates). */
  private readonly ownId = newWorkerId();

  constructor(
    private readonly driver: SqlDriver,
    options: SqlStorageOptions,
  ) {
    this.url = driver.url;
    this.heartbeat = options.heartbeat ?? null;
    this.sql = DIALECTS[driver.dialect];
    this.initSchema(options.schema);
  }

  private rows(sql: string, params: readonly unknown[] = []): Row[] {
    return this.driver.query(sql, params);
  }

  private one(sql: string, params: readonly unknown[] = []): Row | undefined {
    return this.driver.query(sql, params)[0];
  }

  /** Creates Optuna's schema in an empty database, or checks that an existing one is a revision minima knows. */
  private initSchema(schema: SqlSchema): void {
    this.driver.transaction(() => {
      if (schema.initLock) this.rows(schema.initLock);
      const tables = new Set(this.rows(this.sql.tablesSql).map((r) => String(r["name"])));
      if (!tables.has("alembic_version")) {
        if (tables.has("studies")) throw new StorageError({ where: this.url, what: "the database has a studies table but no alembic_version, so it is not an Optuna storage minima can read" });
        for (const ddl of schema.optunaDdl) this.rows(ddl);
        this.rows("INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, $1, $2)", [SCHEMA_VERSION, LIBRARY_VERSION]);
        this.rows("INSERT INTO alembic_version (version_num) VALUES ($1)", [ALEMBIC_HEAD]);
      } else {
        const version = this.rows("SELECT version_num FROM alembic_version").map((r) => String(r["version_num"]));
        if (version.length !== 1 || !READABLE_ALEMBIC.includes(version[0]!)) {
          throw new StorageError({
            where: this.url,
            what: "the database's Optuna schema is a revision minima does not read (upgrade an older one with `optuna storage upgrade --storage <url>`)",
            expected: `alembic revision ${READABLE_ALEMBIC.join(" or ")}`,
            got: version.length === 0 ? "no revision" : version.join(", "),
          });
        }
      }
      for (const ddl of schema.minimaDdl) this.rows(ddl);
    });
  }

  // ---- studies ----

  createNewStudy(directions: readonly Direction[], studyName: string): number {
    return this.driver.transaction(() => {
      const row = this.one("INSERT INTO studies (study_name) VALUES ($1) ON CONFLICT (study_name) DO NOTHING RETURNING study_id", [studyName]);
      if (row === undefined) throw new StudyError({ where: this.url, what: `a study named "${studyName}" already exists; load it (loadIfExists: true, or mn.tune.loadStudy) or choose another name` });
      const id = Number(row["study_id"]);
      directions.forEach((d, objective) => this.rows("INSERT INTO study_directions (direction, study_id, objective) VALUES ($1, $2, $3)", [DIRECTION_NAME[d], id, objective]));
      return id;
    });
  }

  deleteStudy(studyId: number): void {
    this.finishedCache.clear();
    this.driver.transaction(() => {
      this.lockStudy(studyId);
      const ofTrials = "trial_id IN (SELECT trial_id FROM trials WHERE study_id = $1)";
      for (const table of ["minima_leases", "trial_heartbeats", "trial_intermediate_values", "trial_values", "trial_params", "trial_system_attributes", "trial_user_attributes"]) {
        this.rows(`DELETE FROM ${table} WHERE ${ofTrials}`, [studyId]);
      }
      for (const table of ["trials", "study_system_attributes", "study_user_attributes", "study_directions", "studies"]) {
        this.rows(`DELETE FROM ${table} WHERE study_id = $1`, [studyId]);
      }
    });
  }

  getStudyIdFromName(studyName: string): number {
    const row = this.one("SELECT study_id FROM studies WHERE study_name = $1", [studyName]);
    if (row !== undefined) return Number(row["study_id"]);
    const names = this.rows("SELECT study_name FROM studies ORDER BY study_id").map((r) => `"${String(r["study_name"])}"`);
    throw new StudyError({ where: this.url, what: `no study named "${studyName}"`, expected: names.length === 0 ? "a study name (the storage has none yet)" : `one of ${names.join(", ")}` });
  }

  getAllStudies(): StudySummary[] {
    return this.driver.snapshot(() =>
      this.rows("SELECT study_id, study_name FROM studies ORDER BY study_id").map((r) => {
        const id = Number(r["study_id"]);
        return { studyId: id, studyName: String(r["study_name"]), directions: this.directions(id), userAttrs: this.studyAttrs(id, "user"), systemAttrs: this.studyAttrs(id, "system") };
      }),
    );
  }

  getStudyDirections(studyId: number): Direction[] {
    return this.driver.snapshot(() => {
      this.requireStudy(studyId);
      return this.directions(studyId);
    });
  }

  getStudyUserAttrs(studyId: number): Record<string, unknown> {
    return this.driver.snapshot(() => {
      this.requireStudy(studyId);
      return this.studyAttrs(studyId, "user");
    });
  }

  getStudySystemAttrs(studyId: number): Record<string, unknown> {
    return this.driver.snapshot(() => {
      this.requireStudy(studyId);
      return this.studyAttrs(studyId, "system");
    });
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.setStudyAttr("user", studyId, key, value);
  }

  setStudySystemAttr(studyId: number, key: string, value: unknown): void {
    this.setStudyAttr("system", studyId, key, value);
  }

  private setStudyAttr(kind: "user" | "system", studyId: number, key: string, value: unknown): void {
    this.driver.transaction(() => {
      this.requireStudy(studyId);
      this.rows(`INSERT INTO study_${kind}_attributes (study_id, "key", value_json) VALUES ($1, $2, $3) ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json`, [studyId, key, pythonJsonDumps(value)]);
    });
  }

  private requireStudy(studyId: number): void {
    if (this.one("SELECT study_id FROM studies WHERE study_id = $1", [studyId]) === undefined) throw new StudyError({ where: this.url, what: `no study with id ${studyId}` });
  }

  /** Locks the study row: trial numbers and parameter distributions are decided under it, as in Optuna. */
  private lockStudy(studyId: number): void {
    if (this.one(`SELECT study_id FROM studies WHERE study_id = $1${this.sql.lockStudy}`, [studyId]) === undefined) throw new StudyError({ where: this.url, what: `no study with id ${studyId}` });
  }

  private directions(studyId: number): Direction[] {
    return this.rows("SELECT direction FROM study_directions WHERE study_id = $1 ORDER BY objective", [studyId]).map((r) => {
      if (r["direction"] === "MINIMIZE") return "minimize";
      if (r["direction"] === "MAXIMIZE") return "maximize";
      throw new StorageError({ where: this.url, what: `study ${studyId} has a direction minima does not know`, expected: "MINIMIZE or MAXIMIZE", got: JSON.stringify(r["direction"]) });
    });
  }

  private studyAttrs(studyId: number, kind: "user" | "system"): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.rows(`SELECT "key", value_json FROM study_${kind}_attributes WHERE study_id = $1 ORDER BY study_${kind}_attribute_id`, [studyId])) {
      out[String(r["key"])] = pythonJsonLoads(String(r["value_json"]), `${this.url}, study ${studyId}'s ${kind} attr "${String(r["key"])}"`);
    }
    return out;
  }

  // ---- trials ----

  startNewTrial(studyId: number, workerId: string): Lease {
    return this.driver.transaction(() => {
      const { trialId } = this.insertTrial(studyId, "RUNNING", new Date(), null);
      return this.grantLease(trialId, workerId);
    });
  }

  createTrial(studyId: number, template: TrialTemplate): number {
    return this.driver.transaction(() => this.insertTemplate(studyId, template));
  }

  private insertTemplate(studyId: number, template: TrialTemplate): number {
    const { trialId } = this.insertTrial(studyId, template.state, template.datetimeStart ?? null, template.datetimeComplete ?? null);
    if (template.value !== undefined && template.value !== null) this.writeValue(trialId, template.value);
    for (const [name, internal] of Object.entries(template.params ?? {})) {
      const distribution = template.distributions?.[name];
      if (distribution === undefined) throw new StudyError({ where: this.url, what: `the trial template's parameter "${name}" has no distribution` });
      this.writeParam(studyId, trialId, name, internal, distribution);
    }
    for (const [k, v] of Object.entries(template.userAttrs ?? {})) this.writeTrialAttr("user", trialId, k, v);
    for (const [k, v] of Object.entries(template.systemAttrs ?? {})) this.writeTrialAttr("system", trialId, k, v);
    for (const [step, v] of template.intermediateValues ?? []) this.writeIntermediate(trialId, step, v);
    if (template.state === "RUNNING") this.grantLease(trialId, this.ownId);
    return trialId;
  }

  /** Inserts a trial and numbers it under the study-row lock: number = how many of the study's trials came before. */
  private insertTrial(studyId: number, state: TrialState, start: Date | null, complete: Date | null): { trialId: number; number: number } {
    this.lockStudy(studyId);
    const row = this.one("INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (NULL, $1, $2, $3, $4) RETURNING trial_id", [studyId, state, start && sqlDate(start), complete && sqlDate(complete)]);
    const trialId = Number(row!["trial_id"]);
    const numbered = this.one("UPDATE trials SET number = (SELECT count(*) FROM trials WHERE study_id = $1 AND trial_id < $2) WHERE trial_id = $2 RETURNING number", [studyId, trialId]);
    return { trialId, number: Number(numbered!["number"]) };
  }

  /**
   * Gives the trial to the worker under the next epoch, with a first heartbeat when heartbeats are on.
   * A trial that beat before (a paused one claimed again) beats now in any case, or a reaper elsewhere
   * would fail it at once for its heartbeat from before the pause.
   */
  private grantLease(trialId: number, workerId: string): Lease {
    const row = this.one("INSERT INTO minima_leases (trial_id, worker_id, epoch) VALUES ($1, $2, 1) ON CONFLICT (trial_id) DO UPDATE SET worker_id = excluded.worker_id, epoch = minima_leases.epoch + 1 RETURNING epoch", [trialId, workerId]);
    if (this.heartbeat !== null) this.beat(trialId);
    else this.rows(`UPDATE trial_heartbeats SET heartbeat = ${this.sql.now} WHERE trial_id = $1`, [trialId]);
    return { trialId, workerId, epoch: Number(row!["epoch"]) };
  }

  private beat(trialId: number): void {
    this.rows(`INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES ($1, ${this.sql.now}) ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat`, [trialId]);
  }

  claimWaitingTrial(studyId: number, workerId: string): Lease | null {
    return this.driver.transaction(() => {
      for (;;) {
        const row = this.one(`SELECT t.trial_id FROM trials t WHERE t.study_id = $1 AND t.state = 'WAITING' ORDER BY t.trial_id LIMIT 1${this.sql.lockTrialsSkipLocked}`, [studyId]);
        if (row === undefined) return null;
        const trialId = Number(row["trial_id"]);
        const claimed = this.rows("UPDATE trials SET state = 'RUNNING', datetime_start = $2 WHERE trial_id = $1 AND state = 'WAITING' RETURNING trial_id", [trialId, sqlDate(new Date())]);
        if (claimed.length === 1) return this.grantLease(trialId, workerId);
      }
    });
  }

  /**
   * Refuses the write unless the lease is current: the trial is RUNNING, held by this worker under
   * this epoch. Run inside the write's transaction (PostgreSQL: with the trial row locked), so no
   * claim or reap can slip between the check and the write.
   */
  private checkLease(lease: Lease): { studyId: number } {
    const t = this.one(`SELECT t.number, t.study_id, t.state FROM trials t WHERE t.trial_id = $1${this.sql.lockTrials}`, [lease.trialId]);
    if (t === undefined) throw new StudyError({ where: this.url, what: `no trial with id ${lease.trialId}` });
    const l = this.one("SELECT worker_id, epoch FROM minima_leases WHERE trial_id = $1", [lease.trialId]);
    const state = t["state"] as TrialState;
    if (state === "RUNNING" && l !== undefined && l["worker_id"] === lease.workerId && Number(l["epoch"]) === lease.epoch) return { studyId: Number(t["study_id"]) };
    const why = isFinished(state) ? `it already finished as ${state}` : state === "WAITING" ? "it was paused and waits to be claimed again" : "another worker claimed it";
    throw new LeaseLostError({ where: this.url, what: `trial ${Number(t["number"])} is no longer this worker's: ${why}; the write was refused` });
  }

  setTrialParam(lease: Lease, name: string, internal: number, distribution: Distribution): void {
    this.driver.transaction(() => {
      const { studyId } = this.checkLease(lease);
      this.lockStudy(studyId);
      this.writeParam(studyId, lease.trialId, name, internal, distribution);
    });
  }

  /** Writes a parameter after checking its distribution against the study's earlier use of the name (Optuna's _check_and_set_param_distribution). */
  private writeParam(studyId: number, trialId: number, name: string, internal: number, distribution: Distribution): void {
    const before = this.one("SELECT p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = $1 AND p.param_name = $2 LIMIT 1", [studyId, name]);
    if (before !== undefined) {
      const studyName = String(this.one("SELECT study_name FROM studies WHERE study_id = $1", [studyId])!["study_name"]);
      checkCompatible(name, studyName, jsonToDistribution(String(before["distribution_json"]), this.url), distribution);
    }
    this.rows("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES ($1, $2, $3, $4) ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json", [trialId, name, internal, distributionToJson(distribution)]);
  }

  setTrialIntermediateValue(lease: Lease, step: number, value: number): void {
    this.driver.transaction(() => {
      this.checkLease(lease);
      this.writeIntermediate(lease.trialId, step, value);
    });
  }

  private writeIntermediate(trialId: number, step: number, value: number): void {
    const [stored, type] = storedIntermediate(value);
    this.rows("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES ($1, $2, $3, $4) ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type", [trialId, step, stored, type]);
  }

  private writeValue(trialId: number, value: number): void {
    const [stored, type] = storedValue(value, this.url);
    this.rows("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES ($1, 0, $2, $3) ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type", [trialId, stored, type]);
  }

  setTrialUserAttr(lease: Lease, key: string, value: unknown): void {
    this.driver.transaction(() => {
      this.checkLease(lease);
      this.writeTrialAttr("user", lease.trialId, key, value);
    });
  }

  setTrialSystemAttr(lease: Lease, key: string, value: unknown): void {
    this.driver.transaction(() => {
      this.checkLease(lease);
      this.writeTrialAttr("system", lease.trialId, key, value);
    });
  }

  private writeTrialAttr(kind: "user" | "system", trialId: number, key: string, value: unknown): void {
    this.rows(`INSERT INTO trial_${kind}_attributes (trial_id, "key", value_json) VALUES ($1, $2, $3) ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json`, [trialId, key, pythonJsonDumps(value)]);
  }

  setTrialStateValue(lease: Lease, state: TrialState, value: number | null = null): void {
    if (state === "RUNNING") throw new StudyError({ where: this.url, what: "a trial is set RUNNING by starting or claiming it", expected: "COMPLETE, PRUNED, FAIL or WAITING", got: state });
    this.driver.transaction(() => {
      this.checkLease(lease);
      if (value !== null) this.writeValue(lease.trialId, value);
      if (isFinished(state)) this.rows("UPDATE trials SET state = $2, datetime_complete = $3 WHERE trial_id = $1", [lease.trialId, state, sqlDate(new Date())]);
      else this.rows("UPDATE trials SET state = $2 WHERE trial_id = $1", [lease.trialId, state]);
    });
  }

  recordHeartbeat(lease: Lease): boolean {
    return this.driver.transaction(() => {
      try {
        this.checkLease(lease);
      } catch (e) {
        if (e instanceof LeaseLostError) return false;
        throw e;
      }
      this.beat(lease.trialId);
      return true;
    });
  }

  /**
   * Marks FAIL each RUNNING trial of the study whose heartbeat is older than the grace period by the
   * database clock, and writes its WAITING retry in the same transaction, so a reaped trial is never
   * left without its retry. Idempotent: a trial another reaper (or its owner) finished first is skipped.
   */
  failStaleTrials(studyId: number): ReapResult {
    const policy = this.heartbeat;
    if (policy === null) return { failed: [], retried: [] };
    return this.driver.transaction(() => {
      const failed: number[] = [];
      const retried: number[] = [];
      const stale = this.rows(`SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.study_id = $1 AND t.state = 'RUNNING' AND ${this.sql.olderThan("$2")} ORDER BY t.trial_id${this.sql.lockTrialsSkipLocked}`, [studyId, policy.grace]);
      for (const r of stale) {
        const trialId = Number(r["trial_id"]);
        const done = this.rows("UPDATE trials SET state = 'FAIL', datetime_complete = $2 WHERE trial_id = $1 AND state = 'RUNNING' RETURNING number", [trialId, sqlDate(new Date())]);
        if (done.length === 0) continue;
        const dead = this.loadTrials("t.trial_id = $1", [trialId])[0]!;
        failed.push(dead.number);
        const retry = retryTemplate(dead, policy.maxRetry);
        if (retry !== null) {
          const id = this.insertTemplate(studyId, retry);
          retried.push(Number(this.one("SELECT number FROM trials WHERE trial_id = $1", [id])!["number"]));
        }
      }
      return { failed, retried };
    });
  }

  getTrial(trialId: number): FrozenTrial {
    const trial = this.driver.snapshot(() => this.loadTrials("t.trial_id = $1", [trialId])[0]);
    if (trial === undefined) throw new StudyError({ where: this.url, what: `no trial with id ${trialId}` });
    return trial;
  }

  getAllTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    return this.driver.snapshot(() => {
      this.requireStudy(studyId);
      const heads = this.rows("SELECT t.trial_id, t.state, t.datetime_start, t.datetime_complete FROM trials t WHERE t.study_id = $1 ORDER BY t.trial_id", [studyId]);
      const wanted = states === undefined ? heads : heads.filter((h) => states.includes(h["state"] as TrialState));
      const cached = (h: Row) => {
        const c = this.finishedCache.get(Number(h["trial_id"]));
        // A trial id SQLite reused after a study was deleted has other datetimes: never serve the old trial for it.
        return c !== undefined && c.head === headKey(h) ? c.trial : undefined;
      };
      const missing = wanted.filter((h) => cached(h) === undefined).map((h) => Number(h["trial_id"]));
      const loaded = new Map<number, FrozenTrial>();
      if (missing.length > heads.length / 4) {
        // Most of the study is new to this process: one pass over the whole study is quicker than id lists.
        for (const t of this.loadTrials("t.study_id = $1", [studyId])) loaded.set(t.trialId, t);
      } else {
        const chunk = 500;
        for (let i = 0; i < missing.length; i += chunk) {
          const ids = missing.slice(i, i + chunk);
          for (const t of this.loadTrials(`t.study_id = $1 AND t.trial_id IN (${ids.map((_, k) => `$${k + 2}`).join(", ")})`, [studyId, ...ids])) loaded.set(t.trialId, t);
        }
      }
      for (const h of wanted) {
        const t = loaded.get(Number(h["trial_id"]));
        if (t !== undefined && isFinished(t.state)) this.finishedCache.set(t.trialId, { head: headKey(h), trial: t });
      }
      return wanted.map((h) => cached(h) ?? loaded.get(Number(h["trial_id"]))).filter((t): t is FrozenTrial => t !== undefined);
    });
  }

  /** The trials matching a condition on trials t, whole, ordered by trial id (six queries, not one per trial). */
  private loadTrials(where: string, params: readonly unknown[]): FrozenTrial[] {
    const rows = this.rows(`SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete FROM trials t WHERE ${where} ORDER BY t.trial_id`, params);
    const byId = new Map<number, { row: Row; value: number | null; params: Record<string, ParamValue>; distributions: Record<string, Distribution>; intermediate: Map<number, number>; user: Record<string, unknown>; system: Record<string, unknown> }>();
    for (const row of rows) {
      const state = row["state"] as TrialState;
      if (!TRIAL_STATES.includes(state)) throw new StorageError({ where: this.url, what: `trial ${String(row["trial_id"])} has an unknown state`, expected: TRIAL_STATES.join(", "), got: JSON.stringify(row["state"]) });
      byId.set(Number(row["trial_id"]), { row, value: null, params: {}, distributions: {}, intermediate: new Map(), user: {}, system: {} });
    }
    if (byId.size === 0) return [];
    const children = (sql: string) => this.rows(sql.replace("$WHERE", () => where), params).map((r) => [byId.get(Number(r["trial_id"]))!, r] as const);
    for (const [t, r] of children("SELECT p.trial_id, p.param_name, p.param_value, p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE $WHERE ORDER BY p.param_id")) {
      const name = String(r["param_name"]);
      const d = jsonToDistribution(String(r["distribution_json"]), this.url);
      t.distributions[name] = d;
      t.params[name] = toExternal(d, Number(r["param_value"]));
    }
    for (const [t, r] of children("SELECT v.trial_id, v.value, v.value_type FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id WHERE $WHERE AND v.objective = 0")) {
      t.value = valueFromStored(r["value"], r["value_type"], this.url);
    }
    for (const [t, r] of children("SELECT v.trial_id, v.step, v.intermediate_value, v.intermediate_value_type FROM trial_intermediate_values v JOIN trials t ON t.trial_id = v.trial_id WHERE $WHERE ORDER BY v.step")) {
      t.intermediate.set(Number(r["step"]), valueFromStored(r["intermediate_value"], r["intermediate_value_type"], this.url));
    }
    for (const kind of ["user", "system"] as const) {
      for (const [t, r] of children(`SELECT a.trial_id, a."key", a.value_json FROM trial_${kind}_attributes a JOIN trials t ON t.trial_id = a.trial_id WHERE $WHERE ORDER BY a.trial_${kind}_attribute_id`)) {
        (kind === "user" ? t.user : t.system)[String(r["key"])] = pythonJsonLoads(String(r["value_json"]), `${this.url}, trial ${String(t.row["number"])}'s ${kind} attr "${String(r["key"])}"`);
      }
    }
    return [...byId.values()].map((t) =>
      Object.freeze({
        trialId: Number(t.row["trial_id"]),
        number: Number(t.row["number"]),
        state: t.row["state"] as TrialState,
        value: t.value,
        datetimeStart: parseSqlDate(t.row["datetime_start"]),
        datetimeComplete: parseSqlDate(t.row["datetime_complete"]),
        params: Object.freeze(t.params),
        distributions: Object.freeze(t.distributions),
        intermediateValues: t.intermediate,
        userAttrs: Object.freeze(t.user),
        systemAttrs: Object.freeze(t.system),
      }),
    );
  }

  close(): void {
    this.driver.close();
  }
}
