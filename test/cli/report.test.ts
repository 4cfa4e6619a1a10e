import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { decodePng } from "../helpers/decode-png.js";
import { jsonl, syntheticRecords, writeRunDir } from "../report/synthetic-run.js";
import { useCli } from "./run-minima.js";

const minima = useCli().run;

const PLOTS = ["loss", "accuracy", "step-loss", "lr", "grad-norm", "gap", "update-ratio"];

describe("minima report", () => {
  test("--png writes report.html and one PNG per chart into the run directory, and prints their paths", () => {
    const diagnosis = { summary: "Overfits after epoch 3.", findings: [{ kind: "overfitting", severity: "warning" as const, message: "Validation loss rose.", advice: "Stop earlier." }] };
    const dir = writeRunDir(jsonl(syntheticRecords({ epochs: 4, stepsPerEpoch: 20, end: { stopReason: null, diagnosis } })));
    const r = minima("report", dir, "--png");
    assert.equal(r.code, 0, r.err);
    const expected = [join(dir, "report.html"), ...PLOTS.map((p) => join(dir, "plots", `${p}.png`))];
    assert.deepEqual(r.out.trim().split("\n"), expected);
    const html = readFileSync(expected[0]!, "utf8");
    for (const p of PLOTS) assert.match(html, new RegExp(`<figure id="plot-${p}">\\n<svg`), p);
    assert.ok(html.includes("<h1>run-1</h1>"), "titled with the run's folder name");
    // The run is diagnosed afresh, not read from its "end" line.
    const fresh = mn.train.diagnose(mn.report.readRun(dir).history);
    const escaped = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    assert.ok(html.includes(`<p class="summary-text">${escaped(fresh.summary)}</p>`), fresh.summary);
    assert.ok(!html.includes("Overfits after epoch 3."));
    assert.equal((html.match(/<li class="finding /g) ?? []).length, fresh.findings.length);
    for (const png of expected.slice(1)) {
      const image = decodePng(readFileSync(png));
      assert.equal(image.width, 1440, png);
    }
  });

  test("--png again after a chart lost its data removes that chart's old PNG instead of leaving it looking current", () => {
    const dir = writeRunDir(jsonl(syntheticRecords({ epochs: 2, stepsPerEpoch: 10 })));
    assert.equal(minima("report", dir, "--png").code, 0);
    assert.ok(existsSync(join(dir, "plots", "update-ratio.png")));
    writeFileSync(join(dir, "metrics.jsonl"), jsonl(syntheticRecords({ epochs: 2, stepsPerEpoch: 10, layers: false })));
    const r = minima("report", dir, "--png");
    assert.equal(r.code, 0, r.err);
    assert.ok(!existsSync(join(dir, "plots", "update-ratio.png")));
    assert.ok(existsSync(join(dir, "plots", "loss.png")));
  });

  test("without --png only report.html is written; a torn last line is reported on stderr, not fatal", () => {
    const dir = writeRunDir(jsonl(syntheticRecords({ epochs: 1, stepsPerEpoch: 5 })) + `{"kind":"st`);
    const r = minima("report", dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, join(dir, "report.html") + "\n");
    assert.match(r.err, /minima report: .*metrics\.jsonl:\d+: ignored a torn last line/);
    assert.ok(!existsSync(join(dir, "plots")));
  });

  test("a missing run, a folder that is no run, a corrupt line (exit 1: failures) and a missing argument (exit 2: usage) are refused clearly", () => {
    const missing = minima("report", "/no/such/run-minima");
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^minima: readRun: no run directory at \/no\/such\/run-minima/);
    const notARun = minima("report", join(writeRunDir(""), ".."));
    assert.equal(notARun.code, 1);
    assert.match(notARun.err, /is not a run directory: it has no metrics\.jsonl/);
    const corrupt = minima("report", writeRunDir(`{"kind":"step"\n{}\n`));
    assert.equal(corrupt.code, 1);
    assert.match(corrupt.err, /metrics\.jsonl:1: not valid JSON/);
    const none = minima("report");
    assert.equal(none.code, 2);
    assert.match(none.err, /missing required argument 'run'/);
  });
});
