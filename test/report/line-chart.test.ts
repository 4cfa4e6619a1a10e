import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

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

  test("xScale log places decades evenly (closed form: 1e-7..10 spans 70..570, 1e-3 at 70 + 500·4/8) and leaves out x <= 0", () => {
    const chart = mn.report.lineChart({ title: "lr find", xLabel: "learning rate", yLabel: "loss", xScale: "log",
      series: [{ name: "a", x: [0, 1e-7, 1e-3, 10], y: [5, 2, 1, 2] }] });
    const path = /<path d="([^"]*)"/.exec(chart)![1]!;
    const points = path.replace(/^M/, "").split("L").map((p) => Number(p.split(",")[0]));
    assert.deepEqual(points.map((v) => +v.toFixed(9)), [70, 320, 570]);
    const xLabels = [...chart.matchAll(/<text x="[\d.]+" y="390" text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]).filter((l) => l !== "");
    assert.deepEqual(xLabels, ["1e-7", "1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10"]);
  });

  test("mismatched x and y lengths fail naming the series", () => {
    assert.throws(() => mn.report.lineChart({ title: "", xLabel: "", yLabel: "", series: [{ name: "bad", x: [1, 2], y: [1] }] }),
      /series "bad" has 2 x values and 1 y values/);
  });

  test("a reference line is dashed, labelled and widens the y range to stay in view; series colour and opacity are kept", () => {
    const chart = mn.report.lineChart({ title: "r", xLabel: "step", yLabel: "ratio", yScale: "log", references: [{ y: 1e-3, label: "1e-3 <ref>" }],
      series: [{ name: "w", x: [0, 1], y: [1e-2, 1e-1], color: "#123456", opacity: 0.3 }] });
    const dashed = /<line x1="70" x2="570" y1="([\d.]+)" y2="\1" stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"\/>/.exec(chart);
    assert.ok(dashed, "a dashed line across the plot area");
    // The y domain 1e-3..1e-1 spans 372..36 on a log scale, so 1e-3 sits on the bottom edge.
    assert.equal(Number(dashed[1]), 372);
    assert.ok(chart.includes("1e-3 &lt;ref&gt;"));
    assert.match(chart, /<path d="[^"]*" fill="none" stroke="#123456" stroke-width="2" stroke-opacity="0.3">/);
  });

  test("integerX ticks only whole numbers, without decimals; log ticks below 1e-3 read 1e-6, not 0.000001", () => {
    const chart = mn.report.lineChart({ title: "", xLabel: "epoch", yLabel: "", yScale: "log", integerX: true, series: [{ name: "a", x: [1, 2, 3], y: [1e-6, 1e-4, 1e-2] }] });
    const xLabels = [...chart.matchAll(/<text x="[\d.]+" y="390" text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(xLabels, ["1", "2", "3"]);
    const yLabels = [...chart.matchAll(/text-anchor="end" dominant-baseline="middle">([^<]+)<\/text>/g)].map((m) => m[1]);
    assert.ok(yLabels.includes("1e-6") && yLabels.includes("1e-4") && yLabels.includes("0.01"), yLabels.join(" "));
  });

  test("200,000 points do not overflow the call stack (no Math.min(...xs))", () => {
    const n = 200_000, x = Array.from({ length: n }, (_, i) => i);
    assert.doesNotThrow(() => mn.report.lineChart({ title: "", xLabel: "", yLabel: "", series: [{ name: "a", x, y: x }] }));
  });

  test("a constant series is drawn mid-chart on a range of its own size (lr 0.05 → 0.025..0.075), not on ±1", () => {
    const chart = mn.report.lineChart({ title: "", xLabel: "", yLabel: "", series: [{ name: "lr", x: [0, 1], y: [0.05, 0.05] }] });
    const path = /<path d="M([\d.]+),([\d.]+)L([\d.]+),([\d.]+)"/.exec(chart)!;
    // nice() rounds the range outward a little, so "mid-chart" is the middle third of 36..372.
    assert.ok(Number(path[2]) > 148 && Number(path[2]) < 260, `y = ${path[2]}`);
    const yLabels = [...chart.matchAll(/text-anchor="end" dominant-baseline="middle">([^<]+)<\/text>/g)].map((m) => Number(m[1]));
    assert.ok(Math.min(...yLabels) >= 0.02 && Math.max(...yLabels) <= 0.08, yLabels.join(" "));
  });
});

describe("report.lineChart: markers and legends of its own (study reports)", () => {
  test("a series with one point gets a dot there (a line through it draws nothing); a cross marks a series' last point; legend: [] draws no legend row", () => {
    const chart = mn.report.lineChart({ title: "", xLabel: "", yLabel: "", legend: [], series: [{ name: "one", x: [0], y: [1] }, { name: "two", x: [0, 4], y: [0, 2], endMarker: "cross" }] });
    // x 0..4 → 70..570, y 0..2 → 372..36 (the plot area's closed form, as above).
    assert.match(chart, /<circle cx="70" cy="204" r="2.5" fill="#0072B2"\/>/);
    assert.match(chart, /<path d="M565,31L575,41M565,41L575,31" stroke="#E69F00" stroke-width="2" fill="none"\/>/);
    assert.ok(!/<text x="608"/.test(chart), "no legend text");
  });
});
