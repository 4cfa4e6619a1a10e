import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { pickStudy } from "../../src/cli/study-target.js";
import { formatStudy, studySummary } from "../../src/cli/study-table.js";
import { useCli } from "./run-minima.js";

const cli = useCli();
const quiet = { onWarning: () => {} };

/** A study written trial by trial as the storage keeps them: complete, pruned, failed, waiting. */
function handMadeStudy(): mn.tune.Study {
  const storage = new mn.tune.InMemoryStorage();
  const study = mn.tune.createStudy({ storage, studyName: "hand", ...quiet });
  study.setSystemAttr(mn.tune.ATTR.metric, "valLoss");
  const lr = mn.tune.float(1e-4, 1, { log: true });
  const act = mn.tune.categorical(["relu", "gelu"]);
  const trial = (state: mn.tune.TrialState, value: number | null, lrValue: number, actIndex: number, diagnosis?: string) => storage.createTrial(study.studyId, {
    state, value, params: { lr: lrValue, act: actIndex }, distributions: { lr, act },
    userAttrs: diagnosis ? { diagnosis: { summary: diagnosis, findings: [] } } : {},
    systemAttrs: { [mn.tune.ATTR.runDir]: `/s/trials/${storage.getAllTrials(study.studyId).length}` },
  });
  trial("COMPLETE", 0.4123456, 0.0031622776601683794, 0, "Healthy: no problems found.");
  trial("PRUNED", 1.25, 0.5, 1, "Problems: diverging at step 12.");
  trial("COMPLETE", 0.3, 0.01, 1);
  trial("FAIL", null, 0.9, 0);
  storage.createTrial(study.studyId, { state: "WAITING" });
  return study;
}

describe("minima study show", () => {
  // Reference: the trials written above, by hand.
  test("the table: one row per trial with its params (4 significant digits), value and diagnosis; then the best, in full", () => {
    assert.equal(formatStudy(studySummary(handMadeStudy())), [
      'study "hand" in memory: 5 trials (2 complete, 1 pruned, 1 failed, 1 waiting), minimize valLoss',
      "",
      "| trial | state | lr | act | valLoss | diagnosis |",
      "| --- | --- | --- | --- | --- | --- |",
      "| 0 | COMPLETE | 0.003162 | relu | 0.4123 | Healthy: no problems found. |",
      "| 1 | PRUNED | 0.5 | gelu | 1.25 | Problems: diverging at step 12. |",
      "| 2 | COMPLETE | 0.01 | gelu | 0.3 | - |",
      "| 3 | FAIL | 0.9 | relu | - | - |",
      "| 4 | WAITING | - | - | - | - |",
      "",
      "best: trial 2, valLoss 0.3, lr=0.01, act=gelu (/s/trials/2)",
    ].join("\n"));
  });

  test("--json: the same trials and best as data", () => {
    const s = studySummary(handMadeStudy());
    assert.deepEqual(s.trials.map((t) => [t.number, t.state, t.value, t.params["act"] ?? null, t.diagnosis]), [
      [0, "COMPLETE", 0.4123456, "relu", "Healthy: no problems found."], [1, "PRUNED", 1.25, "gelu", "Problems: diverging at step 12."],
      [2, "COMPLETE", 0.3, "gelu", null], [3, "FAIL", null, "relu", null], [4, "WAITING", null, null, null],
    ]);
    assert.equal(s.best?.number, 2);
    assert.deepEqual([s.study, s.direction, s.metric], ["hand", "minimize", "valLoss"]);
  });

  test("a study with no finished trial says so", () => {
    const study = mn.tune.createStudy({ storage: new mn.tune.InMemoryStorage(), studyName: "empty", ...quiet });
    assert.equal(formatStudy(studySummary(study)), 'study "empty" in memory: 0 trials, minimize value\n\nbest: none yet (no trial has completed)');
  });

  test("without --study: the only study; several are refused naming them; an unknown name lists the storage's studies", () => {
    const storage = new mn.tune.InMemoryStorage();
    assert.throws(() => pickStudy(storage, undefined), { message: "memory: holds no study" });
    mn.tune.createStudy({ storage, studyName: "a", ...quiet });
    assert.equal(pickStudy(storage, undefined).studyName, "a");
    mn.tune.createStudy({ storage, studyName: "b", ...quiet });
    assert.throws(() => pickStudy(storage, undefined), { message: 'memory: holds 2 studies; name one with --study; expected "a", "b"' });
    assert.throws(() => pickStudy(storage, "c"), { message: 'memory: no study named "c"; expected one of "a", "b"' });
  });

  test("the command line: exit 1 with the storage's refusal", () => {
    const r = cli.run("study", "show", "memory");
    assert.equal(r.code, 1);
    assert.equal(r.err, "minima: memory: holds no study\n");
  });
});
