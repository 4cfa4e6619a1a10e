import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { thin } from "../../src/report/run-plots.js";
import * as mn from "../../src/index.node.js";

describe("report.runPlots", () => {
  test("thin keeps short series whole, and cuts long ones to about 4000 points that keep every bucket's extremes (a spike survives)", () => {
    assert.deepEqual(thin([1, 2, 3], [3, 2, 1]), { x: [1, 2, 3], y: [3, 2, 1] });
    const n = 100_000, x = Array.from({ length: n }, (_, i) => i + 1), y = x.map((i) => 1 / Math.sqrt(i));
    y[54_321] = 50;
    y[77_777] = NaN;
    const t = thin(x, y);
    // Two points a bucket (its low and high), and one more in the bucket that holds the NaN.
    assert.ok(t.x.length <= 4001 && t.x.length >= 3000, `${t.x.length} points`);
    assert.ok(t.x.every((v, i) => i === 0 || v > t.x[i - 1]!), "x stays in order");
    assert.equal(t.y[t.x.indexOf(54_322)], 50, "the spike is kept");
    assert.ok(Number.isNaN(t.y[t.x.indexOf(77_778)]!), "the NaN is kept, so the line breaks there");
    assert.equal(t.x[0], 1);
    assert.equal(Math.min(...t.y.filter(Number.isFinite)), 1 / Math.sqrt(n), "the last bucket's low is kept");
  });

  test("a 100,000-step run charts in well under a second of SVG, with thinned paths", () => {
    const h = new mn.train.History();
    for (let s = 1; s <= 100_000; s++) h.steps.push({ step: s, epoch: Math.ceil(s / 1000), loss: 2 / Math.sqrt(s), lr: 0.1, gradNorm: 1 });
    const started = performance.now();
    const plots = mn.report.runPlots(h);
    const seconds = (performance.now() - started) / 1000;
    const stepLoss = plots.find((p) => p.name === "step-loss")!.svg!;
    const longest = Math.max(...[...stepLoss.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!.split("L").length));
    assert.ok(longest <= 4000, `${longest} points in a path`);
    assert.ok(seconds < 5, `${seconds.toFixed(2)} s`);
  });

  test("fit's metrics get a chart each (train, validation, test lines); a run without metrics gets none", () => {
    const h = new mn.train.History();
    const base = { loss: 1, accuracy: null, valLoss: null, valAccuracy: null, testLoss: null, testAccuracy: null, lr: 0.1, seconds: 1 };
    h.epochs.push({ ...base, epoch: 1, steps: 10, metrics: { top5Accuracy: { train: 0.5, val: 0.4, test: null } } });
    h.epochs.push({ ...base, epoch: 2, steps: 20, metrics: { top5Accuracy: { train: 0.7, val: 0.6, test: null } } });
    const chart = mn.report.runPlots(h).find((p) => p.name === "metric-top5Accuracy")!;
    assert.match(chart.svg!, /top5Accuracy per epoch/);
    // Two lines, in the legend: train and validation; no test line (none measured).
    assert.deepEqual([...chart.svg!.matchAll(/dominant-baseline="middle">(train|validation|test)<\/text>/g)].map((m) => m[1]), ["train", "validation"]);
    h.epochs.forEach((e) => delete e.metrics);
    assert.equal(mn.report.runPlots(h).some((p) => p.name.startsWith("metric-")), false);
  });

  test("a confusion record draws the matrix (every count, the class names on both axes) and each class's accuracy, its row's diagonal share", () => {
    const classes = ["T-shirt/top", "Trouser", "Bag & <co>"];
    const matrix = [[8, 1, 1], [0, 5, 0], [3, 0, 1]];
    const plots = mn.report.runPlots(new mn.train.History(), { split: "test", classes, matrix });
    const cm = plots.find((p) => p.name === "confusion-matrix")!.svg!;
    assert.match(cm, /Confusion matrix on the test set \(19 samples\)/);
    // Cells are drawn row by row: the counts in order.
    assert.deepEqual([...cm.matchAll(/font-size="\d+" fill="#[0-9a-f]+">(\d+)<\/text>/g)].map((m) => Number(m[1])), matrix.flat());
    for (const name of ["T-shirt/top", "Trouser", "Bag &amp; &lt;co&gt;"]) assert.equal(cm.split(`>${name}</text>`).length - 1, 2, name);
    const bars = plots.find((p) => p.name === "per-class-accuracy")!.svg!;
    assert.deepEqual([...bars.matchAll(/>(\d+\.\d\d)%<\/text>/g)].map((m) => m[1]), ["80.00", "100.00", "25.00"]);
    const empty = mn.report.runPlots(new mn.train.History(), { split: "val", classes: ["a", "b"], matrix: [[1, 0], [0, 0]] });
    assert.match(empty.find((p) => p.name === "per-class-accuracy")!.svg!, />no samples<\/text>/);
  });
});
