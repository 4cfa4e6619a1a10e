/**
 * Optuna's RDB schema as minima writes and reads it (storages/_rdb/models.py): one SqlSchema per
 * dialect holds the DDL; SqlStorage creates it in a new database and checks the version of an old one.
 */
export interface SqlSchema {
  /** Optuna's tables and indexes, in the order Optuna's SQLAlchemy models create them. */
  readonly optunaDdl: readonly string[];
  /** minima's own tables (prefixed minima_, which Optuna ignores), created when absent. */
  readonly minimaDdl: readonly string[];
  /**
   * A statement run first in the transaction that creates or checks the schema, so two processes
   * opening a new database at once do not both create it (PostgreSQL: an advisory lock). SQLite needs
   * none: BEGIN IMMEDIATE already serializes them.
   */
  readonly initLock?: string;
}

/** version_info.schema_version of Optuna ≥ 3.0 (models.SCHEMA_VERSION). */
export const SCHEMA_VERSION = 12;
/** The alembic revision minima creates: Optuna 3.2's, still the head of Optuna 5. */
export const ALEMBIC_HEAD = "v3.2.0.a";
/**
 * The revisions minima reads and writes: v3.0.0.d (Optuna 3.0 and 3.1, Debian's) differs from v3.2.0.a
 * by one index only, so minima works on such a database without upgrading it (an upgrade would lock
 * Optuna 3.1 out: it refuses a schema newer than its own).
 */
export const READABLE_ALEMBIC: readonly string[] = ["v3.0.0.d", ALEMBIC_HEAD];
/**
 * version_info.library_version: Optuna writes its own version there and only quotes it in its schema
 * error message; minima writes the Optuna version whose schema it creates.
 */
export const LIBRARY_VERSION = "3.2.0";
