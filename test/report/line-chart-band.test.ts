import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

describe("report.lineChart: a series' band", () => {
  test("is a shaded area from lower to upper under the line, and widens the y range (closed form: margins 70/150/36/48)", () => {
    const svg = mn.report.lineChart({ title: "t", xLabel: "step", yLabel: "loss", width: 720, height: 420,
      series: [{ name: "adam", x: [0, 2, 4], y: [10, 20, 30], band: { lower: [0, 10, 20], upper: [20, 30, 40] } }] });
    const paths = [...svg.matchAll(/<path d="([^"]*)"([^>]*)>/g)];
    assert.equal(paths.length, 2);
    // y 0..40 (the band's range, wider than the line's) spans 372..36; x 0..4 spans 70..570. The area runs along
    // the upper values, back along the lower ones, and closes.
    assert.equal(paths[0]![1], "M70,204L320,120L570,36L570,204L320,288L70,372Z");
    assert.match(paths[0]![2]!, /fill="#0072B2" fill-opacity="0.2" stroke="none"/);
    assert.equal(paths[1]![1], "M70,288L320,204L570,120");
  });

  test("a band whose length is not the series' fails naming the series (exact text)", () => {
    assert.throws(() => mn.report.lineChart({ title: "", xLabel: "", yLabel: "", series: [{ name: "sgd", x: [1, 2], y: [1, 2], band: { lower: [1], upper: [2, 3] } }] }),
      { message: 'lineChart: series "sgd" has 2 x values and a band of 1 lower and 2 upper values' });
  });

  test("on a log scale, band points that are not positive are left out rather than drawn at -Infinity", () => {
    const svg = mn.report.lineChart({ title: "", xLabel: "", yLabel: "", yScale: "log",
      series: [{ name: "a", x: [0, 1, 2], y: [1, 0.5, 0.1], band: { lower: [0.5, 0, 0.05], upper: [2, 1, 0.2] } }] });
    assert.ok(!/NaN|Infinity/.test(svg));
  });
});
