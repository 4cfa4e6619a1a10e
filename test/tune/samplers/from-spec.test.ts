import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";

const quiet = { onWarning: () => {} };

function objective(t: mn.tune.Trial): number {
  return (Math.log10(t.suggestFloat("lr", 1e-5, 1, { log: true })) + 2) ** 2 + t.suggestInt("layers", 1, 4) / 10 + (t.suggestCategorical("act", ["relu", "tanh"]) === "relu" ? 0 : 0.3);
}

describe("samplerFromSpec rebuilds a sampler from the study's minima:sampler attr", () => {
  const samplers = (): mn.tune.Sampler[] => [
    new mn.tune.RandomSampler({ seed: 4 }),
    new mn.tune.TPESampler({ seed: 4, nStartupTrials: 3, constantLiar: false }),
    new mn.tune.CoarseToFineSampler({ seed: 4, stages: 2, trialsPerStage: 4, topK: 2, margin: 0.2, initialBudget: 2, budgetGrowth: 2 }),
    new mn.tune.GridSampler({ searchSpace: { lr: [1e-3, 1e-2], layers: [1, 4], act: ["relu"] }, seed: 4 }),
  ];

  for (const [i, name] of ["random", "tpe", "coarse-to-fine", "grid"].entries()) {
    test(`${name}: the rebuilt sampler has the same spec and, with the same seed, runs the same trials as the original`, () => {
      const original = samplers()[i]!;
      const a = mn.tune.createStudy({ sampler: original, ...quiet });
      const stored = JSON.parse(JSON.stringify(a.systemAttrs["minima:sampler"]));
      const rebuilt = mn.tune.samplerFromSpec(stored);
      assert.equal(rebuilt.name, name);
      assert.deepEqual(rebuilt.spec!(), original.spec!());
      const b = mn.tune.createStudy({ sampler: rebuilt, ...quiet });
      a.optimize(objective, { nTrials: 8 });
      b.optimize(objective, { nTrials: 8 });
      assert.deepEqual(b.trials.map((t) => t.params), a.trials.map((t) => t.params));
      assert.ok(a.trials.length > 0);
    });
  }

  test("overrides replace options of the spec: a worker's own seed", () => {
    const spec = new mn.tune.RandomSampler({ seed: 1 }).spec();
    assert.deepEqual(mn.tune.samplerFromSpec(spec, { seed: 9 }).spec!(), { name: "random", seed: 9 });
  });

  test("an unknown name or a spec that is no object is refused, naming it", () => {
    assert.throws(() => mn.tune.samplerFromSpec({ name: "tpee" }), { message: 'samplerFromSpec: unknown sampler "tpee" — did you mean "tpe"?; expected one of random, grid, coarse-to-fine, tpe' });
    assert.throws(() => mn.tune.samplerFromSpec("tpe"), { message: 'samplerFromSpec: a sampler spec is an object with a name; expected { name: "random" | "grid" | "coarse-to-fine" | "tpe", …options }, got "tpe"' });
    assert.throws(() => mn.tune.samplerFromSpec({ name: "tpe", gamma: 0.2 }), { message: 'TPESampler: unknown option "gamma"; expected one of nStartupTrials, nEiCandidates, priorWeight, considerPrior, considerMagicClip, considerEndpoints, multivariate, constantLiar, warnIndependentSampling, seed' });
  });
});
