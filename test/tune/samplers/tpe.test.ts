import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import type { FrozenTrial } from "../../../src/tune/frozen-trial.js";
import { finishedCount, observationPairs, splitObservations } from "../../../src/tune/samplers/tpe/observations.js";
import { defaultGamma, defaultWeights, ParzenEstimator } from "../../../src/tune/samplers/tpe/parzen-estimator.js";
import { logGaussMass, logNdtr, truncnormPpf } from "../../../src/tune/samplers/tpe/truncated-normal.js";
import { assertClose, loadFixture } from "../../helpers/fixtures.js";

// Reference: test/fixtures/optuna-tpe.json, written by tools/optuna-tpe-fixtures.py from Debian's Optuna 3.1.0.
const fx = loadFixture("optuna-tpe.json");
const num = (v: number | string): number => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : (v as number));

describe("TPE's pieces equal Optuna 3.1's", () => {
  test("default_weights and default_gamma (Optuna 3.1's values)", () => {
    for (const [n, w] of Object.entries(fx.defaultWeights as Record<string, number[]>)) assertClose(defaultWeights(Number(n)), w, { rtol: 1e-15, atol: 0 }, `weights(${n})`);
    for (const [n, g] of fx.defaultGamma as [number, number][]) assert.equal(defaultGamma(n), g, `gamma(${n})`);
  });

  test("log Φ, the log Gaussian mass and the truncated normal's quantiles, tails included (Optuna 3.1's _truncnorm)", () => {
    for (const [x, y] of fx.truncnorm.logNdtr) assertClose([logNdtr(x)], [num(y)], { rtol: 1e-12, atol: 0 }, `logNdtr(${x})`);
    for (const [a, b, y] of fx.truncnorm.logGaussMass) assertClose([logGaussMass(a, b)], [num(y)], { rtol: 1e-12, atol: 1e-300 }, `logGaussMass(${a}, ${b})`);
    for (const [q, a, b, y] of fx.truncnorm.ppf) assertClose([truncnormPpf(q, a, b)], [num(y)], { rtol: 1e-9, atol: 1e-12 }, `ppf(${q}; ${a}, ${b})`);
  });

  for (const c of fx.estimators) {
    test(`Parzen estimator: ${c.name}: kernel weights, mus, sigmas and log density (Optuna 3.1's _ParzenEstimator)`, () => {
      const space = Object.fromEntries(Object.entries(c.space).map(([k, d]) => [k, mn.tune.jsonToDistribution(JSON.stringify(d))]));
      const s = c.settings;
      const est = new ParzenEstimator(c.observations, space, {
        considerPrior: s.consider_prior ?? true, priorWeight: s.prior_weight ?? 1, considerMagicClip: s.consider_magic_clip ?? true,
        considerEndpoints: s.consider_endpoints ?? false, multivariate: s.multivariate,
      });
      assertClose(est.weights, c.weights, { rtol: 1e-15, atol: 0 }, "weights");
      for (const [name, k] of Object.entries(c.kernels as Record<string, any>)) {
        const mine = est.kernels[name]!;
        if ("categoricalWeights" in k) {
          assert.equal(mine.kind, "categorical");
          if (mine.kind === "categorical") k.categoricalWeights.forEach((row: number[], i: number) => assertClose(mine.weights[i]!, row, { rtol: 1e-15, atol: 0 }, `${name} row ${i}`));
          continue;
        }
        assert.equal(mine.kind, "numeric");
        if (mine.kind !== "numeric") continue;
        assertClose([mine.low, mine.high], [k.low, k.high], { rtol: 1e-15, atol: 0 }, `${name} bounds`);
        assert.equal(mine.q, k.q, `${name} q`);
        assertClose(mine.mus, k.mus, { rtol: 1e-15, atol: 0 }, `${name} mus`);
        assertClose(mine.sigmas, k.sigmas, { rtol: 1e-14, atol: 0 }, `${name} sigmas`);
      }
      assertClose(est.logPdf(c.points), c.logPdf.map(num), { rtol: 1e-11, atol: 1e-12 }, "logPdf");
    });
  }

  for (const h of fx.split) {
    test(`observations and the below/above split of a history with PRUNED, RUNNING, NaN and inf (${h.direction}; Optuna 3.1's _get_observation_pairs, _split_observation_pairs)`, () => {
      const dist = mn.tune.float(0, 10);
      const trials: FrozenTrial[] = h.trials.map((t: any, i: number) => ({
        trialId: i, number: i, state: t.state, value: t.value === null ? null : num(t.value), datetimeStart: null, datetimeComplete: null,
        params: { x: t.x }, distributions: { x: dist }, intermediateValues: new Map(t.intermediate.map(([k, v]: [number, number | string]) => [k, num(v)])),
        userAttrs: {}, systemAttrs: {},
      }));
      const obs = observationPairs(trials, ["x"], h.direction, true);
      assert.deepEqual(obs.values["x"], h.values);
      assert.deepEqual(obs.scores.map(([a, b]) => [a, b]), h.scores.map(([a, b]: [number | string, number | string]) => [num(a), num(b)]));
      const n = finishedCount(obs.scores);
      assert.equal(n, h.n);
      assert.deepEqual(splitObservations(obs.scores, defaultGamma(n)), [h.below, h.above]);
    });
  }
});

/** The behaviour fixture's test function, suggested in the same order. */
function testFunction(trial: mn.tune.Trial): number {
  const x = trial.suggestFloat("x", -10, 10);
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const h = trial.suggestInt("h", 1, 8);
  return (x - 2) ** 2 / 10 + (Math.log10(lr) + 3) ** 2 + (h - 5) ** 2 / 4;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

describe("TPESampler", () => {
  test("the first nStartupTrials trials are RandomSampler's draws with the same seed, the next one is TPE's", () => {
    const run = (sampler: mn.tune.Sampler) => {
      const s = mn.tune.createStudy({ sampler, onWarning: () => {} });
      s.optimize(testFunction, { nTrials: 11 });
      return s.trials.map((t) => t.params);
    };
    const tpe = run(new mn.tune.TPESampler({ seed: 3 }));
    const random = run(new mn.tune.RandomSampler({ seed: 3 }));
    assert.deepEqual(tpe.slice(0, 10), random.slice(0, 10));
    assert.notDeepEqual(tpe[10], random[10]);
  });

  test("beats RandomSampler over 20 seeds, and its median best is within 2× of Optuna 3.1's TPE on the same function (fixture)", () => {
    const { best: optunaBest, nTrials } = fx.behaviour;
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < optunaBest.length; seed++) {
      const a = mn.tune.createStudy({ sampler: new mn.tune.TPESampler({ seed }), onWarning: () => {} });
      a.optimize(testFunction, { nTrials });
      tpe.push(a.bestValue);
      const b = mn.tune.createStudy({ sampler: new mn.tune.RandomSampler({ seed }), onWarning: () => {} });
      b.optimize(testFunction, { nTrials });
      random.push(b.bestValue);
    }
    const wins = tpe.filter((v, i) => v < random[i]!).length;
    assert.ok(wins >= 16, `TPE beat random in ${wins} of 20 seeds`);
    assert.ok(median(tpe) < median(random) / 4, `median best: TPE ${median(tpe)}, random ${median(random)}`);
    const ratio = median(tpe) / median(optunaBest);
    assert.ok(ratio > 0.5 && ratio < 2, `median best: minima ${median(tpe)}, Optuna ${median(optunaBest)}`);
  });

  test("the constant liar steers a second parallel ask away from a RUNNING trial's point", () => {
    // Two asks without a tell in between: with the liar, the first (RUNNING) trial's point counts as
    // the worst observation, so the second candidate lands elsewhere; without, both draw from the same model.
    const distance = (constantLiar: boolean) => {
      let total = 0;
      for (let seed = 0; seed < 8; seed++) {
        const s = mn.tune.createStudy({ sampler: new mn.tune.TPESampler({ seed, constantLiar, nStartupTrials: 5 }), onWarning: () => {} });
        s.optimize((t) => (t.suggestFloat("x", 0, 1) - 0.3) ** 2, { nTrials: 5 });
        const a = s.ask();
        const b = s.ask();
        total += Math.abs((a.suggestFloat("x", 0, 1) - b.suggestFloat("x", 0, 1)));
      }
      return total;
    };
    // a samples first (b, RUNNING, has no x yet), so a's value is the same either way; only b's moves.
    assert.ok(distance(true) > distance(false), `mean gap with the liar ${distance(true) / 8}, without ${distance(false) / 8}`);
  });

  test("multivariate: the relative space is the parameters every finished trial has with the same distribution; others are sampled alone, with one warning", () => {
    const warnings: string[] = [];
    const s = mn.tune.createStudy({ sampler: new mn.tune.TPESampler({ seed: 0, nStartupTrials: 2 }), onWarning: (m) => warnings.push(m) });
    s.optimize((t) => {
      const x = t.suggestFloat("x", 0, 1);
      const y = t.number % 2 === 0 ? t.suggestFloat("y", 0, 1) : 0;
      t.suggestFloat("one", 2, 2);
      return x + y;
    }, { nTrials: 6 });
    assert.deepEqual(Object.keys(new mn.tune.TPESampler().inferRelativeSearchSpace(s)), ["x"]);
    assert.deepEqual(warnings, [
      'TPESampler: parameter "y" of trial 2 is sampled independently, not jointly with the others, because not every finished trial has it with the same distribution; the search may be less efficient (TPESampler({ warnIndependentSampling: false }) silences this)',
    ]);
  });

  test("is the default sampler of createStudy and loadStudy, as in Optuna", () => {
    const s = mn.tune.createStudy({ onWarning: () => {} });
    assert.equal(s.sampler.name, "tpe");
    assert.deepEqual(s.systemAttrs["minima:sampler"], { name: "tpe", nStartupTrials: 10, nEiCandidates: 24, priorWeight: 1, considerPrior: true, considerMagicClip: true, considerEndpoints: false, multivariate: true, constantLiar: true, warnIndependentSampling: true });
    assert.equal(mn.tune.loadStudy({ storage: s.storage, studyName: s.studyName }).sampler.name, "tpe");
  });

  test("bad options are refused with the value", () => {
    assert.throws(() => new mn.tune.TPESampler({ nEiCandidates: 0 }), { message: "TPESampler: invalid nEiCandidates; expected a positive integer, got 0" });
    assert.throws(() => new mn.tune.TPESampler({ n_startup_trials: 5 } as never), { message: 'TPESampler: unknown option "n_startup_trials" — did you mean "nStartupTrials"?; expected one of nStartupTrials, nEiCandidates, priorWeight, considerPrior, considerMagicClip, considerEndpoints, multivariate, constantLiar, warnIndependentSampling, seed' });
  });
});
