import { POSTGRES_SCHEMA } from "../sql/schema-postgres.js";
import { SqlStorage } from "../sql/sql-storage.js";
import type { Storage } from "../storage.js";
import type { OpenStorageOptions } from "./open-storage.js";
import { PostgresDriver, type PostgresDriverOptions } from "./postgres-driver.js";

/**
 * postgresql://user:password@host:port/database (also postgres://, postgresql+psycopg2://) in Optuna's
 * RDB schema: created in an empty database, read as Optuna 3.0–5 left it (alembic v3.0.0.d or v3.2.0.a).
 */
export function openPostgres(url: string, options: OpenStorageOptions, driverOptions: PostgresDriverOptions = {}): Storage {
  const driver = new PostgresDriver(url, driverOptions);
  try {
    return new SqlStorage(driver, { schema: POSTGRES_SCHEMA, heartbeat: options.heartbeat ?? null });
  } catch (e) {
    driver.close();
    throw e;
  }
}
