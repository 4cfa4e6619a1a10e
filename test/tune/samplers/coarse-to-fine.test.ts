import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";

type NumEntry = { low: number; high: number; log: boolean };

/** An objective with its optimum at lr = 10^-2.5, wd = 10^-4, act "gelu". */
function objective(t: mn.tune.Trial): number {
  const lr = t.suggestFloat("lr", 1e-5, 1, { log: true });
  const wd = t.suggestFloat("wd", 1e-6, 1e-1, { log: true });
  const act = t.suggestCategorical("act", ["relu", "tanh", "gelu"]);
  return (Math.log10(lr) + 2.5) ** 2 + 0.3 * (Math.log10(wd) + 4) ** 2 + (act === "gelu" ? 0 : act === "relu" ? 0.4 : 0.8);
}

function run(options: mn.tune.CoarseToFineSamplerOptions, warnings: string[] = []) {
  const s = mn.tune.createStudy({ sampler: new mn.tune.CoarseToFineSampler(options), onWarning: (m) => warnings.push(m) });
  s.optimize(objective, { nTrials: 1000 });
  return s;
}

/** The box the definition gives: the top trials' span in log space, widened by margin × the previous width, clipped to the previous box. */
function expectedEntry(prev: NumEntry, values: number[], margin: number): NumEntry {
  const [lo, hi] = [Math.log(prev.low), Math.log(prev.high)];
  const t = values.map(Math.log);
  return { low: Math.exp(Math.max(lo, Math.min(...t) - margin * (hi - lo))), high: Math.exp(Math.min(hi, Math.max(...t) + margin * (hi - lo))), log: true };
}

describe("CoarseToFineSampler", () => {
  test("stages of trialsPerStage trials with budgets initialBudget·growth^(k−1), then the search ends", () => {
    const budgets: (number | undefined)[] = [];
    const s = mn.tune.createStudy({ sampler: new mn.tune.CoarseToFineSampler({ stages: 3, trialsPerStage: 4, topK: 2, initialBudget: 2, budgetGrowth: 3, seed: 0 }), onWarning: () => {} });
    s.optimize((t) => (budgets.push(t.budget), objective(t)), { nTrials: 100 });
    assert.equal(s.trials.length, 12);
    assert.deepEqual(budgets, [2, 2, 2, 2, 6, 6, 6, 6, 18, 18, 18, 18]);
    assert.deepEqual(s.trials.map((t) => t.systemAttrs["minima:c2f_stage"]), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    assert.throws(() => s.ask(), { name: "SearchExhausted" });
  });

  test("each next box surrounds the previous stage's topK in log space, widened by the margin and clipped; every trial lies in its stage's box", () => {
    const margin = 0.1;
    const s = run({ stages: 3, trialsPerStage: 12, topK: 4, margin, seed: 3 });
    const attrs = s.systemAttrs;
    const box = (k: number) => attrs[`minima:c2f:stage:${k}`] as Record<string, NumEntry & { choices?: unknown[] }>;
    assert.deepEqual(box(1)["lr"], { low: 1e-5, high: 1, log: true });
    assert.deepEqual(box(1)["act"], { choices: ["relu", "tanh", "gelu"] });
    for (const k of [2, 3]) {
      const top = s.trials.filter((t) => t.systemAttrs["minima:c2f_stage"] === k - 1).sort((a, b) => a.value! - b.value!).slice(0, 4);
      for (const name of ["lr", "wd"]) {
        const want = expectedEntry(box(k - 1)[name]!, top.map((t) => t.params[name] as number), margin);
        const got = box(k)[name]!;
        assert.ok(Math.abs(Math.log(got.low / want.low)) < 1e-12 && Math.abs(Math.log(got.high / want.high)) < 1e-12, `stage ${k} ${name}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
        assert.ok(got.low >= box(k - 1)[name]!.low * (1 - 1e-12) && got.high <= box(k - 1)[name]!.high * (1 + 1e-12), `stage ${k} ${name} inside stage ${k - 1}'s box`);
      }
      assert.deepEqual(new Set(box(k)["act"]!.choices), new Set(top.map((t) => t.params["act"])));
      for (const t of s.trials.filter((t) => t.systemAttrs["minima:c2f_stage"] === k)) {
        for (const name of ["lr", "wd"]) {
          const v = t.params[name] as number;
          assert.ok(v >= box(k)[name]!.low * (1 - 1e-12) && v <= box(k)[name]!.high * (1 + 1e-12), `trial ${t.number} ${name} = ${v} in its box`);
        }
        assert.ok(box(k)["act"]!.choices!.includes(t.params["act"]));
      }
    }
    // The boxes shrink toward the optimum (lr = 10^-2.5).
    const lr3 = box(3)["lr"]!;
    assert.ok(lr3.low < 10 ** -2.5 && 10 ** -2.5 < lr3.high && Math.log(lr3.high / lr3.low) < Math.log(1e5) / 4, JSON.stringify(lr3));
  });

  test("finds better points than random search with the same number of trials, over 10 seeds", () => {
    let wins = 0;
    for (let seed = 0; seed < 10; seed++) {
      const c = run({ stages: 3, trialsPerStage: 10, topK: 3, seed });
      const r = mn.tune.createStudy({ sampler: new mn.tune.RandomSampler({ seed }), onWarning: () => {} });
      r.optimize(objective, { nTrials: 30 });
      if (c.bestValue < r.bestValue) wins++;
    }
    assert.ok(wins >= 8, `coarse-to-fine won ${wins} of 10`);
  });

  test("warns when a stage's best point lies on its box's edge: at the search range's end, or inside it", () => {
    // The smaller, the better: width 1 is the best value, the lower end of the range.
    const warnings: string[] = [];
    const s = mn.tune.createStudy({ sampler: new mn.tune.CoarseToFineSampler({ stages: 2, trialsPerStage: 10, topK: 2, seed: 0 }), onWarning: (m) => warnings.push(m) });
    // Stage 2's box, set by hand before it starts, holds widths 3–6 only: its best (3) lies on an edge inside the range.
    s.setSystemAttr("minima:c2f:stage:2", { width: { low: 2.5, high: 6.5, log: false } });
    s.optimize((t) => t.suggestInt("width", 1, 10), { nTrials: 100 });
    const best = (k: number) => s.trials.filter((t) => t.systemAttrs["minima:c2f_stage"] === k).sort((a, b) => a.value! - b.value! || a.number - b.number)[0]!;
    assert.deepEqual([best(1).params["width"], best(2).params["width"]], [1, 3]);
    assert.deepEqual(warnings, [
      `coarse-to-fine stage 1: the best trial (${best(1).number}) has width = 1, on the lower edge of the stage's box (0.5 to 10.5); better values may lie outside the search range: widen it`,
      `coarse-to-fine stage 2: the best trial (${best(2).number}) has width = 3, on the lower edge of the stage's box (2.5 to 6.5); better values may lie beyond it: a larger margin or topK widens the next box`,
    ]);
  });

  test("workers sharing a study agree on each trial's stage and on the stored boxes", () => {
    const storage = new mn.tune.InMemoryStorage();
    const options = { stages: 2, trialsPerStage: 4, topK: 2, initialBudget: 1 };
    const a = mn.tune.createStudy({ storage, studyName: "c", sampler: new mn.tune.CoarseToFineSampler({ ...options, seed: 1 }), onWarning: () => {} });
    const b = mn.tune.loadStudy({ storage, studyName: "c", sampler: new mn.tune.CoarseToFineSampler({ ...options, seed: 2 }), onWarning: () => {} });
    for (let i = 0; i < 4; i++) {
      const ta = a.ask();
      const tb = b.ask();
      a.tell(ta, objective(ta));
      b.tell(tb, objective(tb));
    }
    assert.throws(() => a.ask(), { name: "SearchExhausted" });
    const trials = a.trials;
    assert.deepEqual(trials.map((t) => t.systemAttrs["minima:c2f_stage"]), [1, 1, 1, 1, 2, 2, 2, 2]);
    const box2 = a.systemAttrs["minima:c2f:stage:2"] as Record<string, NumEntry>;
    for (const t of trials.slice(4)) assert.ok((t.params["lr"] as number) >= box2["lr"]!.low * (1 - 1e-12) && (t.params["lr"] as number) <= box2["lr"]!.high * (1 + 1e-12));
  });

  test("trials enqueued by hand belong to no stage and do not count toward one", () => {
    const s = mn.tune.createStudy({ sampler: new mn.tune.CoarseToFineSampler({ stages: 1, trialsPerStage: 3, topK: 1, seed: 0 }), onWarning: () => {} });
    s.enqueueTrial({ lr: 0.01 });
    s.optimize(objective, { nTrials: 100 });
    assert.equal(s.trials.length, 4);
    assert.equal(s.trials[0]!.systemAttrs["minima:c2f_stage"], undefined);
    assert.deepEqual(s.trials.slice(1).map((t) => t.systemAttrs["minima:c2f_stage"]), [1, 1, 1]);
  });

  test("a stage whose previous stage has no completed trial samples the previous box again, with a warning", () => {
    const warnings: string[] = [];
    const s = mn.tune.createStudy({ sampler: new mn.tune.CoarseToFineSampler({ stages: 2, trialsPerStage: 2, topK: 1, seed: 0 }), onWarning: (m) => warnings.push(m) });
    for (let i = 0; i < 2; i++) {
      const t = s.ask();
      t.suggestFloat("x", 0, 1);
      s.tell(t, "FAIL");
    }
    const t = s.ask();
    t.suggestFloat("x", 0, 1);
    assert.deepEqual(s.systemAttrs["minima:c2f:stage:2"], s.systemAttrs["minima:c2f:stage:1"]);
    assert.deepEqual(warnings, ["coarse-to-fine stage 2: no trial of stage 1 has completed, so stage 2 samples stage 1's box again"]);
  });

  test("bad options are refused with the value", () => {
    assert.throws(() => new mn.tune.CoarseToFineSampler({ trialsPerStage: 4, topK: 5 }), { message: "CoarseToFineSampler: topK cannot exceed trialsPerStage; expected topK ≤ 4, got 5" });
    assert.throws(() => new mn.tune.CoarseToFineSampler({ budgetGrowth: 2 }), { message: "CoarseToFineSampler: budgetGrowth does nothing without initialBudget; expected initialBudget (the first stage's epochs) with budgetGrowth, or neither" });
    assert.throws(() => new mn.tune.CoarseToFineSampler({ margin: -0.1 }), { message: "CoarseToFineSampler: invalid margin; expected a number ≥ 0, got -0.1" });
  });
});
