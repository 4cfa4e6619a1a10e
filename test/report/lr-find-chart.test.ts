import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

describe("report.lrFindChart", () => {
  const lrs = Array.from({ length: 12 }, (_, i) => 1e-7 * 10 ** i);
  const smoothed = [2.3, 2.3, 2.2, 2, 1.6, 1.1, 0.9, 1.2, 3, 8, 20, 50];
  const suggestions = mn.train.lrSuggestions({ lrs, losses: smoothed, numIt: 12 });
  const svg = mn.report.lrFindChart({ lrs, smoothed, suggestions });

  test("draws the smoothed loss without the last 5 points (fastai's plot) on a log lr axis", () => {
    const curve = /<path d="([^"]*)" fill="none" stroke="#0072B2"/.exec(svg)![1]!;
    const xs = curve.replace(/^M/, "").split("L").map((p) => Number(p.split(",")[0]));
    assert.equal(xs.length, 7);
    // Decades 1e-7..1e-1 on a log axis over the plot's 70..570 px: equal steps of 500/6 (closed form; d3 writes 3 decimals).
    xs.forEach((x, i) => assert.ok(Math.abs(x - (70 + (i * 500) / 6)) <= 5e-4, `point ${i} at ${x}`));
  });

  test("a dot and a legend row per suggestion the curve has", () => {
    const named = (["valley", "slide", "minimum", "steep"] as const).filter((n) => suggestions[n] !== null);
    assert.equal([...svg.matchAll(/<circle /g)].length, named.length);
    for (const n of named) assert.ok(svg.includes(`>${n} ${Number(suggestions[n]!.lr.toPrecision(3))}<`), n);
  });
});
