import { InMemoryStorage } from "../in-memory-storage.js";
import type { HeartbeatPolicy, Storage } from "../storage.js";
import { openJournalFile } from "./journal-file.js";
import { openPostgres } from "./postgres-storage.js";
import { openSqlite } from "./sqlite-storage.js";

export interface OpenStorageOptions {
  /** Heartbeats and reaping of stale trials (the CLI's workers turn them on). Default off, as in Optuna. */
  heartbeat?: HeartbeatPolicy | null;
}

/**
 * A storage from its URL, as Optuna names them: "memory", sqlite:///path.db, postgresql://user@host/db,
 * or any other string: the path of an Optuna journal file (the default, needing nothing installed).
 */
export function openStorage(url: string, options: OpenStorageOptions = {}): Storage {
  if (url === "memory") return new InMemoryStorage(options);
  if (url.startsWith("sqlite:")) return openSqlite(url, options);
  if (/^postgres(ql)?(\+\w+)?:/.test(url)) return openPostgres(url, options);
  return openJournalFile(url, options);
}
