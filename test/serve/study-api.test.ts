import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/serve/server.js";
import { fromWire, type StudyResponse } from "../../src/serve/study-response.js";
import { JournalStorage } from "../../src/tune/journal/journal-storage.js";
import { JournalFileBackend } from "../../src/tune/node/journal/file-backend.js";
import { syntheticValue, writeSyntheticStudy } from "../helpers/synthetic-study.js";

/** Every file under dir with its size and modification time, to show that reading changed nothing. */
function tree(dir: string): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const s = statSync(join(dir, name));
    out[name] = [s.size, s.mtimeMs];
  }
  return out;
}

async function withStudy(trials: number, fn: (url: string, root: string, written: ReturnType<typeof writeSyntheticStudy>) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "minima-study-api-"));
  mkdirSync(join(root, "studies", "s"), { recursive: true });
  const written = writeSyntheticStudy(join(root, "studies", "s"), trials);
  const server = await startServer({ root });
  try {
    await fn(server.url, root, written);
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const getStudy = async (url: string, path: string) => (await (await fetch(`${url}api/study/${path}`)).json()) as StudyResponse;

describe("GET /api/study/<folder>", () => {
  test("answers every trial of the journal as the writer wrote it: params, states, values (syntheticValue, the writer's formula), intermediate values, attrs", async () => {
    await withStudy(300, async (url, _root, written) => {
      const study = await getStudy(url, "studies/s");
      assert.equal(study.name, "synthetic");
      assert.deepEqual(study.studies, ["synthetic"]);
      assert.equal(study.direction, "minimize");
      assert.equal(study.path, "studies/s");
      assert.deepEqual(study.params.map((p) => p.name), ["lr", "weightDecay", "activation"]);
      assert.deepEqual(study.systemAttrs["minima:c2f:stage:2"], { lr: { low: 1e-3, high: 0.1, log: true }, weightDecay: { low: 0, high: 0.005 }, activation: { choices: ["relu", "tanh"] } });
      assert.equal(study.trials.length, 300);
      study.trials.forEach((t, n) => {
        assert.equal(t.number, n);
        assert.equal(t.state, written.states[n]);
        assert.equal(t.params["activation"], written.params[n]!["activation"]);
        // Float params go through the journal as Python floats: equal to the last bit.
        assert.equal(t.params["lr"], written.params[n]!["lr"]);
        if (t.state === "COMPLETE") assert.equal(t.value, syntheticValue(written.params[n]!));
        if (t.state === "PRUNED") assert.deepEqual(t.intermediate.map(([s]) => s), [1, 2]);
        if (t.state === "FAIL") assert.equal(t.value, null);
        assert.equal(t.systemAttrs["minima:c2f_stage"], n < 150 ? 1 : 2);
        assert.equal(t.run, null, "the synthetic study has no run folders");
      });
      assert.equal((study.trials[0]!.diagnosis as { summary: string }).summary.startsWith("trial 0: "), true);
    });
  });

  test("reads only: the folder's files, sizes and mtimes are unchanged, no lock file is made, and a writer's held lock does not block it", async () => {
    await withStudy(50, async (url, root) => {
      const before = tree(root);
      for (let i = 0; i < 3; i++) assert.equal((await getStudy(url, "studies/s")).trials.length, 50);
      assert.deepEqual(tree(root), before);
      assert.equal(existsSync(join(root, "studies", "s", "journal.log.lock")), false);
      // A lock held by a writer (Optuna's symlink lock): the reader neither waits for it nor touches it.
      symlinkSync("journal.log", join(root, "studies", "s", "journal.log.lock"));
      const held = tree(root);
      const start = performance.now();
      assert.equal((await getStudy(url, "studies/s")).trials.length, 50);
      assert.ok(performance.now() - start < 5000);
      assert.deepEqual(tree(root), held);
    });
  });

  test("a journal cut back in place (same file) is read again from its start", async () => {
    await withStudy(30, async (url, root) => {
      assert.equal((await getStudy(url, "studies/s")).trials.length, 30);
      const journal = join(root, "studies", "s", "journal.log");
      const lines = readFileSync(journal, "utf8").split("\n");
      const keep = lines.slice(0, lines.findIndex((l) => l.includes('"op_code": 4')) + 1).join("\n") + "\n"; // up to the first trial's op
      truncateSync(journal, Buffer.byteLength(keep));
      const again = await getStudy(url, "studies/s");
      assert.equal(again.trials.length, 1);
      assert.equal(again.journalBytes, Buffer.byteLength(keep));
    });
  });

  test("a trial appended by a writer (the journal file storage) shows in the next answer, read from where the last read stopped", async () => {
    await withStudy(20, async (url, root) => {
      const first = await getStudy(url, "studies/s");
      const journal = join(root, "studies", "s", "journal.log");
      assert.equal(first.journalBytes, statSync(journal).size);
      const writer = new JournalStorage(new JournalFileBackend(journal));
      const id = writer.getStudyIdFromName("synthetic");
      writer.createTrial(id, { state: "COMPLETE", value: Infinity, params: {}, distributions: {} });
      const second = await getStudy(url, "studies/s");
      assert.equal(second.trials.length, 21);
      assert.equal(second.trials[20]!.value, "Infinity");
      assert.equal(fromWire(second.trials[20]!.value!), Infinity);
      assert.equal(second.journalBytes, statSync(journal).size);
      assert.ok(second.journalBytes > first.journalBytes);
    });
  });

  test("refuses what is not a study under the folder, with the reason", async () => {
    await withStudy(3, async (url, root) => {
      mkdirSync(join(root, "empty"));
      const cases: [string, number, string][] = [
        ["nope", 404, "no study at nope: expected a study folder holding journal.log under the served folder\n"],
        ["empty", 404, "no study at empty: expected a study folder holding journal.log under the served folder\n"],
        ["..%2f..%2fetc", 404, "no study at ../../etc: expected a study folder holding journal.log under the served folder\n"],
        ["studies/s?name=other", 404, 'studies/s/journal.log: holds no study named "other"; expected one of "synthetic"\n'],
      ];
      for (const [path, status, text] of cases) {
        const r = await fetch(`${url}api/study/${path}`);
        assert.equal(r.status, status, path);
        assert.equal(await r.text(), text, path);
      }
      mkdirSync(join(root, "starting"));
      writeFileSync(join(root, "starting", "journal.log"), "");
      mkdirSync(join(root, "notes"));
      writeFileSync(join(root, "notes", "journal.log"), "dear diary\n");
      for (const [path, status, text] of [
        ["starting", 404, "starting/journal.log: holds no study yet\n"],
        ["notes", 500, `${join(root, "notes", "journal.log")}: is not an Optuna journal (JSON lines of ops); expected a file whose lines start with {"op_code", got a file starting with "dear diary\\x0a"\n`],
      ] as const) {
        const r = await fetch(`${url}api/study/${path}`);
        assert.equal(r.status, status, path);
        assert.equal(await r.text(), text, path);
      }
      const named = await getStudy(url, "studies/s?name=synthetic");
      assert.equal(named.trials.length, 3);
    });
  });
});

describe("JournalFileBackend readOnly", () => {
  test("refuses to append and never creates a missing journal, with the reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "minima-journal-ro-"));
    try {
      const missing = join(dir, "missing.log");
      assert.throws(() => new JournalFileBackend(missing, { readOnly: true }), { message: `a journal opened read-only: no such file: ${missing}` });
      assert.equal(existsSync(missing), false);
      writeSyntheticStudy(dir, 2);
      const journal = join(dir, "journal.log");
      const backend = new JournalFileBackend(journal, { readOnly: true });
      assert.equal(backend.readLogs(0).length > 0, true);
      assert.throws(() => backend.appendLogs([{ op_code: 0, worker_id: "w" }]), { message: `${journal}: was opened read-only; nothing is written to it` });
      assert.equal(existsSync(`${journal}.lock`), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
