import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";

const { ATTR } = mn.tune;

/**
 * An objective whose trial n reports c_n / step at steps 1…4 (a learning curve), keeping a fake
 * checkpoint "step:<s>" current as a runner keeps its checkpoint path, and resuming after the
 * step its resume_from names. Records which trial each ask() handed out.
 */
function curveObjective(c: readonly number[], asked: number[]) {
  return (trial: mn.tune.Trial): number => {
    asked.push(trial.number);
    const resume = trial.systemAttrs[ATTR.resumeFrom];
    const from = typeof resume === "string" ? Number(resume.slice("step:".length)) : 0;
    for (let s = from + 1; s <= 4; s++) {
      trial.setSystemAttr(ATTR.checkpoint, `step:${s}`);
      trial.report(c[trial.number]! / s, s);
      if (trial.shouldPrune()) throw new mn.tune.TrialPruned();
    }
    return c[trial.number]! / 4;
  };
}

describe("AshaPruner: pause at a rung, promote when in the top 1/η (Li et al. 2020, Alg. 2)", () => {
  test("trials pause, and ask() resumes the one that became promotable before starting a new one (schedule worked by hand from the paper's rule)", () => {
    // η = 2, rungs at steps 1 and 2 (4 = maxResource: a trial there completes). Curves c/step with c = 1, 3, 4, 5, 0.5.
    // T0 alone at rung 0 → pauses. T1 (3) vs [1,3]: top ⌊2/2⌋=1 is 1 → T1 pauses; T0 is now promotable → resumed,
    // pauses at rung 1 (alone). T2 (4), T3 (5) pause at rung 0; with [1,3,4,5] the top 2 holds T1 (3) → resumed,
    // 1.5 at rung 1 vs [0.5,1.5]: pauses, and makes T0 (0.5) the top of rung 1 → resumed, completes at step 4.
    // T4 (0.5) is the best at rungs 0 and 1 on arrival, so it runs through.
    const asked: number[] = [];
    const study = mn.tune.createStudy({ pruner: new mn.tune.AshaPruner({ minResource: 1, maxResource: 4, reductionFactor: 2 }), onWarning: () => {} });
    study.optimize(curveObjective([1, 3, 4, 5, 0.5], asked), { nTrials: 8 });
    assert.deepEqual(asked, [0, 1, 0, 2, 3, 1, 0, 4]);
    const t = study.trials;
    assert.deepEqual(t.map((x) => x.state), ["COMPLETE", "WAITING", "WAITING", "WAITING", "COMPLETE"]);
    const attr = (key: string) => t.map((x) => (key in x.systemAttrs ? x.systemAttrs[key] : "absent"));
    assert.deepEqual(attr(ATTR.pausedAtRung), [null, 1, 0, 0, "absent"], "null: resumed since its last pause");
    assert.deepEqual(attr(ATTR.resumeFrom), ["step:2", "step:2", "step:1", "step:1", "absent"]);
    assert.deepEqual([...t[0]!.intermediateValues], [[1, 1], [2, 0.5], [3, 1 / 3], [4, 0.25]]);
    assert.equal(t[0]!.value, 0.25);
    assert.equal(study.bestTrial.number, 4);
    assert.deepEqual(t.map((x) => [x.systemAttrs["completed_rung_0"], x.systemAttrs["completed_rung_1"]]), [[1, 0.5], [3, 1.5], [4, undefined], [5, undefined], [0.5, 0.25]]);
  });

  test("maximizing: the top 1/η is the largest values", () => {
    const asked: number[] = [];
    const study = mn.tune.createStudy({ direction: "maximize", pruner: new mn.tune.AshaPruner({ minResource: 1, maxResource: 4, reductionFactor: 2 }), onWarning: () => {} });
    // The same schedule with every value negated, and the direction flipped.
    study.optimize(curveObjective([-1, -3, -4, -5, -0.5], asked), { nTrials: 8 });
    assert.deepEqual(asked, [0, 1, 0, 2, 3, 1, 0, 4]);
  });

  test("an enqueued trial is claimed before a paused one that is not promotable, and the paused one keeps waiting", () => {
    const study = mn.tune.createStudy({ pruner: new mn.tune.AshaPruner({ minResource: 1, maxResource: 4, reductionFactor: 2 }), onWarning: () => {} });
    const asked: number[] = [];
    study.optimize(curveObjective([1], asked), { nTrials: 1 });
    assert.equal(study.trials[0]!.state, "WAITING");
    study.enqueueTrial({ x: 0.5 });
    const next = study.ask();
    assert.equal(next.number, 1);
    assert.deepEqual(next.params, {});
    assert.equal(next.suggestFloat("x", 0, 1), 0.5);
    assert.equal(study.trials[0]!.state, "WAITING");
  });

  test("two workers on one storage: a promotable trial is resumed once; the other worker's claim of it returns null", () => {
    const storage = new mn.tune.InMemoryStorage();
    const pruner = () => new mn.tune.AshaPruner({ minResource: 1, maxResource: 4, reductionFactor: 2 });
    const a = mn.tune.createStudy({ storage, studyName: "s", pruner: pruner(), onWarning: () => {} });
    const b = mn.tune.loadStudy({ storage, studyName: "s", pruner: pruner(), onWarning: () => {} });
    const asked: number[] = [];
    a.optimize(curveObjective([1, 3], asked), { nTrials: 2 }); // T0 and T1 pause; T0 becomes promotable
    const promotable = b.pruner.promotable!(b);
    assert.deepEqual(promotable.map((t) => t.number), [0]);
    const resumed = b.ask();
    assert.equal(resumed.number, 0);
    assert.equal(resumed.lease.epoch, 2, "a second claim of trial 0");
    assert.equal(storage.claimWaitingTrial(a.studyId, a.workerId, promotable[0]!.trialId), null);
    assert.equal(a.ask().number, 2, "worker a starts a new trial");
  });

  test("ask/tell: after shouldPrune(), pausedRung tells a pause (WAITING) from a prune; a plain ask passes the paused trial by", () => {
    const study = mn.tune.createStudy({ pruner: new mn.tune.AshaPruner({ minResource: 1, maxResource: 4, reductionFactor: 2 }), onWarning: () => {} });
    const trial = study.ask();
    trial.setSystemAttr(ATTR.checkpoint, "ckpt/0");
    trial.report(1, 1);
    assert.equal(trial.shouldPrune(), true);
    assert.equal(mn.tune.pausedRung(trial.frozen()), 0);
    const told = study.tell(trial, mn.tune.pausedRung(trial.frozen()) !== null ? "WAITING" : "PRUNED");
    assert.equal(told.state, "WAITING");
    assert.equal(mn.tune.isPaused(told), true);
    assert.equal(told.systemAttrs[ATTR.resumeFrom], "ckpt/0");
    assert.equal(study.ask().number, 1);
  });

  test("a trial without a checkpoint cannot pause: it is pruned, with a warning (exact text)", () => {
    const warnings: string[] = [];
    const study = mn.tune.createStudy({ pruner: new mn.tune.AshaPruner({ minResource: 1, maxResource: 4, reductionFactor: 2 }), onWarning: (m) => warnings.push(m) });
    study.optimize((trial) => {
      trial.report(1, 1);
      if (trial.shouldPrune()) throw new mn.tune.TrialPruned();
      return 1;
    }, { nTrials: 1 });
    assert.equal(study.trials[0]!.state, "PRUNED");
    assert.deepEqual(warnings, ["AshaPruner: trial 0 has no checkpoint (system attr minima:checkpoint), so it could not be resumed; it is pruned at rung 0 instead of paused"]);
  });
});
