import { StorageError } from "../../errors.js";
import type { Storage } from "../storage.js";
import type { OpenStorageOptions } from "./open-storage.js";

/** An Optuna journal file (the default storage). Being built (issue 13, part journal-file). */
export function openJournalFile(path: string, _options: OpenStorageOptions): Storage {
  throw new StorageError({ where: path, what: "journal files are not built yet" });
}
