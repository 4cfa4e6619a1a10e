import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { pythonFloat } from "../../src/tune/python-float.js";

const quiet = { onWarning: () => {} };

describe("distributions, stored as Optuna 3.1 stores them", () => {
  // Expected strings: optuna.distributions.distribution_to_json from Debian's python3-optuna 3.1.0.
  test("distribution JSON equals Optuna's byte for byte, with Optuna's step adjustment of high", () => {
    const t = mn.tune;
    assert.equal(t.distributionToJson(t.float(1e-4, 1, { log: true })), '{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0001, "high": 1.0, "log": true}}');
    assert.equal(t.distributionToJson(t.float(0, 1, { step: 0.1 })), '{"name": "FloatDistribution", "attributes": {"step": 0.1, "low": 0.0, "high": 1.0, "log": false}}');
    assert.equal(t.distributionToJson(t.float(0, 1, { step: 0.3 })), '{"name": "FloatDistribution", "attributes": {"step": 0.3, "low": 0.0, "high": 0.9, "log": false}}');
    assert.equal(t.distributionToJson(t.int(1, 10, { step: 4 })), '{"name": "IntDistribution", "attributes": {"log": false, "step": 4, "low": 1, "high": 9}}');
    assert.equal(t.distributionToJson(t.int(16, 512, { log: true })), '{"name": "IntDistribution", "attributes": {"log": true, "step": 1, "low": 16, "high": 512}}');
    assert.equal(t.distributionToJson(t.categorical([128, 256, "relu", null, true, 0.5])), '{"name": "CategoricalDistribution", "attributes": {"choices": [128, 256, "relu", null, true, 0.5]}}');
    assert.equal(t.distributionToJson(t.float(-2.5e-7, 3e17)), '{"name": "FloatDistribution", "attributes": {"step": null, "low": -2.5e-07, "high": 3e+17, "log": false}}');
  });

  test("Python's float repr: 1.0, 1e-05, 1.5e+16, 0.0001, NaN", () => {
    // Python: repr(1.0), repr(1e-5), repr(1.5e16), repr(1e-4), repr(123456.789), repr(-0.0), repr(float('nan'))
    const expected: [number, string][] = [[1, "1.0"], [1e-5, "1e-05"], [1.5e16, "1.5e+16"], [1e-4, "0.0001"], [123456.789, "123456.789"], [-0, "-0.0"], [NaN, "NaN"], [-Infinity, "-Infinity"], [1e15, "1000000000000000.0"], [0.1 + 0.2, "0.30000000000000004"]];
    for (const [x, s] of expected) assert.equal(pythonFloat(x), s, String(x));
  });

  test("JSON round-trips, including Optuna's deprecated classes", () => {
    const d = mn.tune.jsonToDistribution('{"name": "LogUniformDistribution", "attributes": {"low": 0.001, "high": 0.1}}');
    assert.deepEqual({ ...d }, { ...mn.tune.float(0.001, 0.1, { log: true }) });
    const i = mn.tune.jsonToDistribution('{"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 9, "step": 2}}');
    assert.deepEqual({ ...i }, { ...mn.tune.int(1, 9, { step: 2 }) });
  });

  test("bad ranges are refused with the value", () => {
    assert.throws(() => mn.tune.float(0, 1, { log: true }), { message: "mn.tune.float: low must be > 0 for a log distribution; expected low > 0, got low 0" });
    assert.throws(() => mn.tune.int(5, 1), { message: "mn.tune.int: low must not exceed high; expected low ≤ high, got low 5, high 1" });
  });
});

describe("Study: ask, tell, optimize (in memory)", () => {
  test("optimize finds the minimum of (x-2)² by random search and the best trial is the smallest value", () => {
    const study = mn.tune.createStudy({ sampler: new mn.tune.RandomSampler({ seed: 1 }), ...quiet });
    study.optimize((trial) => (trial.suggestFloat("x", -10, 10) - 2) ** 2, { nTrials: 40 });
    const values = study.trials.map((t) => t.value!);
    assert.equal(study.trials.length, 40);
    assert.deepEqual(study.trials.map((t) => t.number), [...Array(40).keys()]);
    assert.equal(study.bestValue, Math.min(...values));
    assert.equal(study.bestParams["x"], study.bestTrial.params["x"]);
    assert.ok(Math.abs((study.bestParams["x"] as number) - 2) < 1);
  });

  test("the same seed gives the same trials", () => {
    const run = () => {
      const s = mn.tune.createStudy({ sampler: new mn.tune.RandomSampler({ seed: 7 }), ...quiet });
      s.optimize((t) => t.suggestFloat("lr", 1e-5, 1, { log: true }) + t.suggestInt("h", 1, 8) + (t.suggestCategorical("a", ["relu", "tanh"]) === "relu" ? 0 : 1), { nTrials: 5 });
      return s.trials.map((t) => t.params);
    };
    assert.deepEqual(run(), run());
  });

  test("log and step parameters stay in range and on their grid", () => {
    const study = mn.tune.createStudy({ sampler: new mn.tune.RandomSampler({ seed: 3 }), ...quiet });
    study.optimize((t) => {
      const lr = t.suggestFloat("lr", 1e-4, 1, { log: true });
      const m = t.suggestFloat("m", 0, 1, { step: 0.25 });
      const h = t.suggestInt("h", 16, 512, { log: true });
      assert.ok(lr >= 1e-4 && lr <= 1);
      assert.ok([0, 0.25, 0.5, 0.75, 1].includes(m));
      assert.ok(Number.isInteger(h) && h >= 16 && h <= 512);
      return lr;
    }, { nTrials: 50 });
    // log-uniform: about half of the draws fall below 1e-2, the middle of [1e-4, 1] in log space.
    const below = study.trials.filter((t) => (t.params["lr"] as number) < 1e-2).length;
    assert.ok(below > 12 && below < 38, String(below));
  });

  test("enqueueTrial fixes the next trial's values; the rest are sampled", () => {
    const study = mn.tune.createStudy({ ...quiet });
    study.enqueueTrial({ lr: 0.1 });
    const t = study.ask();
    assert.equal(t.suggestFloat("lr", 1e-4, 1, { log: true }), 0.1);
    const m = t.suggestFloat("m", 0, 1);
    assert.ok(m >= 0 && m <= 1);
    study.tell(t, 0.5);
    assert.deepEqual(study.trials[0]!.params, { lr: 0.1, m });
    assert.equal(study.trials[0]!.state, "COMPLETE");
  });

  test("a pruned trial keeps its last intermediate value; a thrown error fails the trial and is rethrown", () => {
    const study = mn.tune.createStudy({ ...quiet });
    study.optimize((t) => {
      t.report(3, 0);
      t.report(2, 1);
      throw new mn.tune.TrialPruned();
    }, { nTrials: 1 });
    assert.equal(study.trials[0]!.state, "PRUNED");
    assert.equal(study.trials[0]!.value, 2);
    assert.deepEqual([...study.trials[0]!.intermediateValues], [[0, 3], [1, 2]]);
    assert.throws(() => study.optimize(() => { throw new RangeError("boom"); }, { nTrials: 1 }), RangeError);
    assert.equal(study.trials[1]!.state, "FAIL");
    study.optimize(() => { throw new RangeError("caught"); }, { nTrials: 1, catch: [RangeError] });
    assert.equal(study.trials[2]!.state, "FAIL");
  });

  test("a NaN objective fails the trial with a warning, as in Optuna", () => {
    const warnings: string[] = [];
    const study = mn.tune.createStudy({ onWarning: (m) => warnings.push(m) });
    study.optimize(() => NaN, { nTrials: 1 });
    assert.equal(study.trials[0]!.state, "FAIL");
    assert.deepEqual(warnings, ["trial 0 failed because the objective returned NaN"]);
  });

  test("a finished trial refuses later writes (first finisher wins)", () => {
    const study = mn.tune.createStudy({ ...quiet });
    const t = study.ask();
    study.tell(t, 1);
    assert.throws(() => t.report(1, 0), (e: unknown) => e instanceof mn.LeaseLostError && /trial 0 is no longer this worker's: it already finished as COMPLETE/.test((e as Error).message));
    assert.throws(() => study.tell(t, 2), mn.LeaseLostError);
    assert.equal(study.trials[0]!.value, 1);
  });

  test("a parameter that contradicts the study's earlier trials is refused before it is written", () => {
    const study = mn.tune.createStudy({ studyName: "s", ...quiet });
    study.optimize((t) => t.suggestFloat("lr", 1e-4, 1, { log: true }), { nTrials: 1 });
    const t = study.ask();
    assert.throws(() => t.suggestFloat("lr", 1e-4, 1), {
      message: 'study "s": parameter "lr" contradicts the study\'s earlier trials: a study cannot change its log scale; expected float(0.0001, 1, log), got float(0.0001, 1)',
    });
    assert.deepEqual(study.ask().params, {});
  });

  test("a duplicate study name is refused, loadIfExists loads it, an unknown name lists the studies", () => {
    const storage = new mn.tune.InMemoryStorage();
    mn.tune.createStudy({ storage, studyName: "a", ...quiet });
    assert.throws(() => mn.tune.createStudy({ storage, studyName: "a", ...quiet }), { message: 'memory: a study named "a" already exists; load it (loadIfExists: true, or mn.tune.loadStudy) or choose another name' });
    assert.equal(mn.tune.createStudy({ storage, studyName: "a", loadIfExists: true, ...quiet }).studyName, "a");
    assert.throws(() => mn.tune.loadStudy({ storage, studyName: "b" }), { message: 'memory: no study named "b"; expected one of "a"' });
  });

  test("two workers on one storage never claim the same enqueued trial", () => {
    const storage = new mn.tune.InMemoryStorage();
    const a = mn.tune.createStudy({ storage, studyName: "g", ...quiet });
    const b = mn.tune.loadStudy({ storage, studyName: "g" });
    for (let i = 0; i < 4; i++) a.enqueueTrial({ x: i });
    const claimed = [a.ask(), b.ask(), a.ask(), b.ask()].map((t) => t.suggestInt("x", 0, 9));
    assert.deepEqual(claimed.sort(), [0, 1, 2, 3]);
    assert.equal(a.trials.length, 4);
  });
});
