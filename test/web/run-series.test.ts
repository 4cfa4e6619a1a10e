import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { encodeRecord, parseRunLog, runLogHeader, type RunRecord } from "../../src/io/run-log.js";
import { minMaxDownsample } from "../../src/report/downsample.js";
import { RunSeries } from "../../web/run-data/run-series.js";
import { SmoothedSeries } from "../../web/run-data/smoothed.js";

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
