// The Storage contract's conformance suite (test/tune/storage-conformance.ts) on PostgreSQL: each
// storage it opens gets a database of its own on the server MINIMA_TEST_POSTGRES_URL names.
import { after, test } from "node:test";
import { openPostgres } from "../../src/tune/node/postgres-storage.js";
import { newDatabase, skipWithoutServer, testServerUrl } from "../helpers/postgres.js";
import { storageConformance } from "./storage-conformance.js";

const base = testServerUrl();
if (base === undefined) {
  test("storage conformance: PostgreSQL", (t) => void skipWithoutServer(t));
} else {
  const databases: (() => void)[] = [];
  after(() => databases.forEach((drop) => drop()));
  storageConformance("PostgreSQL (reopen = a second connection to the same database)", {
    open(heartbeat) {
      const db = newDatabase(base);
      databases.push(db.drop);
      return { storage: openPostgres(db.url, { heartbeat }), reopen: () => openPostgres(db.url, { heartbeat }) };
    },
  });
}
