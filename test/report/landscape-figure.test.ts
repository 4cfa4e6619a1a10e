import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const levels = (svg: string) => [...svg.matchAll(/<title>≥ ([^<]*)<\/title><\/path>/g)].map((m) => Number(m[1]));

describe("landscapeFigure", () => {
  test("the valley (0 at the minimum to 7.8 at the corners): log levels, 1-2-5 a decade; the saddle (negative too): linear, evenly spaced", () => {
    const valley = levels(mn.report.landscapeFigure({ surface: mn.landscape.surfaces.valley, paths: [] }));
    assert.ok(valley.length >= 6, `${valley}`);
    valley.forEach((v) => assert.ok([1, 2, 5].includes(Number((v / 10 ** Math.floor(Math.log10(v))).toPrecision(6))), `${v}`));
    const saddle = levels(mn.report.landscapeFigure({ surface: mn.landscape.surfaces.saddle, paths: [] }));
    assert.ok(saddle.some((v) => v < 0) && saddle.some((v) => v > 0), `${saddle}`);
    const steps = saddle.slice(1).map((v, i) => v - saddle[i]!);
    steps.forEach((d) => assert.ok(Math.abs(d - steps[0]!) < 1e-9, `${steps}`));
  });

  test("a start outside the window widens it (to the start plus 1/20 of the window), the start and minima are marked, trajectories drawn", () => {
    const svg = mn.report.landscapeFigure({ surface: mn.landscape.surfaces.valley, start: [-14, 1], paths: [{ name: "sgd", x: [-14, 0], y: [1, 0] }] });
    // x from −14 − 1 = −15 to 10 over 500 px: the start, −14, at 70 + 20 = 90 px.
    assert.match(svg, /<path d="M90,[\d.]+L[\d.]+,[\d.]+" fill="none" stroke="#0072B2" stroke-width="1.8"><title>sgd<\/title>/);
    assert.match(svg, /<text x="[\d.]+" y="[\d.]+" font-size="11">start<\/text>/);
    assert.equal([...svg.matchAll(/>minimum<\/text>/g)].length, 1);
    assert.equal([...mn.report.landscapeFigure({ surface: mn.landscape.surfaces.himmelblau, paths: [] }).matchAll(/>minimum<\/text>/g)].length, 4);
  });

  test("landscapeGrid: the valley's window (x ±10, y ±2.5, 121 nodes each) and x²/64 + y² at its nodes, row-major by y; log levels", () => {
    const { grid, levelScale } = mn.report.landscapeGrid(mn.landscape.surfaces.valley, mn.landscape.surfaces.valley.start);
    assert.equal(grid.x.length, 121);
    assert.deepEqual([grid.x[0], grid.x[60], grid.x[120], grid.y[0], grid.y[120]], [-10, 0, 10, -2.5, 2.5]);
    for (const [i, j] of [[0, 0], [7, 100], [120, 33]] as const) {
      const x = grid.x[i]!, y = grid.y[j]!;
      assert.ok(Math.abs(grid.values[j * 121 + i]! - (x * x / 64 + y * y)) <= 1e-12, `(${x}, ${y})`);
    }
    assert.equal(levelScale, "log");
  });
});
