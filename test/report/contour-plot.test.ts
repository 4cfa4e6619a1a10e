import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";
import { decodePng } from "../helpers/decode-png.js";

const { contourPlot } = mn.report;

/** The bands' paths: [fill, title, vertices as [x, y] pixels]. */
const bands = (svg: string) =>
  [...svg.matchAll(/<path d="([^"]*)" fill="(#\w+)" stroke="#56697d" stroke-width="0.6"><title>([^<]*)<\/title><\/path>/g)].map((m) => ({
    fill: m[2]!,
    title: m[3]!,
    vertices: [...m[1]!.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((v) => [Number(v[1]), Number(v[2])] as [number, number]),
  }));

// The plot area of a 720×600 figure: x 70..570, y 552..36 (up).
const grid = (xs: number[], ys: number[], f: (x: number, y: number) => number) => ({ x: xs, y: ys, values: ys.flatMap((y) => xs.map((x) => f(x, y))) });
const range = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
/** Within the plot area (borders included) of a figure `width` × `height`. */
const inPlot = (width = 720, height = 600) => ([px, py]: [number, number]) => px >= 70 && px <= width - 150 && py >= 36 && py <= height - 48;
const inside = inPlot();

describe("contourPlot (SVG geometry by hand and closed-form level sets)", () => {
  test("f = x: the level 1.5 is the vertical line x = 1.5 (70 + 1.5 · 125 px); its outline elsewhere lies half a step outside the grid, where the clip hides it", () => {
    const svg = contourPlot({ title: "t", xLabel: "x", yLabel: "y", grid: grid([0, 1, 2, 3, 4], [0, 1, 2], (x) => x), levels: [1.5] });
    const [band] = bands(svg);
    assert.equal(band!.title, "≥ 1.5");
    const within = band!.vertices.filter(inside);
    assert.ok(within.length >= 1);
    within.forEach(([px]) => assert.equal(px, 257.5));
    // Half a step outside: x = 4.5 → 632.5 px; y = −0.5 → 681 px and y = 2.5 → −93 px (258 px a unit).
    const outside = band!.vertices.filter((v) => !inside(v));
    assert.ok(outside.length >= 4);
    outside.forEach(([px, py]) => assert.ok(py === 681 || py === -93 || px === 632.5, `(${px}, ${py})`));
    assert.match(svg, /<g clip-path="url\(#contour-plot-area\)">/);
  });

  test("an uneven grid: f = x on nodes 0, 1, 3, 7 puts the level 2 at x = 2 (70 + 2 · 500/7 px)", () => {
    const svg = contourPlot({ title: "t", xLabel: "x", yLabel: "y", grid: grid([0, 1, 3, 7], [0, 1], (x) => x), levels: [2] });
    const within = bands(svg)[0]!.vertices.filter(inside);
    assert.ok(within.length >= 1);
    within.forEach(([px]) => assert.ok(Math.abs(px - (70 + (2 * 500) / 7)) < 0.05, `${px}`));
  });

  test("f = x² + y² on a 0.05 grid: every vertex of the level 1 lies on the unit circle (within the pixel rounding and linear interpolation, 0.004)", () => {
    const nodes = range(-2, 2, 81);
    const svg = contourPlot({ title: "t", xLabel: "x", yLabel: "y", grid: grid(nodes, nodes, (x, y) => x * x + y * y), levels: [1], width: 570, height: 552 });
    // Plot area 70..420 by 552−48..36: 87.5 px per unit in x, 117 in y.
    const vertices = bands(svg)[0]!.vertices.filter(inPlot(570, 552));
    assert.ok(vertices.length > 100, `${vertices.length} vertices`);
    for (const [px, py] of vertices) {
      const x = -2 + (px - 70) / 87.5, y = -2 + (504 - py) / 117;
      assert.ok(Math.abs(Math.hypot(x, y) - 1) < 0.004, `(${x}, ${y}) at radius ${Math.hypot(x, y)}`);
    }
  });

  test("levels chosen: d3's nice ticks strictly inside the range (0..10 by 5 → 2, 4, 6, 8); log: the powers of ten inside 1e-3..1e3; the legend reads highest first", () => {
    const linear = contourPlot({ title: "t", xLabel: "x", yLabel: "y", grid: grid(range(0, 10, 11), [0, 1], (x) => x), levels: 5 });
    assert.deepEqual(bands(linear).map((b) => b.title), ["≥ 2", "≥ 4", "≥ 6", "≥ 8"]);
    assert.deepEqual([...linear.matchAll(/<text x="20" dy="0.32em">([^<]*)<\/text>/g)].map((m) => m[1]), ["≥ 8", "≥ 6", "≥ 4", "≥ 2"]);
    const log = contourPlot({ title: "t", xLabel: "x", yLabel: "y", grid: grid(range(-3, 3, 13), [0, 1], (x) => 10 ** x), levels: 12, levelScale: "log" });
    assert.deepEqual(bands(log).map((b) => b.title), ["≥ 0.01", "≥ 0.1", "≥ 1", "≥ 10", "≥ 100"]);
  });

  test("the bands go from mid blue up to near white: each level's fill is lighter than the one below", () => {
    const svg = contourPlot({ title: "t", xLabel: "x", yLabel: "y", grid: grid([0, 1, 2, 3], [0, 1], (x) => x), levels: [0.5, 1.5, 2.5] });
    const lightness = bands(svg).map((b) => [1, 3, 5].reduce((s, at) => s + parseInt(b.fill.slice(at, at + 2), 16), 0));
    assert.equal(lightness.length, 3);
    for (let k = 1; k < lightness.length; k++) assert.ok(lightness[k]! > lightness[k - 1]!, `${lightness}`);
  });

  test("paths: pixels by the axes' maps, a dot at the start, points past the far bound (1e300) and NaN cut the line (a lone point after the cut is d3-shape’s “M…Z”); names and labels escaped", () => {
    const svg = contourPlot({
      title: "t", xLabel: "x", yLabel: "y", grid: grid([0, 4], [0, 2], (x) => x), levels: [1],
      paths: [{ name: "<gd>", x: [0, 2, 1e300, NaN, 4], y: [0, 1, 1, 1, 2] }],
      points: [{ x: 1, y: 1, label: "a&b", shape: "star" }],
    });
    // x: 125 px a unit from 70; y: 258 px a unit down from 552.
    assert.match(svg, /<path d="M70,552L320,294M570,36Z" fill="none" stroke="#0072B2" stroke-width="1.8"><title>&lt;gd&gt;<\/title><\/path><circle cx="70.0" cy="552.0" r="3" fill="#0072B2"\/>/);
    assert.match(svg, /<text x="202.0" y="287.0" font-size="11">a&amp;b<\/text>/);
    assert.match(svg, /<text x="26" dy="0.32em">&lt;gd&gt;<\/text>/);
    assert.doesNotMatch(svg, /<gd>|a&b/);
  });

  test("rasterized (resvg): the band below the level is the lowest colour and the one above it lighter, inside the plot; white outside it", () => {
    const svg = contourPlot({ title: "t", xLabel: "x", yLabel: "y", grid: grid([0, 1, 2, 3, 4], [0, 1, 2], (x) => x), levels: [2] });
    const image = decodePng(mn.report.svgToPng(svg));
    const at = (x: number, y: number) => [...image.rgba.subarray(4 * (y * image.width + x), 4 * (y * image.width + x) + 3)];
    assert.deepEqual(at(150, 300), [0x7f, 0xb2, 0xd9], "x = 0.64: below the level");
    const above = at(450, 300);
    assert.ok(above.reduce((a, b) => a + b) > 0x7f + 0xb2 + 0xd9 + 100, `x = 3.04: ${above}`);
    assert.deepEqual(at(650, 300), [255, 255, 255], "the margin: the band's outline beyond the grid is clipped");
  });

  const base = { title: "", xLabel: "", yLabel: "" };
  testErrorCases([
    ["a grid of one row", () => contourPlot({ ...base, grid: { x: [0, 1], y: [0], values: [0, 0] } }), "contourPlot: the grid has 2×1 nodes; expected at least 2×2"],
    ["values that do not fill the grid", () => contourPlot({ ...base, grid: { x: [0, 1], y: [0, 1], values: [0, 0, 0] } }), "contourPlot: the grid has 2×2 nodes but 3 values"],
    ["x not ascending", () => contourPlot({ ...base, grid: { x: [0, 1, 1], y: [0, 1], values: [0, 0, 0, 0, 0, 0] } }),
      "contourPlot: the grid's x[2] is 1; expected finite x values in strictly ascending order"],
    ["a path without all its y", () => contourPlot({ ...base, grid: grid([0, 1], [0, 1], () => 0), paths: [{ name: "sgd", x: [0, 1], y: [0] }] }),
      'contourPlot: path "sgd" has 2 x values and 1 y values'],
    ["a level count of 0", () => contourPlot({ ...base, grid: grid([0, 1], [0, 1], () => 0), levels: 0 }), "contourPlot: levels is 0; expected a positive integer or a list of levels"],
    ["a NaN level", () => contourPlot({ ...base, grid: grid([0, 1], [0, 1], () => 0), levels: [1, NaN] }), "contourPlot: a level is NaN; expected finite levels"],
    ["log levels over no positive value", () => contourPlot({ ...base, grid: grid([0, 1], [0, 1], (x) => -x), levelScale: "log" }),
      "contourPlot: the grid has no positive finite value to choose levels from; expected explicit levels"],
  ]);
});
