import { test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const { slicePlot, lineChart, contourPlot } = mn.report;

test("slicePlot: a 1-D slice is the loss against α as a line chart, without a legend", () => {
  const result = { alphas: [[-1, 0, 1]], shape: [3], losses: [2, 0.5, 1.5], accuracies: [null, null, null] };
  assert.equal(slicePlot(result, { title: "t", axes: ["α"] }),
    lineChart({ title: "t", xLabel: "α", yLabel: "loss", series: [{ name: "loss", x: [-1, 0, 1], y: [2, 0.5, 1.5] }], legend: [] }));
});

test("slicePlot: a 2-D slice is contours with log-spaced levels when every loss is positive, linear ones otherwise (a NaN cell), the model starred at the origin", () => {
  const xs = [-1, 0, 1], ys = [-1, 0, 1];
  const losses = ys.flatMap((y) => xs.map((x) => 0.1 + x * x + 10 * y * y));
  const model = { x: 0, y: 0, label: "model", shape: "star" as const };
  const grid = { x: xs, y: ys, values: losses };
  const result = { alphas: [xs, ys], shape: [3, 3], losses, accuracies: losses.map(() => null) };
  assert.equal(slicePlot(result, { title: "t", axes: ["a", "b"] }),
    contourPlot({ title: "t", xLabel: "a", yLabel: "b", grid, levelScale: "log", paths: [], points: [model] }));
  const withNaN = losses.map((l, i) => (i === 8 ? Number.NaN : l));
  assert.equal(slicePlot({ ...result, losses: withNaN }, { title: "t", axes: ["a", "b"] }),
    contourPlot({ title: "t", xLabel: "a", yLabel: "b", grid: { ...grid, values: withNaN }, levelScale: "linear", paths: [], points: [model] }));
});
