import { JournalStorage } from "../journal/journal-storage.js";
import type { Storage } from "../storage.js";
import { JournalFileBackend } from "./journal/file-backend.js";
import type { OpenStorageOptions } from "./open-storage.js";

/**
 * An Optuna journal file (the default storage): Optuna 3.1 and later read and write the same file.
 * With a heartbeat policy, heartbeats live in the sidecar folder `<path>.heartbeats/`.
 * @example const storage = openJournalFile("runs/search/journal.log", {});
 */
export function openJournalFile(path: string, options: OpenStorageOptions): Storage {
  const heartbeat = options.heartbeat ?? null;
  return new JournalStorage(new JournalFileBackend(path, { heartbeats: heartbeat !== null }), { heartbeat });
}
