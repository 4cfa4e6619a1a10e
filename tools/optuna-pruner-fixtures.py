"""Writes test/fixtures/optuna-pruners.json: Optuna 3.1's pruning decisions on fixed value sequences.

Each case runs one of Optuna's pruners on an in-memory study fed with seeded random learning
curves (some values NaN), either one trial after another or three trials at a time reporting in
turn, and records should_prune() after every report, each trial's final state and its
completed_rung_k system attrs, and (Hyperband) Optuna's bracket of every trial and its budgets;
also the pruners' constructor defaults, binascii.crc32 and math.log of a few values.
test/tune/pruners/optuna-parity.test.ts replays the same sequences through minima's pruners.

Run with Debian's Optuna: /usr/bin/python3 tools/optuna-pruner-fixtures.py
"""
import binascii
import inspect
import json
import math
import os
import warnings

import numpy as np
import optuna
from optuna.trial import TrialState

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")


def curves(seed, n_trials, n_steps, nan_rate):
    rng = np.random.RandomState(seed)
    out = []
    for _ in range(n_trials):
        base, rate, floor = rng.uniform(0.5, 3.0), rng.uniform(0.02, 0.3), rng.uniform(0.0, 0.5)
        values = []
        for t in range(n_steps):
            v = floor + base * math.exp(-rate * t) + rng.normal(0, 0.05)
            if rng.uniform() < nan_rate:
                v = math.nan
            values.append(round(v, 6))
        out.append(values)
    return out


def make_pruner(kind, kwargs):
    return {
        "median": optuna.pruners.MedianPruner,
        "percentile": optuna.pruners.PercentilePruner,
        "halving": optuna.pruners.SuccessiveHalvingPruner,
        "hyperband": optuna.pruners.HyperbandPruner,
    }[kind](**kwargs)


def run(case):
    pruner = make_pruner(case["pruner"], case["optuna_kwargs"])
    study = optuna.create_study(study_name=case["study_name"], direction=case["direction"], pruner=pruner)
    seqs = curves(case["seed"], case["n_trials"], case["n_steps"], case["nan_rate"])
    first = case["first_step"]
    decisions = [[] for _ in seqs]
    batch = 1 if case["mode"] == "sequential" else 3
    for start in range(0, len(seqs), batch):
        live = [(i, study.ask()) for i in range(start, min(start + batch, len(seqs)))]
        for k in range(case["n_steps"]):
            still = []
            for i, trial in live:
                trial.report(seqs[i][k], first + k)
                pruned = trial.should_prune()
                decisions[i].append(bool(pruned))
                if pruned:
                    study.tell(trial, state=TrialState.PRUNED)
                else:
                    still.append((i, trial))
            live = still
        for i, trial in live:
            study.tell(trial, seqs[i][-1])
    trials = study.get_trials()
    out = {
        "sequences": [[("NaN" if math.isnan(v) else v) for v in s] for s in seqs],
        "decisions": decisions,
        "states": [t.state.name for t in trials],
        "rungs": [{k: v for k, v in t.system_attrs.items() if k.startswith("completed_rung_")} for t in trials],
    }
    if case["pruner"] == "hyperband":
        out["bracket_budgets"] = pruner._trial_allocation_budgets
        out["brackets"] = [pruner._get_bracket_id(study, t) for t in trials]
    return out


CASES = [
    dict(pruner="median", optuna_kwargs={}, direction="minimize", mode="sequential"),
    dict(pruner="median", optuna_kwargs=dict(n_startup_trials=2, n_warmup_steps=3, interval_steps=4, n_min_trials=2), direction="maximize", mode="interleaved"),
    dict(pruner="percentile", optuna_kwargs=dict(percentile=25.0), direction="minimize", mode="sequential"),
    dict(pruner="percentile", optuna_kwargs=dict(percentile=75.0, n_startup_trials=3, interval_steps=3), direction="maximize", mode="interleaved", first_step=1),
    dict(pruner="percentile", optuna_kwargs=dict(percentile=0.0, n_startup_trials=1), direction="minimize", mode="sequential"),
    dict(pruner="percentile", optuna_kwargs=dict(percentile=100.0, n_startup_trials=1), direction="maximize", mode="sequential"),
    dict(pruner="halving", optuna_kwargs={}, direction="minimize", mode="sequential"),
    dict(pruner="halving", optuna_kwargs=dict(min_resource=1, reduction_factor=2), direction="minimize", mode="interleaved", first_step=1),
    dict(pruner="halving", optuna_kwargs=dict(min_resource=2, reduction_factor=3, min_early_stopping_rate=1, bootstrap_count=2), direction="maximize", mode="sequential"),
    dict(pruner="halving", optuna_kwargs=dict(min_resource=1, reduction_factor=4), direction="maximize", mode="interleaved", n_steps=70),
    dict(pruner="hyperband", optuna_kwargs={}, direction="minimize", mode="sequential"),
    dict(pruner="hyperband", optuna_kwargs=dict(min_resource=1, max_resource=27, reduction_factor=3), direction="maximize", mode="interleaved", first_step=1),
    dict(pruner="hyperband", optuna_kwargs=dict(min_resource=1, max_resource=243, reduction_factor=3), direction="minimize", mode="sequential", n_steps=40),
    dict(pruner="hyperband", optuna_kwargs=dict(min_resource=2, max_resource=64, reduction_factor=2, bootstrap_count=1), direction="minimize", mode="interleaved"),
]


def main():
    cases = []
    for n, case in enumerate(CASES):
        case = dict(dict(seed=100 + n, n_trials=30, n_steps=30, nan_rate=0.02, first_step=0, study_name=f"pruner-case-{n}"), **case)
        cases.append(dict(case, optuna=run(case)))
    crc = {s: binascii.crc32(s.encode()) for s in ["pruner-case-10_0", "study_17", "é_3", ""]}
    defaults = {}
    for name, cls in [("median", optuna.pruners.MedianPruner), ("percentile", optuna.pruners.PercentilePruner),
                      ("halving", optuna.pruners.SuccessiveHalvingPruner), ("hyperband", optuna.pruners.HyperbandPruner)]:
        params = inspect.signature(cls.__init__).parameters.values()
        defaults[name] = {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}
    logs = {repr(x): math.log(x) for x in [3.0, 243.0, 81.0, 30.0, 0.1]}
    root = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "optuna-pruners.json")
    with open(root, "w") as f:
        json.dump({"optuna": optuna.__version__, "numpy": np.__version__, "crc32": crc, "defaults": defaults, "log": logs, "cases": cases}, f, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
