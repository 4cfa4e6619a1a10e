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
});
