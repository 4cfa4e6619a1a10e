import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after } from "node:test";
import * as mn from "../../src/index.node.js";

/** The tests' trial process (fixtures/trial.ts), as a worker's --trial-command. */
export const FIXTURE_TRIAL: readonly string[] = [process.execPath, fileURLToPath(new URL("./fixtures/trial.js", import.meta.url))];
/** `minima tune worker`: the CLI's entry point, built (dist/test/tune → dist/src/cli). */
export const WORKER_CLI: readonly string[] = [process.execPath, fileURLToPath(new URL("../../src/cli/main.js", import.meta.url)), "tune", "worker"];

/** A scratch folder removed when the test file ends. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "minima-worker-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The storages the worker tests run on: a fresh journal file; SQLite where its optional dependency
 * better-sqlite3 is installed; PostgreSQL where MINIMA_TEST_POSTGRES_URL names a server (CI sets it,
 * with MINIMA_REQUIRE_POSTGRES=1, which makes its absence a failure). Each study has its own name.
 */
export function storages(): { label: string; url: () => string }[] {
  const list = [{ label: "journal file", url: () => join(scratch(), "journal.log") }];
  try {
    createRequire(import.meta.url).resolve("better-sqlite3");
    list.push({ label: "SQLite", url: () => `sqlite:///${join(scratch(), "study.db")}` });
  } catch {
    process.stderr.write("\nNOT RUN on SQLite: better-sqlite3 (an optional dependency) is not installed\n");
  }
  const pg = process.env["MINIMA_TEST_POSTGRES_URL"];
  if (pg) {
    list.push({ label: "PostgreSQL", url: () => pg });
  } else {
    assert.notEqual(process.env["MINIMA_REQUIRE_POSTGRES"], "1", "no PostgreSQL server (MINIMA_TEST_POSTGRES_URL), and MINIMA_REQUIRE_POSTGRES=1 requires it");
    process.stderr.write("\nNOT RUN on PostgreSQL: no server named by MINIMA_TEST_POSTGRES_URL (tools/postgres-server.sh starts one)\n");
  }
  return list;
}

let studies = 0;

/** A study for the fixture trial process: its behaviour in user attr "fixture", its space recorded for workers, and these points enqueued. */
export function fixtureStudy(url: string, fixture: Record<string, unknown>, space: Record<string, mn.tune.Distribution>, points: Record<string, number>[] = [], sampler: mn.tune.Sampler = new mn.tune.RandomSampler({ seed: 0 })): string {
  const studyName = `worker-test-${process.pid}-${++studies}-${Date.now()}`;
  const study = mn.tune.createStudy({ storage: url, studyName, sampler });
  study.setUserAttr("fixture", fixture);
  mn.tune.setStudySpace(study, space);
  for (const p of points) study.enqueueTrial(p);
  study.storage.close();
  return studyName;
}

/** The study as a fresh reader sees it now. */
export function readStudy(url: string, studyName: string): mn.tune.Study {
  return mn.tune.loadStudy({ storage: url, studyName });
}
