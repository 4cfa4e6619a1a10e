import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeRecord, parseRunLog, runLogHeader, type RunRecord } from "../../src/io/run-log.js";
import { runIndex } from "../../src/serve/run-index.js";
import { startServer } from "../../src/serve/server.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const log = (records: RunRecord[]) => records.map((r) => encodeRecord(r) + "\n").join("");
const steps = (from: number, to: number): RunRecord[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ kind: "step", step: from + i, epoch: 1, loss: 2 / (from + i), lr: 0.1, gradNorm: 1.5 }));
const epoch: RunRecord = { kind: "epoch", epoch: 1, loss: 0.5, accuracy: 0.9, valLoss: null, valAccuracy: null, testLoss: null, testAccuracy: null, lr: 0.1, steps: 50, seconds: 1 };
const finding = (i: number) => ({ kind: "fast-layer", severity: "warning" as const, message: `layer ${i}: ${"the update is large against the weights; ".repeat(40)}`, advice: "lower the lr" });
const end = (findings: number): RunRecord => ({ kind: "end", stopReason: null, diagnosis: { findings: Array.from({ length: findings }, (_, i) => finding(i)), summary: "Warning." } });
const confusion: RunRecord = { kind: "confusion", split: "test", classes: ["a", "b"], matrix: [[3, 1], [0, 4]] };

/** Run logs whose `finished` parseRunLog decides by reading them whole: the reference for the index's tail read. */
const CASES: Record<string, string> = {
  "killed mid-run": log([runLogHeader(), ...steps(1, 50), epoch]),
  "ended": log([runLogHeader(), ...steps(1, 50), epoch, end(1)]),
  "ended, then the CLI's confusion record": log([runLogHeader(), ...steps(1, 50), epoch, end(2), confusion]),
  "ended, then resumed (steps after the end)": log([runLogHeader(), ...steps(1, 50), epoch, end(1), ...steps(51, 60)]),
  "an end record of ~100 KB (past the first reads)": log([runLogHeader(), ...steps(1, 50), end(60), confusion]),
  "ended, then a torn last line": log([runLogHeader(), ...steps(1, 5), end(1)]) + '{"kind":"st',
  "running, its last line torn": log([runLogHeader(), ...steps(1, 5)]) + '{"kind":"en',
  "a log of ~3 MB that ended": log([runLogHeader(), ...steps(1, 30_000), epoch, end(3), confusion]),
  "epoch lines from before the kind field": '{"epoch":1,"trainLoss":0.5,"trainAccuracy":0.9,"valLoss":null,"valAccuracy":null,"testLoss":null,"testAccuracy":null,"lr":0.1,"seconds":1}\n',
  "empty": "",
};

describe("the index of runs and studies (src/serve/run-index.ts)", () => {
  test("`finished`, read from each metrics.jsonl's tail, equals parseRunLog's reading of the whole file", () => {
    const root = mkdtempSync(join(tmpdir(), "minima-index-"));
    try {
      const names = Object.keys(CASES);
      names.forEach((name, i) => {
        mkdirSync(join(root, `run-${i}`));
        writeFileSync(join(root, `run-${i}`, "metrics.jsonl"), CASES[name]!);
      });
      const index = runIndex(root);
      const got = Object.fromEntries(names.map((name, i) => [name, index.runs.find((r) => r.path === `run-${i}`)?.finished]));
      const expected = Object.fromEntries(names.map((name) => [name, parseRunLog(CASES[name]!, name).finished]));
      assert.deepEqual(got, expected);
      assert.deepEqual(Object.values(expected).filter(Boolean).length, 5, "the cases hold finished runs and unfinished ones");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a run that ends between two index requests is finished in the second (what the first found is kept per size and mtime only)", () => {
    const root = mkdtempSync(join(tmpdir(), "minima-index-"));
    try {
      mkdirSync(join(root, "live"));
      const metrics = join(root, "live", "metrics.jsonl");
      writeFileSync(metrics, log([runLogHeader(), ...steps(1, 3)]));
      assert.equal(runIndex(root).runs[0]!.finished, false);
      assert.equal(runIndex(root).runs[0]!.finished, false);
      appendFileSync(metrics, log([end(1)]));
      assert.equal(runIndex(root).runs[0]!.finished, true);
      writeFileSync(metrics, log([runLogHeader(), ...steps(1, 2)])); // started again in the same folder
      assert.equal(runIndex(root).runs[0]!.finished, false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("hundreds of runs and a study's trials are all listed, each trial with its study, newest first", () => {
    const root = mkdtempSync(join(tmpdir(), "minima-index-"));
    try {
      const text = log([runLogHeader(), ...steps(1, 20), end(1)]);
      for (let i = 0; i < 300; i++) {
        mkdirSync(join(root, "runs", `r${i}`), { recursive: true });
        writeFileSync(join(root, "runs", `r${i}`, "metrics.jsonl"), text);
      }
      mkdirSync(join(root, "study"));
      writeFileSync(join(root, "study", "journal.log"), "{}\n");
      for (let n = 0; n < 200; n++) {
        mkdirSync(join(root, "study", "trials", String(n)), { recursive: true });
        writeFileSync(join(root, "study", "trials", String(n), "metrics.jsonl"), text);
      }
      const index = runIndex(root);
      assert.equal(index.runs.length, 500);
      assert.equal(index.runs.filter((r) => r.study === "study").length, 200);
      assert.deepEqual(index.studies.map((s) => s.path), ["study"]);
      assert.ok(index.runs.every((r) => r.finished));
      assert.ok(index.runs.every((r, i) => i === 0 || index.runs[i - 1]!.mtimeMs >= r.mtimeMs));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a run folder (or a run's metrics.jsonl) created after an index request is in the next one, also where the index kept the folders' listings", () => {
    const root = mkdtempSync(join(tmpdir(), "minima-index-"));
    try {
      const text = log([runLogHeader(), ...steps(1, 3)]);
      const old = new Date(Date.now() - 60_000);
      for (const name of ["a", "b"]) {
        mkdirSync(join(root, "runs", name), { recursive: true });
        writeFileSync(join(root, "runs", name, "metrics.jsonl"), text);
      }
      mkdirSync(join(root, "runs", "c"));
      for (const dir of ["runs/a", "runs/b", "runs/c", "runs", "."]) utimesSync(join(root, dir), old, old); // settled: listings are kept
      assert.deepEqual(runIndex(root).runs.map((r) => r.path).sort(), ["runs/a", "runs/b"]);
      assert.deepEqual(runIndex(root).runs.map((r) => r.path).sort(), ["runs/a", "runs/b"]);
      mkdirSync(join(root, "runs", "d"));
      writeFileSync(join(root, "runs", "d", "metrics.jsonl"), text);
      writeFileSync(join(root, "runs", "c", "metrics.jsonl"), text);
      mkdirSync(join(root, "runs", "a", "slice-1"));
      writeFileSync(join(root, "runs", "a", "slice-1", "slice.json"), "{}");
      const index = runIndex(root);
      assert.deepEqual(index.runs.map((r) => r.path).sort(), ["runs/a", "runs/b", "runs/c", "runs/d"]);
      assert.deepEqual(index.runs.find((r) => r.path === "runs/a")!.files, ["slice-1/slice.json"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a real `minima train` run (end and confusion records) is listed finished by /api/index, as parseRunLog reads it", { timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "minima-index-"));
    try {
      const r = spawnSync(process.execPath, [MAIN, "train", "--epochs", "1", "--train-size", "512"], { cwd: root, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const [name] = readdirSync(join(root, "runs"));
      const text = readFileSync(join(root, "runs", name!, "metrics.jsonl"), "utf8");
      assert.equal(parseRunLog(text, "metrics.jsonl").finished, true);
      const server = await startServer({ root, port: 0 });
      try {
        const index = await (await fetch(`${server.url}api/index`)).json() as ReturnType<typeof runIndex>;
        assert.deepEqual(index.runs.map((run) => [run.path, run.finished, run.bytes]), [[`runs/${name}`, true, Buffer.byteLength(text)]]);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
