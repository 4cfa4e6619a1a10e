import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { encodeRecord, parseRunLog, runLogHeader, type RunRecord } from "../../src/io/run-log.js";
import { minMaxDownsample } from "../../src/report/downsample.js";
import { RunSeries } from "../../web/run-data/run-series.js";
import { SmoothedSeries } from "../../web/run-data/smoothed.js";
import { readRunViewSettings, runViewQuery } from "../../web/run-data/run-view-settings.js";
import { runCharts } from "../../web/run-data/run-charts.js";

/** A run log of `steps` steps (3 per epoch), with layer records, an epoch record per epoch and an end. */
function runLog(steps: number, from = 1): RunRecord[] {
  const records: RunRecord[] = [];
  for (let s = from; s < from + steps; s++) {
    const epoch = Math.ceil(s / 3);
    records.push({ kind: "layer", step: s, epoch, name: "0.weight", weightNorm: 2, gradNorm: 1, updateNorm: 0.01 * s, ratio: 0.005 * s });
    records.push({ kind: "step", step: s, epoch, loss: 1 / s + (s % 2) * 0.1, lr: 0.1, gradNorm: s });
    if (s % 3 === 0) records.push({ kind: "epoch", epoch, loss: 1 / s, accuracy: 0.5, valLoss: null, valAccuracy: null, testLoss: null, testAccuracy: null, lr: 0.1, steps: s, seconds: 1 });
  }
  return records;
}

describe("web run-data: a run log read line by line", () => {
  test("gives the columns parseRunLog gives for the whole file, also across a resume that rewinds (records going back in time)", () => {
    const records: RunRecord[] = [runLogHeader(), ...runLog(9), ...runLog(5, 4), { kind: "end", stopReason: null, diagnosis: { summary: "ok", findings: [] } }];
    const lines = records.map(encodeRecord);
    const series = new RunSeries("m.jsonl");
    for (const line of lines) series.push(line);
    const whole = parseRunLog(lines.join("\n") + "\n", "m.jsonl").history;
    assert.deepEqual(series.steps, {
      step: whole.steps.map((s) => s.step), loss: whole.steps.map((s) => s.loss), lr: whole.steps.map((s) => s.lr), gradNorm: whole.steps.map((s) => s.gradNorm),
    });
    assert.deepEqual(series.steps.step, [1, 2, 3, 4, 5, 6, 7, 8], "the resume at step 4 replaced steps 4..9");
    assert.deepEqual(series.epochs, whole.epochs);
    assert.deepEqual([...series.layerRatios().get("0.weight")!.step], whole.layers.map((l) => l.step));
    assert.equal(series.finished, true);
    assert.equal(series.diagnosis?.summary, "ok");
  });

  test("a line it cannot read is kept as a problem naming the line, and the lines after it are read", () => {
    const series = new RunSeries("runs/a/metrics.jsonl");
    series.push(encodeRecord(runLogHeader()));
    series.push('{"kind":"step","step":1}');
    series.push(encodeRecord({ kind: "step", step: 1, epoch: 1, loss: 0.5, lr: 0.1, gradNorm: 1 }));
    assert.deepEqual(series.problems, ['runs/a/metrics.jsonl:2: field "epoch" is missing; expected a number, got undefined']);
    assert.deepEqual(series.steps.loss, [0.5]);
  });
});

describe("web run-data: smoothing", () => {
  test("the bias-corrected EWMA of x_t = t matches its closed form (1−w)·Σ w^(t−k)·k / (1 − w^t)", () => {
    const w = 0.9, n = 200, x = Array.from({ length: n }, (_, i) => i + 1);
    const smoothed = new SmoothedSeries(w).of(x);
    for (let t = 1; t <= n; t++) {
      // Σ_{j=0}^{t−1} w^j (t−j) = t(1−w^t)/(1−w) − w(1 − t·w^(t−1) + (t−1)w^t)/(1−w)²
      const sum = (t * (1 - w ** t)) / (1 - w) - (w * (1 - t * w ** (t - 1) + (t - 1) * w ** t)) / (1 - w) ** 2;
      const closed = ((1 - w) * sum) / (1 - w ** t);
      assert.ok(Math.abs(smoothed[t - 1]! - closed) <= 1e-9 * closed, `t=${t}: ${smoothed[t - 1]} vs ${closed}`);
    }
    assert.equal(smoothed[0], 1, "no pull toward 0 at the first point");
  });

  test("extended as the series grows, it equals the library's ewmaSeries of the whole series; weight 0 is the raw series", () => {
    const s = new SmoothedSeries(0.6), values: number[] = [];
    for (let i = 0; i < 50; i++) {
      values.push(Math.cos(i) * 3 + i);
      s.of(values);
    }
    assert.deepEqual([...s.of(values)], mn.optim.ewmaSeries(values, 0.6));
    assert.deepEqual([...new SmoothedSeries(0).of(values)], values);
    const rewound = values.slice(0, 20);
    assert.deepEqual([...s.of(rewound)], mn.optim.ewmaSeries(rewound, 0.6), "a new array (a rewind) starts over");
  });

  test("smoothing does not depend on the downsampling: every drawn smoothed point is the full series' smoothed value at that step, at any chart width", () => {
    const n = 30_000, x = Array.from({ length: n }, (_, i) => i + 1), y = x.map((i) => 1 / Math.sqrt(i) + ((i * 7919) % 13) / 40);
    const full = new SmoothedSeries(0.95).of(y);
    for (const width of [60, 300, 1200]) {
      const drawn = minMaxDownsample(x, full, width);
      assert.ok(drawn.x.length < n);
      drawn.x.forEach((step, i) => assert.equal(drawn.y[i], full[step - 1]));
    }
  });
});

describe("web run-data: the run page's settings in the URL", () => {
  test("reads smooth, logy, logx and compare, and names each value that is not a setting with what it used instead", () => {
    const read = (q: string) => readRunViewSettings(new URLSearchParams(q));
    assert.deepEqual(read(""), { settings: { smooth: 0.6, logY: false, logX: false, compare: [] }, problems: [] });
    assert.deepEqual(read("smooth=0.95&logy=1&logx=0&compare=runs/b,runs/c,runs/b"), { settings: { smooth: 0.95, logY: true, logX: false, compare: ["runs/b", "runs/c"] }, problems: [] });
    assert.deepEqual(read("smooth=1&logy=yes").problems, [
      "smooth=1 in the URL is not a smoothing weight (a number from 0 to 0.999): using 0.6",
      "logy=yes in the URL is not 0 or 1: using 0",
    ]);
    assert.deepEqual(read("smooth=&logx=").problems, [
      "smooth= in the URL is not a smoothing weight (a number from 0 to 0.999): using 0.6",
      "logx= in the URL is not 0 or 1: using 0",
    ]);
    assert.equal(read("smooth=-0.1").settings.smooth, 0.6);
  });

  test("runViewQuery writes back what readRunViewSettings reads, leaving defaults out", () => {
    const settings = { smooth: 0.9, logY: true, logX: false, compare: ["runs/b"] };
    const query = Object.entries(runViewQuery(settings)).filter((e): e is [string, string] => e[1] !== null);
    assert.deepEqual(query, [["smooth", "0.9"], ["logy", "1"], ["compare", "runs/b"]]);
    assert.deepEqual(readRunViewSettings(new URLSearchParams(query)).settings, settings);
    assert.deepEqual(runViewQuery({ smooth: 0.6, logY: false, logX: false, compare: [] }), { smooth: null, logy: null, logx: null, compare: null });
  });
});

describe("web run-data: the run page's charts", () => {
  const series = (records: RunRecord[]) => {
    const s = new RunSeries("m.jsonl");
    for (const r of records) s.push(encodeRecord(r));
    return s;
  };

  test("one run: the loss per step raw and smoothed, per-epoch loss and accuracy by split, lr, gradient norm (log), per-layer ratios with the 1e-3 line", () => {
    const s = series([runLogHeader(), ...runLog(6)]);
    const charts = runCharts([{ name: "a", series: s, smoothedLoss: new SmoothedSeries(0.6).of(s.steps.loss) }], { smooth: 0.6, logY: false, logX: false });
    assert.deepEqual(charts.map((c) => [c.name, c.logY, c.lines.map((l) => l.label)]), [
      ["step-loss", false, ["loss", "smoothed (w=0.6)"]],
      ["epoch-loss", false, ["train"]],
      ["accuracy", false, ["train"]],
      ["lr", false, ["lr"]],
      ["grad-norm", true, ["gradient norm"]],
      ["update-ratio", true, ["0.weight", "1e-3 (rule of thumb)"]],
    ]);
    assert.deepEqual(charts[0]!.lines[1]!.y, mn.optim.ewmaSeries(s.steps.loss, 0.6));
    assert.deepEqual(Array.from(charts[5]!.lines[1]!.x), [1, 6]);
  });

  test("a run just started shows its (empty) loss chart and nothing else; several runs are named in the labels; smoothing 0 draws the raw loss only", () => {
    const empty = series([runLogHeader()]);
    assert.deepEqual(runCharts([{ name: "a", series: empty, smoothedLoss: [] }], { smooth: 0.6, logY: false, logX: false }).map((c) => c.name), ["step-loss"]);
    const a = series([runLogHeader(), ...runLog(3)]), b = series([runLogHeader(), ...runLog(3)]);
    const charts = runCharts([{ name: "a", series: a, smoothedLoss: [] }, { name: "b", series: b, smoothedLoss: [] }], { smooth: 0, logY: true, logX: true });
    assert.deepEqual(charts.find((c) => c.name === "step-loss")!.lines.map((l) => l.label), ["a loss", "b loss"]);
    assert.deepEqual(charts.find((c) => c.name === "epoch-loss")!.lines.map((l) => [l.label, l.color, l.dash ?? null]), [["a train", "#0072B2", null], ["b train", "#E69F00", null]]);
    assert.ok(charts.every((c) => c.logX));
  });
});
