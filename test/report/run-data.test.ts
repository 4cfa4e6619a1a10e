import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { CONFIG, jsonl, LAYER_NAMES, syntheticRecords, writeRunDir } from "./synthetic-run.js";

const DIAGNOSIS = { summary: "Healthy.", findings: [{ kind: "overfitting", severity: "warning" as const, message: "val loss rises", advice: "add dropout", epoch: 3 }] };

describe("report.readRun", () => {
  test("reads config.json and every kind of record back into a History, in order", () => {
    const dir = writeRunDir(jsonl(syntheticRecords({ epochs: 3, stepsPerEpoch: 10, end: { stopReason: "early stopping at epoch 3", diagnosis: DIAGNOSIS } })));
    const run = mn.report.readRun(dir);
    assert.deepEqual(run.config, CONFIG);
    assert.equal(run.history.steps.length, 30);
    assert.deepEqual(run.history.steps.map((s) => s.step), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal(run.history.layers.length, 6 * LAYER_NAMES.length);
    assert.deepEqual(run.history.epochs.map((e) => [e.epoch, e.steps]), [[1, 10], [2, 20], [3, 30]]);
    assert.equal(run.history.epochs[1]!.valAccuracy, 0.58 + 0.07 * 2);
    assert.equal(run.stopReason, "early stopping at epoch 3");
    assert.equal(run.history.stopReason, "early stopping at epoch 3");
    assert.deepEqual(run.diagnosis, DIAGNOSIS);
    assert.equal(run.finished, true);
    assert.deepEqual(run.notes, []);
  });

  test("\"NaN\", \"Infinity\" and \"-Infinity\" strings come back as numbers; null validation fields stay null", () => {
    const lines = [
      { kind: "step", step: 1, epoch: 1, loss: 2.3, lr: 0.1, gradNorm: 4 },
      { kind: "step", step: 2, epoch: 1, loss: NaN, lr: 0.1, gradNorm: Infinity },
      { kind: "layer", step: 2, epoch: 1, name: "w", weightNorm: 0, gradNorm: 1, updateNorm: 1, ratio: Infinity },
      { kind: "epoch", epoch: 1, loss: NaN, accuracy: 0.1, valLoss: null, valAccuracy: null, testLoss: -Infinity, testAccuracy: null, lr: 0.1, steps: 2, seconds: 0.5 },
    ];
    const text = jsonl(lines);
    assert.match(text, /"loss":"NaN"/);
    const run = mn.report.readRun(writeRunDir(text));
    assert.ok(Number.isNaN(run.history.steps[1]!.loss));
    assert.equal(run.history.steps[1]!.gradNorm, Infinity);
    assert.equal(run.history.layers[0]!.ratio, Infinity);
    assert.ok(Number.isNaN(run.history.epochs[0]!.loss));
    assert.equal(run.history.epochs[0]!.testLoss, -Infinity);
    assert.equal(run.history.epochs[0]!.valLoss, null);
    assert.equal(run.finished, false, "no end line: a killed or running run");
    assert.equal(run.diagnosis, null);
  });

  test("a torn last line (a run killed mid-write) is left out with a note; the lines before it are kept", () => {
    const whole = jsonl(syntheticRecords({ epochs: 2, stepsPerEpoch: 5, layers: false }));
    const dir = writeRunDir(whole + `{"kind":"step","step":11,"epoch":3,"lo`);
    const run = mn.report.readRun(dir);
    assert.equal(run.history.steps.length, 10);
    assert.equal(run.history.epochs.length, 2);
    assert.equal(run.notes.length, 1);
    assert.match(run.notes[0]!, /metrics\.jsonl:13: ignored a torn last line/);
  });

  test("a malformed line that is not the last is an error naming the file and the line number", () => {
    const lines = jsonl(syntheticRecords({ epochs: 1, stepsPerEpoch: 5, layers: false })).split("\n");
    lines[2] = `{"kind":"step","step":3,`;
    const dir = writeRunDir(lines.join("\n"));
    assert.throws(() => mn.report.readRun(dir), (e: unknown) => {
      assert.ok(e instanceof mn.DataFormatError);
      assert.equal(e.where, join(dir, "metrics.jsonl") + ":3");
      assert.match(e.message, /metrics\.jsonl:3: not valid JSON, got \{"kind":"step","step":3,/);
      return true;
    });
    // A whole line ending in a newline is not torn, even when it is the last.
    const last = writeRunDir(jsonl(syntheticRecords({ epochs: 1, stepsPerEpoch: 2, layers: false })) + "{oops\n");
    assert.throws(() => mn.report.readRun(last), /metrics\.jsonl:4: not valid JSON/);
  });

  test("records with a missing or mistyped field, or an unknown kind, are refused naming the line and the field", () => {
    const bad = (record: object, message: RegExp) =>
      assert.throws(() => mn.report.readRun(writeRunDir(jsonl([{ kind: "step", step: 1, epoch: 1, loss: 1, lr: 0.1, gradNorm: 1 }, record]))), message);
    bad({ kind: "step", step: 2, epoch: 1, lr: 0.1, gradNorm: 1 }, /metrics\.jsonl:2: field "loss" is missing; expected a number/);
    bad({ kind: "epoch", epoch: "1", loss: 1, lr: 0.1, steps: 1, seconds: 1 }, /metrics\.jsonl:2: field "epoch" is of the wrong type; expected a number, got "1"/);
    bad({ kind: "layer", step: 1, epoch: 1, name: 3, weightNorm: 1, gradNorm: 1, updateNorm: 1, ratio: 1 }, /field "name" is of the wrong type; expected a string/);
    bad({ hello: 1 }, /metrics\.jsonl:2: a record with neither a "kind" nor the old epoch fields/);
    bad({ kind: "end", stopReason: null, diagnosis: { summary: "x", findings: [{ kind: "k", severity: "fatal", message: "m", advice: "a" }] } }, /field "diagnosis" is of the wrong type/);
  });

  test("\"event\" records are read; records of an unknown kind are skipped with one note per kind, naming the first line", () => {
    const lines = [
      { kind: "step", step: 1, epoch: 1, loss: 1, lr: 0.1, gradNorm: 1 },
      { kind: "event", step: 1, epoch: 1, message: "divergence guard: rolled back" },
      { kind: "hyper", x: 1 },
      { kind: "hyper", x: 2 },
    ];
    const run = mn.report.readRun(writeRunDir(jsonl(lines)));
    assert.deepEqual(run.history.events, [{ step: 1, epoch: 1, message: "divergence guard: rolled back" }]);
    assert.equal(run.notes.length, 1);
    assert.match(run.notes[0]!, /metrics\.jsonl:3: ignored 2 records of unknown kind "hyper"/);
    assert.throws(() => mn.report.readRun(writeRunDir(jsonl([{ kind: "event", step: 1, epoch: 1 }]))), /metrics\.jsonl:1: field "message" is missing; expected a string/);
  });

  test("old runs' epoch lines without \"kind\" (trainLoss, trainAccuracy) are read as epochs", () => {
    const old = [
      { epoch: 1, trainLoss: 0.9, trainAccuracy: 0.7, valLoss: 0.8, valAccuracy: 0.75, testLoss: 0.82, testAccuracy: 0.74, lr: 0.05, seconds: 2, samplesPerSecond: 1000 },
      { epoch: 2, trainLoss: 0.5, trainAccuracy: 0.85, valLoss: null, valAccuracy: null, testLoss: 0.6, testAccuracy: 0.83, lr: 0.05, seconds: 2, samplesPerSecond: 1000 },
    ];
    const run = mn.report.readRun(writeRunDir(jsonl(old)));
    assert.deepEqual(run.history.epochs.map((e) => [e.epoch, e.loss, e.accuracy, e.valLoss, e.testAccuracy]), [[1, 0.9, 0.7, 0.8, 0.74], [2, 0.5, 0.85, null, 0.83]]);
    assert.ok(Number.isNaN(run.history.epochs[0]!.steps), "old lines did not count steps");
    assert.equal(run.history.steps.length, 0);
    // minima compare wrote one such run per optimizer into one file: refused, not mixed up.
    const compare = old.map((r, i) => ({ ...r, epoch: 1, optimizer: i === 0 ? "sgd" : "adam" }));
    assert.throws(() => mn.report.readRun(writeRunDir(jsonl(compare))), /metrics\.jsonl:2: the file holds runs of several optimizers \(sgd, adam\)/);
  });

  test("a resumed run that appended replaces what it replayed, and its old end line no longer counts", () => {
    const first = syntheticRecords({ epochs: 2, stepsPerEpoch: 5, end: { stopReason: "killed", diagnosis: null } });
    // Resumed from the end of epoch 1: epoch 2's steps and the epoch line come again, with other losses.
    const again = syntheticRecords({ epochs: 3, stepsPerEpoch: 5 }).filter((r) => (r as { epoch: number }).epoch >= 2)
      .map((r) => ("loss" in r ? { ...r, loss: 0.123 } : r));
    const run = mn.report.readRun(writeRunDir(jsonl([...first, ...again])));
    assert.deepEqual(run.history.steps.map((s) => s.step), Array.from({ length: 15 }, (_, i) => i + 1));
    assert.deepEqual(run.history.epochs.map((e) => e.epoch), [1, 2, 3]);
    assert.equal(run.history.steps[5]!.loss, 0.123);
    assert.equal(run.history.epochs[1]!.loss, 0.123);
    assert.equal(new Set(run.history.layers.map((l) => `${l.step} ${l.name}`)).size, run.history.layers.length, "one layer record per step and name");
    assert.equal(run.stopReason, null);
    assert.equal(run.finished, false);
  });

  test("a missing folder, a file, and a folder without metrics.jsonl are refused with what was expected", () => {
    const root = mkdtempSync(join(tmpdir(), "minima-report-"));
    assert.throws(() => mn.report.readRun(join(root, "nope")), /readRun: no run directory at .*nope$/);
    writeFileSync(join(root, "file"), "x");
    assert.throws(() => mn.report.readRun(join(root, "file")), /is a file, not a run directory/);
    assert.throws(() => mn.report.readRun(root), /is not a run directory: it has no metrics\.jsonl; expected a folder written by minima train/);
    const noConfig = mn.report.readRun(writeRunDir(jsonl(syntheticRecords({ epochs: 1, stepsPerEpoch: 2 })), null));
    assert.equal(noConfig.config, null);
    const badConfig = writeRunDir("");
    writeFileSync(join(badConfig, "config.json"), "{");
    assert.throws(() => mn.report.readRun(badConfig), /config\.json: not valid JSON/);
  });
});
