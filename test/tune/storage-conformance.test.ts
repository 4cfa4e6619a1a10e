// The Storage contract's conformance suite on every storage of the Node entry that needs no server.
// (PostgreSQL runs it from its own test file, which needs a server.) The journal file joins with a target
// like SQLite's: open(heartbeat) = a new journal path in a temp folder, opened with openStorage(path,
// { heartbeat }), and reopen = a second openStorage of the same path.
import * as mn from "../../src/index.node.js";
import { MemoryJournalBackend } from "../../src/tune/journal/memory-backend.js";
import { newSqliteUrl, openSqlite, sqliteSkipReason, tempDbDir } from "../helpers/sqlite.js";
import { storageConformance } from "./storage-conformance.js";

storageConformance("in memory (a journal in memory; reopen = a second storage on the same log)", {
  open(heartbeat) {
    const backend = new MemoryJournalBackend();
    return { storage: new mn.tune.JournalStorage(backend, { heartbeat }), reopen: () => new mn.tune.JournalStorage(backend, { heartbeat }) };
  },
});

if (sqliteSkipReason() === undefined) {
  const dir = tempDbDir();
  storageConformance("SQLite (reopen = a second connection to the same file)", {
    open(heartbeat) {
      const url = newSqliteUrl(dir);
      return { storage: openSqlite(url, heartbeat), reopen: () => openSqlite(url, heartbeat) };
    },
  });
}
