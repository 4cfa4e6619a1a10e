"""Writes test/fixtures/optuna-tpe.json: what Optuna 3.1's TPE computes deterministically, for
test/tune/samplers/tpe.test.ts to hold minima's TPESampler to.

  /usr/bin/python3 tools/optuna-tpe-fixtures.py      (Debian's python3-optuna 3.1.0)

- "estimators": _ParzenEstimator's kernel weights, mus, sigmas and categorical weights for fixed
  observations over several search spaces and settings, and its log_pdf at fixed points;
- "truncnorm": _truncnorm's log_ndtr, _log_gauss_mass and ppf at fixed points, tails included;
- "behaviour": the best value Optuna 3.1's TPESampler (multivariate, constant liar: Optuna's current
  defaults) reaches in 50 trials of a three-parameter test function, for seeds 0–19;
- "split": the observation pairs and the below/above split TPESampler makes of a fixed history of
  COMPLETE, PRUNED (with and without intermediate values, one NaN) and RUNNING trials (constant
  liar on), minimizing and maximizing.

Optuna 3.1.0's _truncnorm.logpdf leaves out the −log(scale) of a scaled density (later Optuna
releases subtract it); the log_pdf values here are computed with it added, as minima does, and the
values 3.1.0 gives are kept beside them ("logPdf310").
"""

import json
import math
import os

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe import parzen_estimator as pe
from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs, default_gamma, default_weights
from optuna.trial import TrialState, create_trial

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "optuna-tpe.json")


def dist_json(d):
    return json.loads(optuna.distributions.distribution_to_json(d))


def estimator(obs, space, multivariate, consider_endpoints=False, consider_magic_clip=True, consider_prior=True, prior_weight=1.0):
    params = pe._ParzenEstimatorParameters(consider_prior, prior_weight, consider_magic_clip, consider_endpoints, default_weights, multivariate)
    return pe._ParzenEstimator({k: np.asarray(v, dtype=float) for k, v in obs.items()}, space, params)


def finite(x):
    x = float(x)
    return x if math.isfinite(x) else ("NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity"))


def case(name, obs, space, points, **settings):
    est = estimator(obs, space, **settings)
    samples = {k: np.asarray(v) for k, v in points.items()}
    log_pdf_310 = est.log_pdf(samples)
    _truncnorm.logpdf = scaled_logpdf
    try:
        log_pdf = est.log_pdf(samples)
    finally:
        _truncnorm.logpdf = ORIGINAL_LOGPDF
    out = {
        "name": name,
        "settings": settings,
        "space": {k: dist_json(d) for k, d in space.items()},
        "observations": obs,
        "weights": est._weights.tolist(),
        "kernels": {},
        "points": points,
        "logPdf": [finite(v) for v in log_pdf],
        "logPdf310": [finite(v) for v in log_pdf_310],
    }
    for k, d in space.items():
        if isinstance(d, CategoricalDistribution):
            out["kernels"][k] = {"categoricalWeights": est._categorical_weights[k].tolist()}
        else:
            out["kernels"][k] = {"low": est._low[k], "high": est._high[k], "q": est._q[k], "mus": est._mus[k].tolist(), "sigmas": est._sigmas[k].tolist()}
    return out


def scaled_logpdf(x, a, b, loc=0, scale=1):
    return ORIGINAL_LOGPDF(x, a, b, loc, scale) - np.log(scale)


ORIGINAL_LOGPDF = _truncnorm.logpdf

F = FloatDistribution
I = IntDistribution
C = CategoricalDistribution

estimators = [
    case("float, univariate, 5 observations", {"x": [0.5, -2.0, 3.25, 3.5, 9.0]}, {"x": F(-10, 10)}, {"x": [-9.5, -2.0, 0.0, 3.3, 9.99]}, multivariate=False),
    case("float, univariate, endpoints considered", {"x": [0.5, -2.0, 3.25, 3.5, 9.0]}, {"x": F(-10, 10)}, {"x": [-9.5, 0.0, 9.99]}, multivariate=False, consider_endpoints=True),
    case("float, univariate, no magic clip, no prior", {"x": [0.1, 0.1001, 0.5]}, {"x": F(0, 1)}, {"x": [0.1, 0.3, 0.9]}, multivariate=False, consider_magic_clip=False, consider_prior=False),
    case("log float, univariate, one observation", {"lr": [0.003]}, {"lr": F(1e-5, 1, log=True)}, {"lr": [1e-5, 0.001, 0.5]}, multivariate=False),
    case("no observations: the prior alone", {"x": []}, {"x": F(-1, 3)}, {"x": [-1.0, 1.0, 2.5]}, multivariate=False),
    case(
        "log float, int, categorical, multivariate, 8 observations",
        {"lr": [1e-4, 3e-3, 0.02, 0.5, 7e-4, 1e-2, 0.3, 2e-5], "layers": [1, 4, 2, 2, 3, 1, 4, 2], "act": [0, 1, 1, 2, 0, 1, 2, 1]},
        {"lr": F(1e-5, 1, log=True), "layers": I(1, 4), "act": C(["relu", "tanh", "gelu"])},
        {"lr": [1e-5, 1e-3, 0.05, 0.9], "layers": [1, 2, 3, 4], "act": [0, 1, 2, 1]},
        multivariate=True,
    ),
    case(
        "stepped float and int with step 2, univariate",
        {"m": [0.5, 0.9, 0.9, 0.6], "h": [16, 32, 64, 48]},
        {"m": F(0.5, 0.95, step=0.05), "h": I(16, 64, step=16)},
        {"m": [0.5, 0.7, 0.95], "h": [16, 32, 64]},
        multivariate=False,
    ),
    case(
        "int log and categorical, prior weight 2, multivariate",
        {"width": [32, 100, 512, 8], "opt": [1, 1, 0, 1]},
        {"width": I(8, 512, log=True), "opt": C(["sgd", "adam"])},
        {"width": [8, 64, 500], "opt": [0, 1, 1]},
        multivariate=True,
        prior_weight=2.0,
    ),
    case(
        "30 observations: ramp weights",
        {"x": [((i * 7919) % 101) / 10.0 - 5 for i in range(30)]},
        {"x": F(-5, 5.1)},
        {"x": [-4.0, 0.0, 4.9]},
        multivariate=False,
    ),
    case(
        "30 observations, multivariate: ramp weights, Scott's bandwidth",
        {"x": [((i * 7919) % 101) / 10.0 - 5 for i in range(30)], "y": [((i * 104729) % 97) / 97.0 for i in range(30)]},
        {"x": F(-5, 5.1), "y": F(0, 1)},
        {"x": [-4.0, 0.0, 4.9], "y": [0.1, 0.5, 0.99]},
        multivariate=True,
    ),
]

points = [-40.0, -25.0, -20.5, -19.0, -5.0, -1.0, -0.2, 0.0, 0.3, 2.0, 6.5, 7.0, 12.0]
pairs = [(-40.0, -39.0), (-22.0, -21.5), (-3.0, -1.0), (-1.0, 0.5), (-0.5, 4.0), (0.3, 0.4), (2.0, 9.0), (8.0, 8.5), (-100.0, 100.0)]
ppf_cases = [(q, a, b) for (a, b) in [(-3.0, -1.0), (-1.0, 0.5), (0.3, 2.0), (-0.5, 4.0), (-30.0, -29.0), (5.0, 7.0)] for q in (0.0, 1e-9, 0.1, 0.5, 0.9, 1.0)]
truncnorm = {
    "logNdtr": [[x, finite(_truncnorm._log_ndtr_single(x))] for x in points],
    "logGaussMass": [[a, b, finite(_truncnorm._log_gauss_mass(np.asarray([a]), np.asarray([b]))[0])] for a, b in pairs],
    "ppf": [[q, a, b, finite(_truncnorm.ppf(np.asarray([q]), a, b)[0])] for q, a, b in ppf_cases],
}


def history(direction):
    study = optuna.create_study(direction=direction)
    d = {"x": F(0, 10)}
    rows = [
        ("COMPLETE", 3.0, 1.0, {}),
        ("COMPLETE", 9.0, 0.2, {}),
        ("PRUNED", 5.0, None, {0: 4.0, 1: 2.5}),
        ("PRUNED", 1.0, None, {0: 0.1}),
        ("PRUNED", 7.0, None, {}),
        ("RUNNING", 2.0, None, {0: 0.0}),
        ("COMPLETE", 4.0, -1.0, {}),
        ("PRUNED", 6.0, None, {0: 1.0, 3: float("nan")}),
        ("COMPLETE", 8.0, 1.0, {}),
        ("COMPLETE", 0.5, float("inf"), {}),
        ("COMPLETE", 2.5, 0.5, {}),
        ("RUNNING", 6.5, None, {}),
        ("COMPLETE", 5.5, 0.2, {}),
    ]
    for state, x, value, iv in rows:
        study.add_trial(create_trial(state=TrialState[state], params={"x": x}, distributions=d, value=value, intermediate_values=iv))
    trials = [{"state": s, "x": x, "value": finite(v) if v is not None else None, "intermediate": [[k, finite(v2)] for k, v2 in iv.items()]} for s, x, v, iv in rows]
    values, scores, _ = _get_observation_pairs(study, ["x"], True, False)
    n = sum(s < float("inf") for s, v in scores)
    below, above = _split_observation_pairs(scores, default_gamma(n), None)
    return {
        "direction": direction,
        "trials": trials,
        "values": values["x"],
        "scores": [[finite(s), finite(v[0])] for s, v in scores],
        "n": int(n),
        "gamma": default_gamma(n),
        "below": below.tolist(),
        "above": above.tolist(),
    }


def behaviour():
    """Optuna's TPE (current defaults: multivariate, constant liar) on f, 50 trials, seeds 0–19."""
    import warnings

    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    optuna.logging.set_verbosity(optuna.logging.ERROR)

    def f(t):
        x = t.suggest_float("x", -10, 10)
        lr = t.suggest_float("lr", 1e-5, 1, log=True)
        h = t.suggest_int("h", 1, 8)
        return (x - 2) ** 2 / 10 + (math.log10(lr) + 3) ** 2 + (h - 5) ** 2 / 4

    best = []
    _truncnorm.logpdf = scaled_logpdf
    try:
        for seed in range(20):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True))
            study.optimize(f, n_trials=50)
            best.append(study.best_value)
    finally:
        _truncnorm.logpdf = ORIGINAL_LOGPDF
    return {"function": "(x-2)^2/10 + (log10(lr)+3)^2 + (h-5)^2/4; x float(-10,10), lr float(1e-5,1,log), h int(1,8)", "nTrials": 50, "best": best}


fixture = {
    "optuna": optuna.__version__,
    "numpy": np.__version__,
    "defaultWeights": {str(n): default_weights(n).tolist() for n in (0, 1, 24, 25, 26, 40)},
    "defaultGamma": [[n, default_gamma(n)] for n in (0, 1, 9, 10, 11, 100, 249, 250, 251, 1000)],
    "estimators": estimators,
    "truncnorm": truncnorm,
    "split": [history("minimize"), history("maximize")],
    "behaviour": behaviour(),
}
with open(OUT, "w") as f:
    json.dump(fixture, f, allow_nan=False, separators=(",", ":"))
    f.write("\n")
print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")
