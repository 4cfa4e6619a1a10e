// mn.tune in the Node entry: the core, plus storages named by URL (journal files, SQLite, PostgreSQL).
import { OptionError } from "../errors.js";
import { createStudy as createStudyCore, loadStudy as loadStudyCore, type CreateStudyOptions, type LoadStudyOptions, type Study } from "./study.js";
import type { Storage } from "./storage.js";
import { openStorage } from "./node/open-storage.js";

export * from "./index.js";
export { openStorage, type OpenStorageOptions } from "./node/open-storage.js";
export type { SqlDriver } from "./sql/driver.js";
export { SqlStorage, type SqlStorageOptions } from "./sql/sql-storage.js";
export type { SqlSchema } from "./sql/schema.js";

function resolve(storage: Storage | string | undefined, where: string): Storage | undefined {
  if (storage === undefined || typeof storage === "object") return storage;
  if (typeof storage === "string" && storage !== "") return openStorage(storage);
  throw new OptionError({ where, what: "storage must be a Storage or a URL", expected: "a journal path, sqlite:///…, postgresql://… or \"memory\"", got: JSON.stringify(storage) });
}

/** createStudy, with storage also given as a URL or journal path. */
export function createStudy(options: Omit<CreateStudyOptions, "storage"> & { storage?: Storage | string } = {}): Study {
  const storage = resolve(options.storage, "mn.tune.createStudy");
  return createStudyCore({ ...options, ...(storage ? { storage } : {}) } as CreateStudyOptions);
}

/** loadStudy, with storage also given as a URL or journal path. */
export function loadStudy(options: Omit<LoadStudyOptions, "storage"> & { storage: Storage | string }): Study {
  return loadStudyCore({ ...options, storage: resolve(options.storage, "mn.tune.loadStudy")! });
}
