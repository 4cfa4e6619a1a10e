import pg from "pg";
import { StorageError } from "../../errors.js";

/** What the driver needs from a postgresql:// URL: pg's connection string, and names for messages. */
export interface PostgresTarget {
  /** The URL pg connects with: SQLAlchemy's "+driver" suffix (postgresql+psycopg2://) dropped. */
  readonly connectionString: string;
  /** The URL as given, without its password: what storage.url and every message show. */
  readonly redacted: string;
  /** "host:port" (host is a socket folder for ?host=/run/postgresql), the server messages name. */
  readonly server: string;
}

/**
 * Reads a storage URL in Optuna's (SQLAlchemy's) spelling: postgresql://user:password@host:port/db,
 * postgres://…, postgresql+psycopg2://…, with libpq's query parameters (host=/run/postgresql, sslmode…).
 * pg's own parser reads it (a Client is only configured here, never connected), so the driver
 * connects to exactly the server that messages name.
 */
export function postgresTarget(url: string): PostgresTarget {
  const redacted = url.replace(/^([^:/]+:\/\/[^:@/]*):[^@/]*@/, "$1@");
  const connectionString = url.replace(/^postgres(?:ql)?(?:\+\w+)?:/, "postgresql:");
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString });
  } catch (e) {
    throw new StorageError({ where: redacted, what: `not a PostgreSQL URL (${(e as Error).message})`, expected: "postgresql://user:password@host:port/database" });
  }
  const host = client.host.includes(":") ? `[${client.host}]` : client.host;
  return { connectionString, redacted, server: `${host}:${client.port}` };
}
