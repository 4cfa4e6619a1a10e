import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

const { decisionRegions, classGrid, probabilityGrid } = mn.report;

/** Okabe & Ito's blue, orange and green mixed with 70% white, rounded per channel (the figure's region tints). */
const tint = (hex: string) => "#" + [1, 3, 5].map((at) => Math.round(0.3 * parseInt(hex.slice(at, at + 2), 16) + 0.7 * 255).toString(16).padStart(2, "0")).join("");
const BLUE = "#0072B2", ORANGE = "#E69F00";

const regions = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#\w+)"\/>/g)].map((m) => m.slice(1));

describe("decisionRegions (SVG geometry by hand: plot area x 70..570, y 36..552 of 720×600)", () => {
  const svg = decisionRegions({
    title: "t", xLabel: "x₁", yLabel: "x₂", classNames: ["<a>", "b"],
    grid: { x: [0, 1, 2], y: [0, 1], classes: [0, 0, 1, 1, 1, 1] },
    points: { x: [1, 2], y: [0, 1], label: [1, 0] },
  });

  test("each row's run of one class is one rectangle, tiling the plot: cells reach half a step past the outer nodes", () => {
    // x: [-0.5, 2.5] over 500 px, so 166.67 px a cell; y: [-0.5, 1.5] over 516 px, 258 px a cell (+0.5 px overlap each).
    assert.deepEqual(regions(svg), [
      ["70.0", "294.0", "333.8", "258.5", tint(BLUE)],
      ["403.3", "294.0", "167.2", "258.5", tint(ORANGE)],
      ["70.0", "36.0", "500.5", "258.5", tint(ORANGE)],
    ]);
    assert.equal(tint(BLUE), "#b3d5e8");
  });

  test("the points sit on their nodes, in their true class's colour; class names are escaped in the legend", () => {
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="3" fill="(#\w+)"\/>/g)].map((m) => m.slice(1));
    assert.deepEqual(dots.slice(0, 2), [["320.0", "423.0", ORANGE], ["486.7", "165.0", BLUE]]);
    assert.match(svg, /<text x="18" dy="0.32em">&lt;a&gt;<\/text>/);
    assert.doesNotMatch(svg, /<a>/);
  });

  testErrorCases([
    ["a grid of one column", () => decisionRegions({ title: "", xLabel: "", yLabel: "", classNames: [], grid: { x: [0], y: [0, 1], classes: [0, 0] }, points: { x: [], y: [], label: [] } }),
      "decisionRegions: the grid has 1×2 nodes; expected at least 2×2"],
    ["classes that do not fill the grid", () => decisionRegions({ title: "", xLabel: "", yLabel: "", classNames: [], grid: { x: [0, 1], y: [0, 1], classes: [0] }, points: { x: [], y: [], label: [] } }),
      "decisionRegions: the grid has 2×2 nodes but 1 classes"],
    ["points without labels", () => decisionRegions({ title: "", xLabel: "", yLabel: "", classNames: [], grid: { x: [0, 1], y: [0, 1], classes: [0, 0, 0, 0] }, points: { x: [1], y: [1], label: [] } }),
      "decisionRegions: the points have 1 x, 1 y values and 0 labels"],
  ]);
});

describe("classGrid (closed form: a linear model whose class is 0 where its inputs have x > y)", () => {
  test("nodes span the points' range widened by 5%; class 0 exactly where x > y − 1, the standardization shifting y by 1; the model's mode is restored", () => {
    const model = new mn.nn.Linear(2, 2);
    model.weight.data.set([1, 0, 0, 1]);
    model.bias!.data.set([0, 0]);
    const points = { x: [0, 1], y: [0, 2] };
    // Per feature: x stays, y becomes y − 1, so the model sees x > y − 1 (without the standardization: x > y).
    const preprocessing = { inputShape: [2], standardize: { perFeature: true, mean: [0, 1], std: [1, 1] } };
    const grid = classGrid(model, preprocessing, points, 7);
    const nodes = (lo: number, hi: number) => Array.from({ length: 7 }, (_, i) => lo - 0.05 * (hi - lo) + (1.1 * (hi - lo) * i) / 6);
    grid.x.forEach((v, i) => assert.ok(Math.abs(v - nodes(0, 1)[i]!) < 1e-12, `x[${i}]`));
    grid.y.forEach((v, j) => assert.ok(Math.abs(v - nodes(0, 2)[j]!) < 1e-12, `y[${j}]`));
    const expected = grid.y.flatMap((y) => grid.x.map((x) => (Math.fround(x) > Math.fround(y) - 1 ? 0 : 1)));
    assert.deepEqual(Array.from(grid.classes), expected);
    assert.ok(expected.includes(0) && expected.includes(1));
    assert.equal(model.training, true);
  });
});

describe("probabilityGrid (closed form: a linear model's two outputs x and y, so p(class 1) = 1 / (1 + e^(x − y)))", () => {
  test("the same nodes and classes as classGrid; each node's probabilities are the logistic of the outputs' difference and sum to 1", () => {
    const model = new mn.nn.Linear(2, 2);
    model.weight.data.set([1, 0, 0, 1]);
    model.bias!.data.set([0, 0]);
    const points = { x: [-2, 1], y: [0, 3] }, preprocessing = { inputShape: [2], standardize: null };
    const grid = probabilityGrid(model, preprocessing, points, 9), plain = classGrid(model, preprocessing, points, 9);
    assert.deepEqual(grid.x, plain.x);
    assert.deepEqual(grid.y, plain.y);
    assert.deepEqual(Array.from(grid.classes), Array.from(plain.classes));
    assert.equal(grid.classCount, 2);
    assert.equal(grid.probabilities.length, 2 * 81);
    grid.y.forEach((y, j) => grid.x.forEach((x, i) => {
      const node = j * 9 + i, p1 = 1 / (1 + Math.exp(Math.fround(x) - Math.fround(y)));
      // float32 outputs: within a few units of float32's rounding of numbers ≤ 1.
      assert.ok(Math.abs(grid.probabilities[2 * node + 1]! - p1) < 1e-6, `node (${x}, ${y}): ${grid.probabilities[2 * node + 1]} vs ${p1}`);
      assert.ok(Math.abs(grid.probabilities[2 * node]! + grid.probabilities[2 * node + 1]! - 1) < 1e-6);
    }));
  });
});
