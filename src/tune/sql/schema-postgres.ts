import type { SqlSchema } from "./schema.js";

/**
 * Optuna's RDB schema (schema version 12, alembic head v3.2.0.a) in PostgreSQL's dialect, statement
 * for statement as SQLAlchemy creates it for Optuna: the enums are native types named after their
 * Python classes, Float(precision=53) is FLOAT(53) (double precision), DateTime is a timestamp
 * without time zone, the ids are SERIAL. v3.2.0.a only adds the index ix_trials_study_id to 3.1's
 * v3.0.0.d, so Debian's Optuna 3.1 reads such a database with skip_compatibility_check=True (its
 * stamp check refuses any revision but its own head, as for a database Optuna 3.2 made).
 * test/tune/postgres-schema.test.ts compares it with what SQLAlchemy compiles from Optuna's models.
 */
const OPTUNA_DDL: readonly string[] = [
  "CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')",
  "CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')",
  "CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')",
  "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')",
  "CREATE TABLE studies (study_id SERIAL NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY (study_id))",
  "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
  "CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version VARCHAR(256), PRIMARY KEY (version_info_id), CHECK (version_info_id=1))",
  "CREATE TABLE study_directions (study_direction_id SERIAL NOT NULL, direction studydirection NOT NULL, study_id INTEGER NOT NULL, objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id), UNIQUE (study_id, objective), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
  "CREATE TABLE study_user_attributes (study_user_attribute_id SERIAL NOT NULL, study_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (study_user_attribute_id), UNIQUE (study_id, key), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
  "CREATE TABLE study_system_attributes (study_system_attribute_id SERIAL NOT NULL, study_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (study_system_attribute_id), UNIQUE (study_id, key), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
  "CREATE TABLE trials (trial_id SERIAL NOT NULL, number INTEGER, study_id INTEGER, state trialstate NOT NULL, datetime_start TIMESTAMP WITHOUT TIME ZONE, datetime_complete TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (trial_id), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
  "CREATE INDEX ix_trials_study_id ON trials (study_id)",
  "CREATE TABLE trial_user_attributes (trial_user_attribute_id SERIAL NOT NULL, trial_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_user_attribute_id), UNIQUE (trial_id, key), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
  "CREATE TABLE trial_system_attributes (trial_system_attribute_id SERIAL NOT NULL, trial_id INTEGER, key VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_system_attribute_id), UNIQUE (trial_id, key), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
  "CREATE TABLE trial_params (param_id SERIAL NOT NULL, trial_id INTEGER, param_name VARCHAR(512), param_value FLOAT(53), distribution_json TEXT, PRIMARY KEY (param_id), UNIQUE (trial_id, param_name), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
  "CREATE TABLE trial_values (trial_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, objective INTEGER NOT NULL, value FLOAT(53), value_type trialvaluetype NOT NULL, PRIMARY KEY (trial_value_id), UNIQUE (trial_id, objective), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
  "CREATE TABLE trial_intermediate_values (trial_intermediate_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, step INTEGER NOT NULL, intermediate_value FLOAT(53), intermediate_value_type trialintermediatevaluetype NOT NULL, PRIMARY KEY (trial_intermediate_value_id), UNIQUE (trial_id, step), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
  "CREATE TABLE trial_heartbeats (trial_heartbeat_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, heartbeat TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
  // Alembic's own table, as alembic creates it when it stamps a database.
  "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
];

/**
 * The PostgreSQL schema SqlStorage creates in an empty database: Optuna's, then minima's own tables
 * (prefixed minima_, which Optuna ignores): minima_leases holds who claimed each trial under which
 * epoch, checked by every write. initLock serializes the processes that open a new database at once
 * (a transaction-scoped advisory lock; its key is arbitrary, the same for every minima process).
 */
export const POSTGRES_SCHEMA: SqlSchema = {
  optunaDdl: OPTUNA_DDL,
  minimaDdl: [
    "CREATE TABLE IF NOT EXISTS minima_leases (trial_id INTEGER NOT NULL PRIMARY KEY REFERENCES trials (trial_id), worker_id VARCHAR(512) NOT NULL, epoch INTEGER NOT NULL)",
  ],
  initLock: "SELECT pg_advisory_xact_lock(2013041913)",
};
