import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PostgresDriver } from "../../src/tune/node/postgres-driver.js";
import { openPostgres } from "../../src/tune/node/postgres-storage.js";
import type { SqlDriver } from "../../src/tune/sql/driver.js";
import { POSTGRES_SCHEMA } from "../../src/tune/sql/schema-postgres.js";
import { tempDatabase } from "../helpers/postgres.js";
import { repoRoot } from "../helpers/repo-root.js";

const PYTHON = "/usr/bin/python3";

/** Debian's python3-optuna (3.1) with psycopg2, or the test skipped loudly (failed under MINIMA_REQUIRE_OPTUNA=1). */
function hasOptuna(t: TestContext): boolean {
  const probe = spawnSync(PYTHON, ["-c", "import optuna, psycopg2"], { encoding: "utf8" });
  if (probe.status === 0) return true;
  const why = `Optuna 3.1 with psycopg2 is not importable by ${PYTHON} (${(probe.stderr || probe.error?.message || "").trim().split("\n").pop()})`;
  assert.notEqual(process.env["MINIMA_REQUIRE_OPTUNA"], "1", `${why}, and MINIMA_REQUIRE_OPTUNA=1 requires it`);
  process.stderr.write(`\nSKIPPED ${t.name}: ${why}\n`);
  t.skip(why);
  return false;
}

/**
 * A database's schema as PostgreSQL's catalog holds it, one sorted line per enum type, column,
 * constraint and index: two databases with equal lines have the same tables, types, defaults,
 * keys and indexes, whatever DDL text made them.
 */
function catalog(db: SqlDriver): string[] {
  const lines = (sql: string) => db.query(sql).map((r) => Object.values(r).map(String).join(" | "));
  return [
    ...lines("SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname"),
    ...lines("SELECT 'column', table_name, ordinal_position, column_name, udt_name, character_maximum_length, numeric_precision, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema()"),
    ...lines("SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"),
    ...lines("SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"),
  ].sort();
}

describe("Optuna's RDB schema in PostgreSQL (schema version 12, alembic v3.2.0.a)", () => {
  test("minima's DDL equals, statement for statement, what SQLAlchemy compiles from Optuna's models for PostgreSQL (tools/optuna-postgres-ddl.py: Optuna 3.1 + v3.2.0.a's index)", (t) => {
    if (!hasOptuna(t)) return;
    const r = spawnSync(PYTHON, [join(repoRoot(), "tools", "optuna-postgres-ddl.py")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(POSTGRES_SCHEMA.optunaDdl, JSON.parse(r.stdout));
  });

  test("on a server, the catalog of the schema minima creates equals the one Optuna 3.1 creates, plus v3.2.0.a's ix_trials_study_id and minima_leases; stamped v3.2.0.a, version 12", (t) => {
    if (!hasOptuna(t)) return;
    const ours = tempDatabase(t);
    const optunas = tempDatabase(t);
    if (ours === null || optunas === null) return;
    const made = spawnSync(PYTHON, ["-c", "import sys, optuna; optuna.storages.RDBStorage(sys.argv[1])", optunas], { encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    const a = new PostgresDriver(optunas);
    const b = new PostgresDriver(ours);
    t.after(() => { a.close(); b.close(); });
    openPostgres(ours, {}).close(); // SqlStorage creates the schema in the empty database
    const expected = [...catalog(a), "index | trials | ix_trials_study_id | CREATE INDEX ix_trials_study_id ON public.trials USING btree (study_id)"].sort();
    const got = catalog(b);
    assert.deepEqual(got.filter((line) => !line.includes("minima_leases")), expected);
    assert.deepEqual(got.filter((line) => line.includes("minima_leases")), [
      "column | minima_leases | 1 | trial_id | int4 | null | 32 | NO | null",
      "column | minima_leases | 2 | worker_id | varchar | 512 | null | NO | null",
      "column | minima_leases | 3 | epoch | int4 | null | 32 | NO | null",
      "constraint | minima_leases | minima_leases_pkey | PRIMARY KEY (trial_id)",
      "constraint | minima_leases | minima_leases_trial_id_fkey | FOREIGN KEY (trial_id) REFERENCES trials(trial_id)",
      "index | minima_leases | minima_leases_pkey | CREATE UNIQUE INDEX minima_leases_pkey ON public.minima_leases USING btree (trial_id)",
    ]);
    assert.deepEqual(a.query("SELECT schema_version FROM version_info"), [{ schema_version: 12 }], "Optuna 3.1 writes schema version 12 too");
    assert.deepEqual(b.query("SELECT version_info_id, schema_version, library_version FROM version_info"), [{ version_info_id: 1, schema_version: 12, library_version: "3.2.0" }]);
    assert.deepEqual(b.query("SELECT version_num FROM alembic_version"), [{ version_num: "v3.2.0.a" }]);
  });
});
