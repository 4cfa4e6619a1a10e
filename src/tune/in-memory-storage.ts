import { JournalStorage, type JournalStorageOptions } from "./journal/journal-storage.js";
import { MemoryJournalBackend } from "./journal/memory-backend.js";

/**
 * A study that lives in this process (the default storage, and the browser's): an Optuna journal
 * kept in memory, so it follows exactly the rules the journal file follows.
 */
export class InMemoryStorage extends JournalStorage {
  constructor(options: JournalStorageOptions = {}) {
    super(new MemoryJournalBackend(), options);
  }
}
