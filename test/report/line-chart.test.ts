import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.js";

describe("report.lineChart", () => {
  const series = [{ name: "sgd <1>", x: [0, 1, 2, 3, 4], y: [0, 10, 20, 30, 40] }, { name: "adam", x: [0, 4], y: [40, 0] }];
  const svg = mn.report.lineChart({ title: "t", xLabel: "step", yLabel: "loss", series, width: 720, height: 420 });

  test("one path per series, mapped linearly onto the plot area (closed form: margins 70/150/36/48)", () => {
    const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
    assert.equal(paths.length, 2);
    // x 0..4 spans 70..570 and y 0..40 spans 372..36, so the points are exact.
    const points = paths[0]!.replace(/^M/, "").split("L").map((p) => p.split(",").map(Number));
    assert.deepEqual(points, [[70, 372], [195, 288], [320, 204], [445, 120], [570, 36]]);
  });

  test("names are escaped and shown in the legend", () => {
    assert.ok(svg.includes("sgd &lt;1&gt;"));
    assert.ok(!svg.includes("sgd <1>"));
    assert.ok(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  });

  test("log scale leaves out non-positive values instead of drawing -Infinity", () => {
    const log = mn.report.lineChart({ title: "lr", xLabel: "step", yLabel: "lr", yScale: "log", series: [{ name: "a", x: [0, 1, 2], y: [1, 0, 0.01] }] });
    assert.ok(!/NaN|Infinity/.test(log));
  });

  test("mismatched x and y lengths fail naming the series", () => {
    assert.throws(() => mn.report.lineChart({ title: "", xLabel: "", yLabel: "", series: [{ name: "bad", x: [1, 2], y: [1] }] }),
      /series "bad" has 2 x values and 1 y values/);
  });
});
