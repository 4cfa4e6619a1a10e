import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { pythonLog } from "../../../src/tune/pruners/python-log.js";
import { loadFixture } from "../../helpers/fixtures.js";

const fixture = loadFixture("optuna-pruners.json") as { log: Record<string, number>; cases: { optuna_kwargs: Record<string, unknown>; optuna: { bracket_budgets?: number[] } }[] };
const table = (brackets: mn.tune.HyperbandBracket[]) => brackets.map((b) => [b.s, b.rounds.map((r) => [r.n, r.r])]);

describe("hyperbandBrackets: Li et al. 2018, Algorithm 1", () => {
  test("R = 81, η = 3 equals the paper's Table 1", () => {
    // Li, Jamieson, DeSalvo, Rostamizadeh, Talwalkar, "Hyperband: A Novel Bandit-Based Approach to
    // Hyperparameter Optimization", JMLR 18 (2018), Table 1: (n_i, r_i) of each bracket s for R = 81, η = 3.
    const paper = [
      [4, [[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]]],
      [3, [[34, 3], [11, 9], [3, 27], [1, 81]]],
      [2, [[15, 9], [5, 27], [1, 81]]],
      [1, [[8, 27], [2, 81]]],
      [0, [[5, 81]]],
    ];
    assert.deepEqual(table(mn.tune.hyperbandBrackets({ minResource: 1, maxResource: 81, reductionFactor: 3 })), paper);
  });

  test("resources scale with minResource (R = max/min); a max that is no power of η gives the paper's real r_i", () => {
    const scaled = mn.tune.hyperbandBrackets({ minResource: 2, maxResource: 162, reductionFactor: 3 });
    assert.deepEqual(scaled.map((b) => b.rounds.map((r) => r.n)), [[81, 27, 9, 3, 1], [34, 11, 3, 1], [15, 5, 1], [8, 2], [5]]);
    assert.deepEqual(scaled[0]!.rounds.map((r) => r.r), [2, 6, 18, 54, 162]);
    // R = 100, η = 3: s_max = 4, B = 500; bracket 4: n = ⌈5·81/5⌉ = 81 at r = 100/81.
    const odd = mn.tune.hyperbandBrackets({ minResource: 1, maxResource: 100, reductionFactor: 3 });
    assert.equal(odd.length, 5);
    assert.deepEqual(odd[0]!.rounds.map((r) => r.n), [81, 27, 9, 3, 1]);
    assert.deepEqual(odd[0]!.rounds.map((r) => r.r), [100 / 81, 100 / 27, 100 / 9, 100 / 3, 100]);
  });

  test("the first round's n is Optuna's trial budget per bracket; at max 243 Optuna's float log gives 5 brackets, the paper 6", () => {
    const budgets = (kwargs: Record<string, unknown>) => fixture.cases.find((c) => JSON.stringify(c.optuna_kwargs) === JSON.stringify(kwargs))!.optuna.bracket_budgets;
    const n0 = (max: number, eta: number, min = 1) => mn.tune.hyperbandBrackets({ minResource: min, maxResource: max, reductionFactor: eta }).map((b) => b.rounds[0]!.n);
    assert.deepEqual(n0(27, 3), budgets({ min_resource: 1, max_resource: 27, reduction_factor: 3 }));
    assert.deepEqual(n0(64, 2, 2), budgets({ min_resource: 2, max_resource: 64, reduction_factor: 2, bootstrap_count: 1 }));
    assert.deepEqual(n0(81, 3), budgets({ min_resource: 1, max_resource: 243, reduction_factor: 3 }));
    assert.equal(mn.tune.hyperbandBrackets({ minResource: 1, maxResource: 243, reductionFactor: 3 }).length, 6);
  });

  test("pythonLog equals Python's math.log where V8's Math.log is an ulp off (log 3)", () => {
    for (const [x, expected] of Object.entries(fixture.log)) assert.equal(pythonLog(Number(x)), expected, x);
    assert.notEqual(Math.log(3), fixture.log["3.0"], "V8's Math.log(3) differs, which is why pythonLog exists");
  });

  test("bad options are refused naming the value (exact text)", () => {
    assert.throws(() => mn.tune.hyperbandBrackets({ minResource: 1, maxResource: 81, reductionFactor: 1 }), { message: "mn.tune.hyperbandBrackets: invalid reductionFactor; expected an integer ≥ 2, got 1" });
    assert.throws(() => mn.tune.hyperbandBrackets({ minResource: 9, maxResource: 3, reductionFactor: 3 }), { message: "mn.tune.hyperbandBrackets: maxResource must be at least minResource; expected maxResource ≥ 9, got 3" });
    assert.throws(() => mn.tune.hyperbandBrackets({ minResource: 1, maxResource: 2.5, reductionFactor: 3 }), { message: "mn.tune.hyperbandBrackets: invalid maxResource; expected a positive integer, got 2.5" });
  });
});
