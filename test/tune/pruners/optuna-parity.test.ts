import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { crc32 } from "../../../src/tune/pruners/crc32.js";
import { loadFixture } from "../../helpers/fixtures.js";

// Expected decisions: Debian's Optuna 3.1 running its own pruners on the same value sequences
// (tools/optuna-pruner-fixtures.py → test/fixtures/optuna-pruners.json).
interface Case {
  pruner: string;
  optuna_kwargs: Record<string, unknown>;
  direction: "minimize" | "maximize";
  mode: "sequential" | "interleaved";
  n_steps: number;
  first_step: number;
  study_name: string;
  optuna: {
    sequences: (number | "NaN")[][];
    decisions: boolean[][];
    states: string[];
    rungs: Record<string, number>[];
    bracket_budgets?: number[];
    brackets?: number[];
  };
}

const fixture = loadFixture("optuna-pruners.json") as { optuna: string; crc32: Record<string, number>; cases: Case[] };
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The Optuna script's loop, with minima's study: ask, report each step, shouldPrune, tell PRUNED or the last value. */
function replay(c: Case) {
  const options = Object.fromEntries(Object.entries(c.optuna_kwargs).map(([k, v]) => [camel(k), v]));
  const pruner = mn.tune.prunerFromSpec({ name: c.pruner, ...options });
  const study = mn.tune.createStudy({ studyName: c.study_name, direction: c.direction, pruner, onWarning: () => {} });
  const seqs = c.optuna.sequences.map((s) => s.map((v) => (v === "NaN" ? NaN : v)));
  const decisions: boolean[][] = seqs.map(() => []);
  const batch = c.mode === "sequential" ? 1 : 3;
  for (let start = 0; start < seqs.length; start += batch) {
    let live = seqs.slice(start, start + batch).map((_, j) => [start + j, study.ask()] as const);
    for (let k = 0; k < c.n_steps; k++) {
      const still: typeof live = [];
      for (const [i, trial] of live) {
        trial.report(seqs[i]![k]!, c.first_step + k);
        const pruned = trial.shouldPrune();
        decisions[i]!.push(pruned);
        if (pruned) study.tell(trial, "PRUNED");
        else still.push([i, trial]);
      }
      live = still;
    }
    for (const [i, trial] of live) study.tell(trial, seqs[i]!.at(-1)!);
  }
  return { study, pruner, decisions };
}

describe(`pruners decide as Optuna ${fixture.optuna} does on fixed value sequences`, () => {
  for (const c of fixture.cases) {
    test(`${c.pruner} ${JSON.stringify(c.optuna_kwargs)} ${c.direction}, ${c.mode}: every shouldPrune, state and completed_rung_k equals Optuna's`, () => {
      const { study, pruner, decisions } = replay(c);
      for (let i = 0; i < decisions.length; i++) assert.deepEqual(decisions[i], c.optuna.decisions[i], `trial ${i}`);
      assert.deepEqual(study.trials.map((t) => t.state), c.optuna.states);
      const rungs = study.trials.map((t) => Object.fromEntries(Object.entries(t.systemAttrs).filter(([k]) => k.startsWith("completed_rung_"))));
      assert.deepEqual(rungs, c.optuna.rungs);
      if (c.pruner === "hyperband") {
        const hb = pruner as mn.tune.HyperbandPruner;
        assert.deepEqual(hb.bracketBudgets, c.optuna.bracket_budgets);
        assert.deepEqual(study.trials.map((t) => hb.bracketOf(study.studyName, t.number)), c.optuna.brackets);
      }
    });
  }

  test("a case prunes some trials and completes others (the fixture exercises both outcomes)", () => {
    for (const c of fixture.cases) {
      assert.ok(c.optuna.states.includes("PRUNED") && c.optuna.states.includes("COMPLETE"), c.study_name);
    }
  });

  test("crc32 equals Python's binascii.crc32 (Hyperband's bracket hash)", () => {
    for (const [text, expected] of Object.entries(fixture.crc32)) assert.equal(crc32(text), expected, JSON.stringify(text));
  });
});
