import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { runPython, testWithOptuna } from "./optuna-peer.js";

const quiet = { onWarning: () => {} };
const SPACE = { lr: [0.1, 0.01, 0.001], hidden: [128, 256], act: ["relu", "tanh"] };

/** Every combination, written out by hand: 3 × 2 × 2 = 12 points. */
function allPoints(): string[] {
  const out: string[] = [];
  for (const act of SPACE.act) for (const hidden of SPACE.hidden) for (const lr of SPACE.lr) out.push(JSON.stringify({ act, hidden, lr }));
  return out.sort();
}

function objective(t: mn.tune.Trial): number {
  const lr = t.suggestFloat("lr", 1e-4, 1, { log: true });
  const hidden = t.suggestCategorical("hidden", [128, 256]);
  const act = t.suggestCategorical("act", ["relu", "tanh"]);
  return Math.abs(Math.log10(lr) + 2) + (hidden === 256 ? 0 : 0.5) + (act === "relu" ? 0 : 0.25);
}

const key = (p: Readonly<Record<string, unknown>>) => JSON.stringify({ act: p["act"], hidden: p["hidden"], lr: p["lr"] });

describe("GridSampler", () => {
  test("every point is enqueued when the study is created, and optimize runs each exactly once, then ends", () => {
    const s = mn.tune.createStudy({ sampler: new mn.tune.GridSampler({ searchSpace: SPACE, seed: 1 }), ...quiet });
    assert.equal(s.trials.length, 12);
    assert.ok(s.trials.every((t) => t.state === "WAITING"));
    s.optimize(objective, { nTrials: 100 });
    assert.deepEqual(s.trials.map((t) => t.number), [...Array(12).keys()]);
    assert.ok(s.trials.every((t) => t.state === "COMPLETE"));
    assert.deepEqual(s.trials.map((t) => key(t.params)).sort(), allPoints());
    assert.throws(() => s.ask(), { name: "SearchExhausted", message: 'study "' + s.studyName + '": the grid sampler has no point left to try' });
    assert.deepEqual(s.bestParams, { lr: 0.01, hidden: 256, act: "relu" });
  });

  test("four workers sharing the storage, asking in turn, run the 12 points exactly once", () => {
    const storage = new mn.tune.InMemoryStorage();
    const first = mn.tune.createStudy({ storage, studyName: "g", sampler: new mn.tune.GridSampler({ searchSpace: SPACE, seed: 0 }), ...quiet });
    const spec = first.systemAttrs["minima:sampler"] as mn.tune.GridSamplerOptions;
    const workers = [0, 1, 2, 3].map(() => mn.tune.loadStudy({ storage, studyName: "g", sampler: new mn.tune.GridSampler({ searchSpace: spec.searchSpace }), ...quiet }));
    // All four ask before any tells, over and over, as parallel workers would.
    for (let round = 0; round < 5; round++) {
      const asked = workers.map((w) => {
        try {
          return [w, w.ask()] as const;
        } catch (e) {
          assert.equal((e as Error).name, "SearchExhausted");
          return null;
        }
      });
      for (const a of asked) if (a) a[0].tell(a[1], objective(a[1]));
    }
    const trials = first.trials;
    assert.equal(trials.length, 12);
    assert.deepEqual(trials.map((t) => key(t.params)).sort(), allPoints());
    assert.equal(new Set(trials.map((t) => t.systemAttrs["grid_id"])).size, 12);
  });

  test("the seed fixes the enqueued order: a permutation of the grid ids, the same for the same seed", () => {
    const order = (seed: number) => mn.tune.createStudy({ sampler: new mn.tune.GridSampler({ searchSpace: SPACE, seed }), ...quiet }).trials.map((t) => t.systemAttrs["grid_id"] as number);
    assert.deepEqual(order(5), order(5));
    assert.notDeepEqual(order(5), order(6));
    assert.deepEqual([...order(5)].sort((a, b) => a - b), [...Array(12).keys()]);
  });

  test("grid_id is Optuna's: the index in itertools.product over the names sorted (act, hidden, lr)", () => {
    const g = new mn.tune.GridSampler({ searchSpace: SPACE });
    // itertools.product(["relu","tanh"], [128,256], [0.1,0.01,0.001]): lr varies fastest.
    assert.deepEqual(g.point(0), { act: "relu", hidden: 128, lr: 0.1 });
    assert.deepEqual(g.point(4), { act: "relu", hidden: 256, lr: 0.01 });
    assert.deepEqual(g.point(11), { act: "tanh", hidden: 256, lr: 0.001 });
    assert.deepEqual(Object.keys(g.searchSpace), ["act", "hidden", "lr"]);
  });

  test("a parameter outside the grid, and a trial not made from a grid point, are refused", () => {
    const grid = new mn.tune.GridSampler({ searchSpace: { x: [1, 2] }, seed: 0 });
    const s = mn.tune.createStudy({ sampler: grid, ...quiet });
    const t = s.ask();
    assert.equal(t.suggestInt("x", 0, 5), grid.point(t.systemAttrs["grid_id"] as number)["x"]);
    assert.throws(() => t.suggestFloat("y", 0, 1), { message: `GridSampler (study "${s.studyName}", trial 0): parameter "y" is not in the grid; expected one of "x", or a grid that names it` });
    s.enqueueTrial({});
    s.tell(t, 1);
    s.tell(s.ask(), 2);
    const byHand = s.ask();
    assert.throws(() => byHand.suggestInt("x", 0, 5), {
      message: `GridSampler (study "${s.studyName}", trial 2): the trial is not a grid point (no grid_id), so "x" has no grid value; expected trials made by the grid: create the study with this GridSampler (it enqueues every point), or enqueue every grid parameter`,
    });
  });

  test("a grid value outside the suggested range is used, with the warning Optuna gives too", () => {
    const warnings: string[] = [];
    const s = mn.tune.createStudy({ sampler: new mn.tune.GridSampler({ searchSpace: { x: [7] } }), onWarning: (m) => warnings.push(m) });
    s.optimize((t) => t.suggestFloat("x", 0, 5), { nTrials: 1 });
    assert.equal(s.trials[0]!.params["x"], 7);
    assert.deepEqual(warnings, ['trial 0: the enqueued value 7 of "x" lies outside float(0, 5); it is used as given']);
  });

  test("bad grids are refused, naming the parameter and the value", () => {
    assert.throws(() => new mn.tune.GridSampler({ searchSpace: { lr: [] } }), { message: 'GridSampler: parameter "lr" needs a non-empty array of values; expected one or more values, got []' });
    assert.throws(() => new mn.tune.GridSampler({ searchSpace: { lr: [0.1, NaN] } }), { message: 'GridSampler: a value of "lr" cannot be stored in a study; expected null, a boolean, a finite number or a string, got NaN' });
    assert.throws(() => new mn.tune.GridSampler({ searchSpace: {} }), { message: "GridSampler: the search space has no parameter; expected at least one parameter with its values" });
    assert.throws(() => new mn.tune.GridSampler({} as never), { message: "GridSampler: missing option searchSpace; expected an object mapping each parameter to its values" });
  });

  testWithOptuna("Optuna 3.1's GridSampler reads minima's grid trials: it counts them visited and finishes the rest, each remaining point once", () => {
    const s = mn.tune.createStudy({ sampler: new mn.tune.GridSampler({ searchSpace: SPACE, seed: 2 }), ...quiet });
    s.optimize(objective, { nTrials: 5 });
    const trials = s.trials.map((t) => ({
      state: t.state, value: t.value, systemAttrs: t.systemAttrs,
      params: t.params, distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, mn.tune.distributionToJson(d)])),
    }));
    const out = runPython(OPTUNA_CONTINUES_GRID, { space: SPACE, trials });
    // Optuna's GridSampler knows which of its grid ids minima's 5 finished trials hold.
    const finishedIds = s.trials.filter((t) => t.state === "COMPLETE").map((t) => t.systemAttrs["grid_id"] as number).sort((a, b) => a - b);
    assert.deepEqual(out.unvisitedBefore, [...Array(12).keys()].filter((i) => !finishedIds.includes(i)));
    assert.deepEqual(out.mismatched, []);
    assert.equal(out.trials.length, 12);
    assert.ok(out.trials.every((t: { state: string }) => t.state === "COMPLETE"));
    assert.deepEqual(out.trials.map((t: { params: Record<string, unknown> }) => key(t.params)).sort(), allPoints());
  });
});

/** Builds minima's trials in an Optuna study, asks Optuna's GridSampler what is left, and lets Optuna optimize the rest. */
const OPTUNA_CONTINUES_GRID = `
import json, sys, warnings, math
import optuna
from optuna.distributions import json_to_distribution
from optuna.trial import TrialState, create_trial
optuna.logging.set_verbosity(optuna.logging.ERROR)
d = json.load(sys.stdin)
study = optuna.create_study()
for t in d["trials"]:
    dists = {k: json_to_distribution(v) for k, v in t["distributions"].items()}
    study.add_trial(create_trial(state=TrialState[t["state"]], value=t["value"], params=t["params"], distributions=dists, system_attrs=t["systemAttrs"]))
sampler = optuna.samplers.GridSampler(d["space"])
unvisited = sorted(sampler._get_unvisited_grid_ids(study))
names = sorted(d["space"])
mismatched = [t.number for t in study.trials if "grid_id" in t.system_attrs and t.params and tuple(t.params[n] for n in names) != sampler._all_grids[t.system_attrs["grid_id"]]]
study.sampler = sampler
def objective(trial):
    lr = trial.suggest_float("lr", 1e-4, 1, log=True)
    hidden = trial.suggest_categorical("hidden", [128, 256])
    act = trial.suggest_categorical("act", ["relu", "tanh"])
    return abs(math.log10(lr) + 2) + (0 if hidden == 256 else 0.5) + (0 if act == "relu" else 0.25)
study.optimize(objective)
print(json.dumps({"unvisitedBefore": unvisited, "mismatched": mismatched, "trials": [{"state": t.state.name, "params": t.params} for t in study.trials]}))
`;
