import { StorageError } from "../../errors.js";
import type { Storage } from "../storage.js";
import type { OpenStorageOptions } from "./open-storage.js";

/** postgresql://… in Optuna's RDB schema. Being built (issue 13, part postgres). */
export function openPostgres(url: string, _options: OpenStorageOptions): Storage {
  throw new StorageError({ where: url, what: "PostgreSQL storage is not built yet" });
}
