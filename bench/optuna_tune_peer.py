"""Optuna's side of bench/tune.bench.ts: one worker process of a search with a trivial objective.

Usage: optuna_tune_peer.py STORAGE STUDY N_TRIALS START_AT
STORAGE is a journal file path, sqlite:///…, or postgresql://…; the study must exist (the bench creates
it). The process imports Optuna, waits until the wall-clock time START_AT (so every worker starts the
loop together, after its imports), runs N_TRIALS trials, and prints {"start": s, "end": e} as JSON.
"""
import json
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
storage_url, study_name, n_trials, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
if "://" in storage_url:
    storage = storage_url
else:
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(storage_url))
study = optuna.load_study(study_name=study_name, storage=storage, sampler=optuna.samplers.RandomSampler())
time.sleep(max(0.0, start_at - time.time()))
start = time.time()
study.optimize(lambda t: t.suggest_float("x", -10, 10) ** 2 + t.suggest_float("y", 1e-5, 1, log=True), n_trials=n_trials)
print(json.dumps({"start": start, "end": time.time()}))
