import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { loadFixture } from "../../helpers/fixtures.js";

const fixture = loadFixture("optuna-pruners.json") as { defaults: Record<string, Record<string, unknown>> };
const camel = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
const quiet = { onWarning: () => {} };

describe("pruners: options, specs, errors", () => {
  test("defaults equal Optuna 3.1's constructor defaults (inspect.signature, in the fixture)", () => {
    const { name: _m, ...median } = new mn.tune.MedianPruner().spec();
    assert.deepEqual(median, camel(fixture.defaults["median"]!));
    const { name: _p, percentile, ...rest } = new mn.tune.PercentilePruner({ percentile: 30 }).spec();
    assert.equal(percentile, 30);
    assert.deepEqual(rest, camel(fixture.defaults["percentile"]!));
    const { name: _h, ...halving } = new mn.tune.SuccessiveHalvingPruner().spec();
    assert.deepEqual(halving, camel(fixture.defaults["halving"]!));
    const { name: _b, ...hyperband } = new mn.tune.HyperbandPruner().spec();
    assert.deepEqual(hyperband, camel(fixture.defaults["hyperband"]!));
  });

  test("prunerFromSpec rebuilds every pruner from its spec, and a study stores the spec for workers", () => {
    const pruners: mn.tune.Pruner[] = [
      new mn.tune.NopPruner(), new mn.tune.MedianPruner({ nWarmupSteps: 2 }), new mn.tune.PercentilePruner({ percentile: 10, nMinTrials: 3 }),
      new mn.tune.SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 3 }), new mn.tune.HyperbandPruner({ maxResource: 27 }),
      new mn.tune.AshaPruner({ minResource: 1, maxResource: 8, reductionFactor: 2 }),
    ];
    for (const p of pruners) {
      const again = mn.tune.prunerFromSpec(p.spec!());
      assert.equal(again.constructor, p.constructor);
      assert.deepEqual(again.spec!(), p.spec!());
      const study = mn.tune.createStudy({ pruner: p, ...quiet });
      assert.deepEqual(study.systemAttrs[mn.tune.ATTR.pruner], p.spec!());
    }
    assert.deepEqual(mn.tune.PRUNER_NAMES, ["none", "median", "percentile", "halving", "hyperband", "asha"]);
  });

  test("bad specs and options are refused naming the value (exact text)", () => {
    assert.throws(() => mn.tune.prunerFromSpec({ name: "hyperbnd" }), { message: 'prunerFromSpec: unknown pruner "hyperbnd" — did you mean "hyperband"?; expected one of none, median, percentile, halving, hyperband, asha' });
    assert.throws(() => mn.tune.prunerFromSpec("median"), { message: 'prunerFromSpec: a pruner spec is an object with a name; expected { name: "none" | "median" | "percentile" | "halving" | "hyperband" | "asha", …options }, got "median"' });
    assert.throws(() => mn.tune.prunerFromSpec({ name: "none", x: 1 }), { message: 'prunerFromSpec: the "none" pruner takes no options, got {"x":1}' });
    assert.throws(() => new mn.tune.MedianPruner({ nWarmupStep: 3 } as never), { message: 'MedianPruner: unknown option "nWarmupStep" — did you mean "nWarmupSteps"?; expected one of nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials' });
    assert.throws(() => new mn.tune.MedianPruner({ percentile: 20 } as never), { message: 'MedianPruner: unknown option "percentile"; expected one of nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials' });
    assert.throws(() => new mn.tune.PercentilePruner({ percentile: 120 }), { message: "PercentilePruner: invalid percentile; expected a number in [0, 100], got 120" });
    assert.throws(() => new mn.tune.PercentilePruner({} as never), { message: "PercentilePruner: missing option percentile; expected a number in [0, 100]" });
    assert.throws(() => new mn.tune.MedianPruner({ intervalSteps: 0 }), { message: "MedianPruner: invalid intervalSteps; expected a positive integer, got 0" });
    assert.throws(() => new mn.tune.SuccessiveHalvingPruner({ minResource: "atuo" as never }), { message: 'SuccessiveHalvingPruner: invalid minResource; expected "auto" or an integer ≥ 1, got "atuo"' });
    assert.throws(() => new mn.tune.SuccessiveHalvingPruner({ reductionFactor: 1 }), { message: "SuccessiveHalvingPruner: invalid reductionFactor; expected an integer ≥ 2, got 1" });
    assert.throws(() => new mn.tune.SuccessiveHalvingPruner({ bootstrapCount: 2 }), { message: 'SuccessiveHalvingPruner: bootstrapCount > 0 needs a fixed minResource, not "auto"; expected minResource: an integer ≥ 1, got bootstrapCount 2' });
    assert.throws(() => new mn.tune.HyperbandPruner({ bootstrapCount: 1 }), { message: 'HyperbandPruner: bootstrapCount > 0 needs a fixed maxResource, not "auto"; expected maxResource: an integer ≥ 1, got bootstrapCount 1' });
    assert.throws(() => new mn.tune.AshaPruner({} as never), { message: "AshaPruner: missing option maxResource; expected a positive integer" });
  });

  test("successive halving records completed_rung_k on the running trial, so it refuses a bare FrozenTrial (exact text)", () => {
    const pruner = new mn.tune.SuccessiveHalvingPruner({ minResource: 1 });
    const study = mn.tune.createStudy({ pruner, ...quiet });
    const trial = study.ask();
    trial.report(0.5, 1);
    assert.throws(() => pruner.prune(study, trial.frozen()), { message: "SuccessiveHalvingPruner: the pruner records completed_rung_0 on trial 0, so it needs the running trial; expected trial.shouldPrune() (or pruner.prune(study, trial.frozen(), trial))" });
    assert.equal(trial.shouldPrune(), false, "the first trial at a rung is promoted (Optuna's rule with fewer than η values)");
    assert.equal(trial.frozen().systemAttrs["completed_rung_0"], 0.5);
  });

  test("a worker's late rung record after the trial was reaped is refused by the lease (LeaseLostError)", () => {
    const storage = new mn.tune.InMemoryStorage();
    const pruner = new mn.tune.SuccessiveHalvingPruner({ minResource: 1 });
    const study = mn.tune.createStudy({ storage, pruner, ...quiet });
    const trial = study.ask();
    trial.report(0.5, 1);
    const before = trial.frozen();
    study.tell(trial, "FAIL"); // as the reaper would
    assert.throws(() => pruner.prune(study, before, trial), mn.LeaseLostError);
    assert.equal("completed_rung_0" in study.trials[0]!.systemAttrs, false);
  });

  test("a claim by id takes only a WAITING trial of that study", () => {
    const storage = new mn.tune.InMemoryStorage();
    const a = mn.tune.createStudy({ storage, studyName: "a", ...quiet });
    const b = mn.tune.createStudy({ storage, studyName: "b", ...quiet });
    a.enqueueTrial({ x: 1 });
    const id = a.trials[0]!.trialId;
    assert.equal(storage.claimWaitingTrial(b.studyId, "w", id), null, "another study's trial");
    const lease = storage.claimWaitingTrial(a.studyId, "w", id);
    assert.equal(lease?.trialId, id);
    assert.equal(storage.claimWaitingTrial(a.studyId, "w2", id), null, "no longer WAITING");
  });
});
