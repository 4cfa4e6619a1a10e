import { StorageError } from "../../errors.js";
import type { Storage } from "../storage.js";
import type { OpenStorageOptions } from "./open-storage.js";

/** sqlite:///path.db in Optuna's RDB schema. Being built (issue 13, part sqlite). */
export function openSqlite(url: string, _options: OpenStorageOptions): Storage {
  throw new StorageError({ where: url, what: "SQLite storage is not built yet" });
}
