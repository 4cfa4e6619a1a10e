import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFormatError } from "../../src/errors.js";
import { encodeRecord, parseRunLog, parseRunLogHeader, runLogHeader, type RunRecord } from "../../src/io/run-log.js";
import { appendRunLog, readRunLogHeader, writeRunLog } from "../../src/io/run-log-file.js";
import { RunDir } from "../../src/io/run-dir.js";

// The reference for the version written: package.json, read here independently of src/version.ts.
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
const HEADER = { kind: "header", format: "minima.metrics", version: "1.3", minimaVersion: PACKAGE_VERSION };

const RECORDS: RunRecord[] = [
  { kind: "step", step: 1, epoch: 1, loss: 2.5, lr: 0.1, gradNorm: 3 },
  { kind: "layer", step: 1, epoch: 1, name: "0.weight", weightNorm: 4, gradNorm: 1, updateNorm: 0.004, ratio: 0.001 },
  { kind: "step", step: 2, epoch: 1, loss: NaN, lr: 0.1, gradNorm: Infinity },
  { kind: "event", step: 2, epoch: 1, message: "divergence guard: rolled back" },
  { kind: "epoch", epoch: 1, loss: 2.4, accuracy: 0.5, valLoss: null, valAccuracy: null, testLoss: -Infinity, testAccuracy: null, lr: 0.1, steps: 2, seconds: 0.25 },
  { kind: "end", stopReason: "early stopping at epoch 1", diagnosis: { summary: "Healthy: no problems found.", findings: [{ kind: "healthy", severity: "info", message: "m", advice: "a" }] } },
];
const text = (records: readonly object[]) => records.map((r) => encodeRecord(r as RunRecord) + "\n").join("");
const tmp = () => mkdtempSync(join(tmpdir(), "minima-run-log-"));

describe("run log: encodeRecord", () => {
  test("one JSON object a line with the record's own fields, kind first; NaN and ±Infinity as strings (JSON has no such numbers)", () => {
    assert.equal(encodeRecord(RECORDS[2]!), '{"kind":"step","step":2,"epoch":1,"loss":"NaN","lr":0.1,"gradNorm":"Infinity"}');
    assert.equal(encodeRecord(runLogHeader()), JSON.stringify(HEADER));
  });
});

describe("run log: parseRunLog", () => {
  test("reads back every record kind encodeRecord wrote: the history holds the records less their kind", () => {
    const log = parseRunLog(text([runLogHeader(), ...RECORDS]), "m.jsonl");
    const strip = (kind: string) => RECORDS.filter((r) => r.kind === kind).map(({ kind: _k, ...rest }) => rest);
    assert.deepEqual(log.header, HEADER);
    assert.deepEqual(log.history.steps, strip("step"));
    assert.deepEqual(log.history.layers, strip("layer"));
    assert.deepEqual(log.history.events, strip("event"));
    assert.deepEqual(log.history.epochs, strip("epoch"));
    assert.equal(log.history.stopReason, "early stopping at epoch 1");
    assert.deepEqual(log.diagnosis, (RECORDS[5] as { diagnosis: unknown }).diagnosis);
    assert.equal(log.finished, true);
    assert.deepEqual(log.notes, []);
  });

  test("a file written before the header is read the same, its header null", () => {
    const withHeader = parseRunLog(text([runLogHeader(), ...RECORDS]), "m.jsonl");
    const without = parseRunLog(text(RECORDS), "m.jsonl");
    assert.equal(without.header, null);
    assert.deepEqual(without.history, withHeader.history);
  });

  test("a newer minor format version is read (it only adds); a newer major one is refused, saying which minima wrote it", () => {
    const minor = parseRunLog(text([{ ...HEADER, version: "1.7", minimaVersion: "0.4.0" }, ...RECORDS]), "m.jsonl");
    assert.equal(minor.header?.version, "1.7");
    assert.equal(minor.history.steps.length, 2);
    assert.throws(() => parseRunLog(text([{ ...HEADER, version: "2.0", minimaVersion: "9.9.9" }, ...RECORDS]), "runs/a/metrics.jsonl"), (e: unknown) => {
      assert.ok(e instanceof DataFormatError);
      assert.equal(e.message, `runs/a/metrics.jsonl:1: written in run-log format 2.0 by minima 9.9.9; this minima (${PACKAGE_VERSION}) reads format 1.x: upgrade minima to read it`);
      return true;
    });
  });

  test("a header of another format, or with a version that is not major.minor, is refused with the exact field", () => {
    assert.throws(() => parseRunLog(text([{ ...HEADER, format: "other.log" }]), "m.jsonl"), { message: 'm.jsonl:1: not a minima run log; expected format "minima.metrics", got "other.log"' });
    assert.throws(() => parseRunLog(text([{ ...HEADER, version: "2" }]), "m.jsonl"), { message: 'm.jsonl:1: field "version" is not a format version; expected "major.minor", got "2"' });
    assert.throws(() => parseRunLog(text([{ ...HEADER, version: 1 }]), "m.jsonl"), { message: 'm.jsonl:1: field "version" is of the wrong type; expected a string, got 1' });
  });

  test("1.2's additions read back: an epoch's metrics (train, val, test by name) and the confusion record after the end line; a 1.1 file without them reads as before", () => {
    const epoch = { ...RECORDS[4]!, metrics: { top5Accuracy: { train: 0.9, val: 0.85, test: null }, mae: { train: NaN, val: null, test: 0.1 } } } as RunRecord;
    const confusion: RunRecord = { kind: "confusion", split: "test", classes: ["cat", "dog"], matrix: [[3, 1], [0, 4]] };
    const log = parseRunLog(text([runLogHeader(), epoch, RECORDS[5]!, confusion]), "m.jsonl");
    assert.deepEqual(log.history.epochs, [(({ kind: _k, ...rest }) => rest)(epoch)]);
    assert.deepEqual(log.confusion, { split: "test", classes: ["cat", "dog"], matrix: [[3, 1], [0, 4]] });
    assert.equal(log.finished, true);
    const old = parseRunLog(text([{ ...HEADER, version: "1.1" }, ...RECORDS]), "m.jsonl");
    assert.equal(old.confusion, null);
    assert.equal("metrics" in old.history.epochs[0]!, false);
  });

  test("a bad metrics field or confusion record is refused naming the line, the field and what it should hold", () => {
    const epoch = RECORDS[4]!;
    assert.throws(() => parseRunLog(text([runLogHeader(), { ...epoch, metrics: { mae: 0.1 } }]), "m.jsonl"),
      { message: 'm.jsonl:2: field "metrics" is of the wrong type; expected { <name>: { train, val, test } } with numbers or null, got {"mae":0.1}' });
    const confusion = { kind: "confusion", split: "test", classes: ["a", "b"], matrix: [[1, 0], [0, 1]] };
    assert.throws(() => parseRunLog(text([runLogHeader(), { ...confusion, split: "train" }]), "m.jsonl"),
      { message: 'm.jsonl:2: field "split" is of the wrong type; expected "val" or "test", got "train"' });
    assert.throws(() => parseRunLog(text([runLogHeader(), { ...confusion, classes: [] }]), "m.jsonl"),
      { message: 'm.jsonl:2: field "classes" is of the wrong type; expected an array of class names, got []' });
    assert.throws(() => parseRunLog(text([runLogHeader(), { ...confusion, matrix: [[1, 0], [0]] }]), "m.jsonl"),
      { message: 'm.jsonl:2: field "matrix" is of the wrong type; expected 2 rows of 2 counts, one per class, got [[1,0],[0]]' });
  });

  test("epoch records of minima compare name their optimizer: one optimizer's run is read, several are refused", () => {
    const epoch = RECORDS[4]!;
    const one = parseRunLog(text([runLogHeader(), { ...epoch, optimizer: "adam" }, { ...epoch, epoch: 2, optimizer: "adam" }]), "m.jsonl");
    assert.deepEqual(one.history.epochs.map((e) => e.epoch), [1, 2]);
    assert.throws(() => parseRunLog(text([runLogHeader(), { ...epoch, optimizer: "sgd" }, { ...epoch, optimizer: "adam" }]), "m.jsonl"),
      { message: "m.jsonl:3: the file holds runs of several optimizers (sgd, adam), as minima compare writes; a report shows one training run" });
  });
});

describe("run log: parseRunLogHeader", () => {
  test("reads the first line only: the header, null without one, and refuses a newer major version", () => {
    assert.deepEqual(parseRunLogHeader(text([runLogHeader(), ...RECORDS]), "m.jsonl"), HEADER);
    assert.equal(parseRunLogHeader(text(RECORDS), "m.jsonl"), null);
    assert.equal(parseRunLogHeader("", "m.jsonl"), null);
    assert.equal(parseRunLogHeader('{"kind":"hea', "m.jsonl"), null, "a torn only line");
    assert.throws(() => parseRunLogHeader(text([{ ...HEADER, version: "3.1", minimaVersion: "2.0.0" }]), "m.jsonl"), /^DataFormatError: m\.jsonl:1: written in run-log format 3\.1 by minima 2\.0\.0/);
  });
});

describe("run log files (Node)", () => {
  test("writeRunLog puts the header first; appendRunLog starts a new file with one and appends after it", () => {
    const dir = tmp();
    writeRunLog(join(dir, "a.jsonl"), RECORDS.slice(0, 2));
    assert.deepEqual(readFileSync(join(dir, "a.jsonl"), "utf8"), text([HEADER, ...RECORDS.slice(0, 2)]));
    appendRunLog(join(dir, "b.jsonl"), RECORDS.slice(0, 1));
    appendRunLog(join(dir, "b.jsonl"), RECORDS.slice(1, 3));
    assert.deepEqual(readFileSync(join(dir, "b.jsonl"), "utf8"), text([HEADER, ...RECORDS.slice(0, 3)]));
    assert.deepEqual(readRunLogHeader(join(dir, "b.jsonl")), HEADER);
  });

  test("RunDir.appendMetrics writes metrics.jsonl as a run log (minima compare's epochs)", () => {
    const run = new RunDir(join(tmp(), "run"));
    run.appendMetrics({ ...(RECORDS[4] as object), optimizer: "sgd" } as RunRecord);
    const lines = readFileSync(join(run.path, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as object);
    assert.deepEqual(lines, [HEADER, { ...(RECORDS[4] as object), testLoss: "-Infinity", optimizer: "sgd" }]);
  });
});
