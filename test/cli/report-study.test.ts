import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { pickStudy, studyTarget } from "../../src/cli/study-target.js";
import { jsonl, syntheticRecords, writeRunDir } from "../report/synthetic-run.js";
import { useCli } from "./run-minima.js";

const minima = useCli().run;

describe("minima report <study>: what the target names", () => {
  test("a study folder (journal.log, no config.json) → its journal, reported into it; a run folder or a missing path → a run report (null)", () => {
    const root = mkdtempSync(join(tmpdir(), "minima-report-target-"));
    try {
      const study = join(root, "study"), run = join(root, "run");
      mkdirSync(study);
      mkdirSync(run);
      writeFileSync(join(study, "journal.log"), "");
      writeFileSync(join(run, "config.json"), "{}");
      writeFileSync(join(run, "journal.log"), "");
      assert.deepEqual(studyTarget(study), { storage: join(study, "journal.log"), outDir: study });
      assert.deepEqual(studyTarget(join(study, "journal.log")), { storage: join(study, "journal.log"), outDir: study }, "a journal file: reported beside it");
      assert.equal(studyTarget(run), null, "config.json makes it a run folder");
      assert.equal(studyTarget(join(root, "missing")), null, "readRun names what is missing");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("sqlite:/// URLs are reported beside the database (Optuna's URL: three slashes, then the path), PostgreSQL into the current folder", () => {
    assert.deepEqual(studyTarget("sqlite:///studies/a.db"), { storage: "sqlite:///studies/a.db", outDir: "studies" });
    assert.deepEqual(studyTarget("sqlite:////tmp/x/a.db"), { storage: "sqlite:////tmp/x/a.db", outDir: "/tmp/x" });
    assert.deepEqual(studyTarget("postgresql://me@db.example:5432/search"), { storage: "postgresql://me@db.example:5432/search", outDir: "." });
  });

  test("pickStudy: the only study, the named one, or an error naming the storage's studies", () => {
    const storage = new mn.tune.InMemoryStorage();
    assert.throws(() => pickStudy(storage, undefined), { message: "memory: holds no study" });
    mn.tune.createStudy({ storage, studyName: "a" });
    assert.equal(pickStudy(storage, undefined).studyName, "a");
    mn.tune.createStudy({ storage, studyName: "b" });
    assert.throws(() => pickStudy(storage, undefined), { message: `memory: holds 2 studies; name one with --study; expected "a", "b"` });
    assert.equal(pickStudy(storage, "b").studyName, "b");
  });

  test("--study and --out do nothing for a run folder, so they are refused there", () => {
    const dir = writeRunDir(jsonl(syntheticRecords({ epochs: 2, stepsPerEpoch: 5 })));
    const r = minima("report", dir, "--study", "x");
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), `minima: --study: does nothing for a run folder (${dir}); it acts on a study report`);
    const o = minima("report", dir, "--out", "elsewhere");
    assert.equal(o.code, 2, o.err);
    assert.equal(o.err.trim(), `minima: --out: does nothing for a run folder (${dir}); it acts on a study report`);
  });
});
