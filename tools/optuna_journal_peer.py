"""Debian's Optuna 3.1 as a peer of minima's journal file (test/tune/journal-file-optuna.test.ts runs it).

Usage, with Debian's python3-optuna:   /usr/bin/python3 tools/optuna_journal_peer.py COMMAND ...
  write PATH              Optuna writes two studies: NaN/inf values, pruned, failed, enqueued and added trials, attrs
  dump PATH STUDY         prints the study as Optuna reads it, as JSON (non-finite floats as "NaN", "Infinity", "-Infinity")
  append PATH N TAG       appends N study user attrs TAG-0 … through Optuna's JournalFileStorage (its lock)
  hold-lock PATH SECONDS  takes Optuna's JournalFileSymlinkLock, prints "locked", holds it, releases it
  python-json             writes test/fixtures/tune/python-json.json: json.dumps of the values the codec test lists
"""
import json
import math
import sys
import time
import warnings

warnings.simplefilter("ignore")  # JournalStorage is "experimental" in 3.1

try:
    import optuna
    from optuna.storages import JournalFileStorage, JournalStorage
    from optuna.storages._journal.file import JournalFileSymlinkLock

    optuna.logging.set_verbosity(optuna.logging.ERROR)
except ImportError:
    optuna = None  # python-json needs only the standard library


def storage(path):
    return JournalStorage(JournalFileStorage(path))


def write(path):
    s = optuna.create_study(study_name="optuna-written", storage=storage(path), direction="minimize")
    s.set_user_attr("dataset", "fashion-mnist \u2713")
    s.set_system_attr("note", {"nested": [1, 2.5, None, True]})

    def objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1.0, log=True)
        layers = trial.suggest_int("layers", 1, 4)
        act = trial.suggest_categorical("act", ["relu", "tanh", None])
        width = trial.suggest_float("width", 0.0, 1.0, step=0.25)
        trial.set_user_attr("tag", f"t{trial.number}")
        n = trial.number
        if n == 1:
            trial.report(float("nan"), 0)
            trial.report(0.75, 1)
            raise optuna.TrialPruned()
        if n == 2:
            raise RuntimeError("objective failed")
        trial.report(float("inf"), 0)
        trial.report(float("-inf"), 1)
        trial.report(lr * layers, 2)
        if n == 3:
            return float("inf")
        if n == 4:
            return float("nan")  # Optuna marks the trial FAIL
        return lr * layers + width

    s.optimize(objective, n_trials=7, catch=(RuntimeError,))
    s.enqueue_trial({"lr": 0.01, "layers": 2})
    s.add_trial(
        optuna.trial.create_trial(
            params={"lr": 0.5, "layers": 3},
            distributions={"lr": optuna.distributions.FloatDistribution(1e-5, 1.0, log=True), "layers": optuna.distributions.IntDistribution(1, 4)},
            value=-1.5,
            intermediate_values={0: 2.5, 3: -1.5},
            user_attrs={"added": True},
            system_attrs={"origin": "add_trial"},
        )
    )
    m = optuna.create_study(study_name="second", storage=storage(path), direction="maximize")
    m.optimize(lambda t: t.suggest_int("k", 0, 10), n_trials=3)


def plain(x):
    """JSON-safe copy: non-finite floats become the strings JavaScript's String() gives them."""
    if isinstance(x, float) and not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def dump(path, name):
    s = optuna.load_study(study_name=name, storage=storage(path))
    out = {
        "study_name": s.study_name,
        "directions": [d.name for d in s.directions],
        "user_attrs": s.user_attrs,
        "system_attrs": s.system_attrs,
        "trials": [
            {
                "number": t.number,
                "trial_id": t._trial_id,
                "state": t.state.name,
                "params": t.params,
                "distributions": {k: optuna.distributions.distribution_to_json(d) for k, d in t.distributions.items()},
                "value": t.value if t.values is not None else None,
                "intermediate_values": t.intermediate_values,
                "user_attrs": t.user_attrs,
                "system_attrs": t.system_attrs,
                "datetime_start": t.datetime_start.isoformat(timespec="microseconds") if t.datetime_start else None,
                "datetime_complete": t.datetime_complete.isoformat(timespec="microseconds") if t.datetime_complete else None,
            }
            for t in s.trials
        ],
    }
    try:
        out["best"] = {"number": s.best_trial.number, "value": s.best_value, "params": s.best_params}
    except ValueError:
        out["best"] = None
    print(json.dumps(plain(out)))


def append(path, n, tag):
    st = storage(path)
    sid = st.get_study_id_from_name("race")
    for i in range(n):
        st.set_study_user_attr(sid, f"{tag}-{i}", i)


def hold_lock(path, seconds):
    lock = JournalFileSymlinkLock(path)
    lock.acquire()
    print("locked", flush=True)
    time.sleep(seconds)
    lock.release()


def python_json():
    """The values of test/tune/journal-file-python-json.test.ts, built in Python, as json.dumps writes them."""
    values = [
        1.0, 1, -0.0, 0.1 + 0.2, 1e-05, 0.0001, 1e16, 1.5e16, 123456789012345.6, 5e-324, 1.7976931348623157e308,
        float("nan"), float("inf"), float("-inf"), -2.5e-07, 3e17,
        "plain", 'quote " backslash \\ slash /', "\b\f\n\r\t\x00\x1f\x7f", "\u00e9\u2713\U0001F600", "",
        None, True, False, [], {}, [1, [2.0, [None]]], {"b": 1, "a": {"nested": [float("nan"), "x"]}},
    ]
    with open("test/fixtures/tune/python-json.json", "w") as f:
        f.write(json.dumps({"source": "json.dumps of Python " + sys.version.split()[0] + ", by tools/optuna_journal_peer.py python-json", "dumps": [json.dumps(v) for v in values]}, indent=1) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "write":
        write(sys.argv[2])
    elif cmd == "dump":
        dump(sys.argv[2], sys.argv[3])
    elif cmd == "append":
        append(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == "hold-lock":
        hold_lock(sys.argv[2], float(sys.argv[3]))
    elif cmd == "python-json":
        python_json()
    else:
        sys.exit(__doc__)
