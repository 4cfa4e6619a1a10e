import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { LrSweep, type LrSweepSettings } from "../../src/train/lr-sweep.js";
import { repoRoot } from "../helpers/repo-root.js";

// test/fixtures/lr-find.json: fastai's LRFinder, AvgSmoothLoss and suggestion rules transcribed into numpy (tools/gen_lr_find_fixtures.py).
type Num = number | "NaN";
type Suggestion = { lr: number; point: [number, number] } | null;
interface SweepCase {
  desc: string;
  options: Omit<LrSweepSettings, "stopDiv"> & { stopDiv: number | null };
  raw: Num[]; lrs: number[]; losses: Num[]; smoothed: Num[]; stop: "diverged" | "numIt";
  suggestions: Record<string, Suggestion>;
}
interface RuleCase { desc: string; lrs: number[]; losses: Num[]; numIt: number; suggestions: Record<string, Suggestion> }
const fixture = JSON.parse(readFileSync(join(repoRoot(), "test", "fixtures", "lr-find.json"), "utf8")) as { sweeps: SweepCase[]; rules: RuleCase[] };
const num = (v: Num) => (v === "NaN" ? NaN : v);

/** Equal to `rel` relative error, NaN only where NaN is expected. */
function close(got: number, want: number, what: string, rel = 1e-12): void {
  if (Number.isNaN(want)) return assert.ok(Number.isNaN(got), `${what}: ${got}, expected NaN`);
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: ${got}, expected ${want}`);
}

function sameSuggestions(got: mn.train.LrSuggestions, want: Record<string, Suggestion>, desc: string): void {
  for (const name of ["valley", "slide", "minimum", "steep"] as const) {
    const w = want[name]!, g = got[name];
    if (w === null) { assert.equal(g, null, `${desc}: ${name}`); continue; }
    assert.ok(g !== null, `${desc}: ${name} is null, fastai gives ${w.lr}`);
    close(g.lr, w.lr, `${desc}: ${name}.lr`);
    close(g.point.lr, w.point[0], `${desc}: ${name}.point.lr`);
    close(g.point.loss, w.point[1], `${desc}: ${name}.point.loss`);
  }
}

describe("LR range test against fastai's rules (numpy transcription, tools/gen_lr_find_fixtures.py)", () => {
  for (const c of fixture.sweeps) {
    test(`sweep: ${c.desc}`, () => {
      const sweep = new LrSweep(c.options);
      let i = 0;
      while (!sweep.record(sweep.lrAt(i), num(c.raw[i]!))) i++;
      assert.equal(sweep.stop, c.stop);
      assert.equal(sweep.lrs.length, c.lrs.length);
      c.lrs.forEach((lr, j) => close(sweep.lrs[j]!, lr, `lrs[${j}]`));
      c.smoothed.forEach((s, j) => close(sweep.smoothed[j]!, num(s), `smoothed[${j}]`));
      assert.deepEqual(sweep.losses.map(String), c.losses.map((v) => String(num(v))));
      sameSuggestions(mn.train.lrSuggestions({ lrs: sweep.lrs, losses: sweep.smoothed, numIt: c.options.numIt }), c.suggestions, c.desc);
    });
  }
  for (const c of fixture.rules) {
    test(`rules: ${c.desc}`, () => {
      sameSuggestions(mn.train.lrSuggestions({ lrs: c.lrs, losses: c.losses.map(num), numIt: c.numIt }), c.suggestions, c.desc);
    });
  }
});

describe("lrSuggestions refuses a curve it cannot read", () => {
  test("lrs and losses of different lengths (exact message)", () => {
    assert.throws(() => mn.train.lrSuggestions({ lrs: [1e-3, 1e-2], losses: [1] }), {
      message: "lrSuggestions: lrs has 2 values and losses 1; expected one loss per lr",
    });
  });
  test("lrs that do not increase (exact message)", () => {
    assert.throws(() => mn.train.lrSuggestions({ lrs: [1e-3, 1e-2, 1e-2], losses: [1, 2, 3] }), {
      message: "lrSuggestions: lrs[2] is 0.01 after 0.01; expected positive, finite, increasing learning rates",
    });
    assert.throws(() => mn.train.lrSuggestions({ lrs: [0, 1], losses: [1, 2] }), {
      message: "lrSuggestions: lrs[0] is 0; expected positive, finite, increasing learning rates",
    });
  });
});
