import type { SqlSchema } from "./schema.js";

/** CREATE TABLE as SQLAlchemy renders it for SQLite (a tab before each column, ", " between them), so the DDL text equals Optuna's. */
function table(name: string, ...lines: string[]): string {
  return `CREATE TABLE ${name} (\n\t${lines.join(", \n\t")}\n)`;
}

function attributes(owner: "study" | "trial", kind: "user" | "system"): string {
  const parent = owner === "study" ? "studies (study_id)" : "trials (trial_id)";
  return table(`${owner}_${kind}_attributes`, `${owner}_${kind}_attribute_id INTEGER NOT NULL`, `${owner}_id INTEGER`, `"key" VARCHAR(512)`, "value_json TEXT", `PRIMARY KEY (${owner}_${kind}_attribute_id)`, `UNIQUE (${owner}_id, "key")`, `FOREIGN KEY(${owner}_id) REFERENCES ${parent}`);
}

/**
 * Optuna's SQLite schema at alembic v3.2.0.a, text for text (test/tune/fixtures/optuna-sqlite-schema-v3.2.0.a.sql,
 * made by tools/optuna-sqlite-schema.py from Optuna's models), plus minima_leases: who holds each
 * trial and under which epoch, checked by every write (fencing).
 */
export const SQLITE_SCHEMA: SqlSchema = {
  optunaDdl: [
    table("studies", "study_id INTEGER NOT NULL", "study_name VARCHAR(512) NOT NULL", "PRIMARY KEY (study_id)"),
    "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
    table("version_info", "version_info_id INTEGER NOT NULL", "schema_version INTEGER", "library_version VARCHAR(256)", "PRIMARY KEY (version_info_id)", "CHECK (version_info_id=1)"),
    table("study_directions", "study_direction_id INTEGER NOT NULL", "direction VARCHAR(8) NOT NULL", "study_id INTEGER NOT NULL", "objective INTEGER NOT NULL", "PRIMARY KEY (study_direction_id)", "UNIQUE (study_id, objective)", "FOREIGN KEY(study_id) REFERENCES studies (study_id)"),
    attributes("study", "user"),
    attributes("study", "system"),
    table("trials", "trial_id INTEGER NOT NULL", "number INTEGER", "study_id INTEGER", "state VARCHAR(8) NOT NULL", "datetime_start DATETIME", "datetime_complete DATETIME", "PRIMARY KEY (trial_id)", "FOREIGN KEY(study_id) REFERENCES studies (study_id)"),
    "CREATE INDEX ix_trials_study_id ON trials (study_id)",
    attributes("trial", "user"),
    attributes("trial", "system"),
    table("trial_params", "param_id INTEGER NOT NULL", "trial_id INTEGER", "param_name VARCHAR(512)", "param_value FLOAT", "distribution_json TEXT", "PRIMARY KEY (param_id)", "UNIQUE (trial_id, param_name)", "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)"),
    table("trial_values", "trial_value_id INTEGER NOT NULL", "trial_id INTEGER NOT NULL", "objective INTEGER NOT NULL", "value FLOAT", "value_type VARCHAR(7) NOT NULL", "PRIMARY KEY (trial_value_id)", "UNIQUE (trial_id, objective)", "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)"),
    table("trial_intermediate_values", "trial_intermediate_value_id INTEGER NOT NULL", "trial_id INTEGER NOT NULL", "step INTEGER NOT NULL", "intermediate_value FLOAT", "intermediate_value_type VARCHAR(7) NOT NULL", "PRIMARY KEY (trial_intermediate_value_id)", "UNIQUE (trial_id, step)", "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)"),
    table("trial_heartbeats", "trial_heartbeat_id INTEGER NOT NULL", "trial_id INTEGER NOT NULL", "heartbeat DATETIME NOT NULL", "PRIMARY KEY (trial_heartbeat_id)", "UNIQUE (trial_id)", "FOREIGN KEY(trial_id) REFERENCES trials (trial_id)"),
    table("alembic_version", "version_num VARCHAR(32) NOT NULL", "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)"),
  ],
  minimaDdl: [
    "CREATE TABLE IF NOT EXISTS minima_leases (trial_id INTEGER NOT NULL PRIMARY KEY REFERENCES trials (trial_id), worker_id VARCHAR(512) NOT NULL, epoch INTEGER NOT NULL)",
  ],
};
