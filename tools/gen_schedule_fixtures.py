"""Regenerate test/fixtures/schedulers.json: PyTorch's learning-rate sequences, which
test/schedule/contract.test.ts compares minima's schedulers against (to 1e-12 relative).

It writes, for each case (a scheduler and a spread of its options):

  desc       what the case covers
  scheduler  the class name (the same in torch.optim.lr_scheduler and mn.optim.lrScheduler)
  options    its options in minima's camelCase spelling; composite schedulers (SequentialLR,
             ChainedScheduler) list their parts as {scheduler, options}; a lambda is stored by
             name ("exp095", "inv005", "step10", "const099"), both sides define the same table
  groups     the initial lr of each param group of a torch.optim.SGD(lr=...) optimizer
  metrics    ReduceLROnPlateau only: the loss (or accuracy) fed to step(metric) at each step
  lrs        lrs[g][k]: group g's lr after k scheduler steps (k = 0 is right after construction),
             read from optimizer.param_groups, 250 values per group

Every number is Python's float repr (shortest round trip), so JSON.parse gives the same
doubles; nothing is rounded. The file's "torch" key records the version that wrote it.

Usage, from the repository root:   /usr/bin/python3 tools/gen_schedule_fixtures.py
(Debian's python3-torch 1.13; the python3 on PATH may be another interpreter without torch).
The output is deterministic. CI never runs this script: the fixture is committed, so the
tests need no Python.
"""

import math
import warnings

from fixture_common import write_fixture  # first: it says how to get torch

import torch
import torch.optim.lr_scheduler as S
from torch.optim.swa_utils import SWALR

warnings.filterwarnings("ignore")  # torch warns when a scheduler steps without optimizer.step()
STEPS = 250

LAMBDAS = {
    "exp095": lambda e: 0.95 ** e,
    "inv005": lambda e: 1 / (1 + 0.05 * e),
    "step10": lambda e: 0.9 if e % 10 == 0 else 1.0,
    "const099": lambda e: 0.99,
}

# camelCase option -> torch keyword
RENAME = {
    "stepSize": "step_size", "tMax": "T_max", "etaMin": "eta_min", "t0": "T_0", "tMult": "T_mult",
    "startFactor": "start_factor", "endFactor": "end_factor", "totalIters": "total_iters",
    "maxLr": "max_lr", "totalSteps": "total_steps", "stepsPerEpoch": "steps_per_epoch", "pctStart": "pct_start",
    "annealStrategy": "anneal_strategy", "divFactor": "div_factor", "finalDivFactor": "final_div_factor",
    "threePhase": "three_phase", "baseLr": "base_lr", "stepSizeUp": "step_size_up", "stepSizeDown": "step_size_down",
    "thresholdMode": "threshold_mode", "minLr": "min_lr", "lrLambda": "lr_lambda", "swaLr": "swa_lr",
    "annealEpochs": "anneal_epochs", "cycleMomentum": "cycle_momentum",
}
CLASSES = {name: getattr(S, name) for name in [
    "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts", "LinearLR", "ConstantLR", "PolynomialLR", "OneCycleLR", "CyclicLR",
    "ReduceLROnPlateau"]}
CLASSES["SWALR"] = SWALR


def build(opt, spec):
    name, options = spec["scheduler"], spec["options"]
    if name == "SequentialLR":
        parts = [build(opt, s) for s in options["schedulers"]]
        return S.SequentialLR(opt, schedulers=parts, milestones=options["milestones"])
    if name == "ChainedScheduler":
        return S.ChainedScheduler([build(opt, s) for s in options["schedulers"]])
    kwargs = {}
    for key, value in options.items():
        if key == "lrLambda":
            value = [LAMBDAS[v] for v in value] if isinstance(value, list) else LAMBDAS[value]
        kwargs[RENAME.get(key, key)] = value
    if name in ("OneCycleLR", "CyclicLR"):
        kwargs["cycle_momentum"] = False  # minima leaves momentum cycling out; lrs do not depend on it
    return CLASSES[name](opt, **kwargs)


def loss_curve(n, seed, floor):
    """A noisy decaying loss with plateaus: what ReduceLROnPlateau is meant to watch."""
    x, out = seed, []
    for k in range(n):
        x = (1103515245 * x + 12345) % 2 ** 31  # a fixed LCG, so the curve needs no RNG state
        noise = (x / 2 ** 31 - 0.5) * 0.04
        out.append(floor + math.exp(-k / 40) + 0.3 * math.exp(-max(0, k - 120) / 15) * (k > 120) + noise)
    return out


def stalled(curve, at, best):
    """The curve up to step `at`, then its best value so far (best = min or max) for the rest: a metric
    that stopped improving exactly at its best, where only the threshold's sign decides a cut."""
    return curve[:at] + [best(curve[:at])] * (len(curve) - at)


def run(case):
    params = [torch.zeros(1, requires_grad=True) for _ in case["groups"]]
    opt = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, case["groups"])], lr=case["groups"][0])
    sched = build(opt, case)
    lrs = [[g["lr"]] for g in opt.param_groups]
    for k in range(STEPS - 1):
        opt.step()
        if "metrics" in case:
            sched.step(case["metrics"][k])
        else:
            sched.step()
        for g, group in enumerate(opt.param_groups):
            lrs[g].append(group["lr"])
    case["lrs"] = lrs
    return case


def case(desc, scheduler, options, groups=(0.1,), **extra):
    return {"desc": desc, "scheduler": scheduler, "options": options, "groups": list(groups), **extra}


def sub(scheduler, **options):
    return {"scheduler": scheduler, "options": options}


TWO = (0.1, 0.05)
CASES = [
    case("one lambda for every group", "LambdaLR", {"lrLambda": "exp095"}, TWO),
    case("a lambda per group", "LambdaLR", {"lrLambda": ["exp095", "inv005"]}, TWO),
    case("constant factor", "MultiplicativeLR", {"lrLambda": "const099"}, TWO),
    case("a lambda per group", "MultiplicativeLR", {"lrLambda": ["step10", "const099"]}, TWO),
    case("stepSize 30, default gamma", "StepLR", {"stepSize": 30}, TWO),
    case("stepSize 7, gamma 0.7", "StepLR", {"stepSize": 7, "gamma": 0.7}),
    case("unsorted milestones with a repeat", "MultiStepLR", {"milestones": [150, 30, 80, 80], "gamma": 0.5}, TWO),
    case("gamma 0.98", "ExponentialLR", {"gamma": 0.98}, TWO),
    case("tMax over the whole run", "CosineAnnealingLR", {"tMax": 250}, TWO),
    case("tMax 100 with etaMin: past tMax it climbs back", "CosineAnnealingLR", {"tMax": 100, "etaMin": 0.001}),
    case("tMax 40, etaMin 0: several troughs at zero", "CosineAnnealingLR", {"tMax": 40}),
    case("t0 10, tMult 2, etaMin 1e-4", "CosineAnnealingWarmRestarts", {"t0": 10, "tMult": 2, "etaMin": 1e-4}, TWO),
    case("t0 50, tMult 1", "CosineAnnealingWarmRestarts", {"t0": 50}),
    case("defaults (1/3 to 1 over 5 steps)", "LinearLR", {}, TWO),
    case("linear decay 1 to 0.05 over 200 steps", "LinearLR", {"startFactor": 1.0, "endFactor": 0.05, "totalIters": 200}),
    case("defaults (1/3 for 5 steps)", "ConstantLR", {}, TWO),
    case("factor 0.5 for 100 steps", "ConstantLR", {"factor": 0.5, "totalIters": 100}),
    case("defaults (5 steps, power 1)", "PolynomialLR", {}),
    case("power 2 over 200 steps", "PolynomialLR", {"totalIters": 200, "power": 2.0}, TWO),
    case("power 0.5 over 120 steps", "PolynomialLR", {"totalIters": 120, "power": 0.5}),
    case("cos, totalSteps 250", "OneCycleLR", {"maxLr": 0.5, "totalSteps": 250}),
    case("linear, epochs × stepsPerEpoch, pctStart 0.25", "OneCycleLR",
         {"maxLr": [1.0, 0.1], "epochs": 25, "stepsPerEpoch": 10, "pctStart": 0.25, "annealStrategy": "linear"}, TWO),
    case("threePhase cos, divFactor 10, finalDivFactor 100", "OneCycleLR",
         {"maxLr": 0.3, "totalSteps": 260, "threePhase": True, "divFactor": 10.0, "finalDivFactor": 100.0}),
    case("threePhase linear, pctStart 0.4", "OneCycleLR",
         {"maxLr": 0.3, "totalSteps": 249, "pctStart": 0.4, "threePhase": True, "annealStrategy": "linear"}),
    case("triangular", "CyclicLR", {"baseLr": 0.001, "maxLr": 0.1, "stepSizeUp": 20}),
    case("triangular2, stepSizeDown 25, per-group lrs", "CyclicLR",
         {"baseLr": [0.001, 0.0001], "maxLr": [0.1, 0.01], "stepSizeUp": 15, "stepSizeDown": 25, "mode": "triangular2"}, TWO),
    case("exp_range, gamma 0.99", "CyclicLR", {"baseLr": 0.001, "maxLr": 0.1, "stepSizeUp": 10, "mode": "exp_range", "gamma": 0.99}),
    case("LinearLR warmup (20 steps) then CosineAnnealingLR", "SequentialLR",
         {"schedulers": [sub("LinearLR", startFactor=0.1, totalIters=20), sub("CosineAnnealingLR", tMax=230)], "milestones": [20]}, TWO),
    case("ConstantLR, ExponentialLR, StepLR in three segments", "SequentialLR",
         {"schedulers": [sub("ConstantLR", factor=0.5, totalIters=10), sub("ExponentialLR", gamma=0.97),
                         sub("StepLR", stepSize=25, gamma=0.5)], "milestones": [10, 100]}),
    case("ConstantLR × ExponentialLR (PyTorch's example)", "ChainedScheduler",
         {"schedulers": [sub("ConstantLR", factor=0.1, totalIters=2), sub("ExponentialLR", gamma=0.9)]}, TWO),
    case("LinearLR warmup × CosineAnnealingLR × StepLR", "ChainedScheduler",
         {"schedulers": [sub("LinearLR", startFactor=0.2, totalIters=10), sub("CosineAnnealingLR", tMax=250),
                         sub("StepLR", stepSize=50, gamma=0.8)]}),
    case("min, rel threshold, patience 5, cooldown 3, minLr per group", "ReduceLROnPlateau",
         {"mode": "min", "factor": 0.5, "patience": 5, "cooldown": 3, "minLr": [0.002, 0.0005]}, TWO,
         metrics=loss_curve(STEPS, 7, 0.2)),
    case("max, abs threshold 0.01, patience 3, minLr 1e-3", "ReduceLROnPlateau",
         {"mode": "max", "factor": 0.3, "patience": 3, "threshold": 0.01, "thresholdMode": "abs", "minLr": 1e-3},
         metrics=[1 - v for v in loss_curve(STEPS, 11, 0.1)]),
    case("defaults (min, factor 0.1, patience 10), eps stops tiny cuts", "ReduceLROnPlateau", {"eps": 1e-4},
         metrics=loss_curve(STEPS, 3, 0.0)),
    # A metric that stalls at its best must be cut: with the threshold's sign flipped (best + threshold in
    # min/abs, best · (1 + threshold) in min/rel, best · (1 − threshold) in max/rel) every stalled step would
    # count as an improvement.
    case("min, abs threshold 0.01, patience 4, then a stalled loss", "ReduceLROnPlateau",
         {"mode": "min", "factor": 0.5, "patience": 4, "threshold": 0.01, "thresholdMode": "abs"},
         metrics=stalled(loss_curve(STEPS, 5, 0.1), 150, min)),
    case("min, default rel threshold, patience 4, then a stalled loss", "ReduceLROnPlateau",
         {"mode": "min", "factor": 0.5, "patience": 4},
         metrics=stalled(loss_curve(STEPS, 9, 0.1), 150, min)),
    case("max, default rel threshold, patience 4, then a stalled accuracy", "ReduceLROnPlateau",
         {"mode": "max", "factor": 0.5, "patience": 4},
         metrics=stalled([1 - v for v in loss_curve(STEPS, 13, 0.1)], 150, max)),
    case("cos anneal over 10 steps, per-group swaLr", "SWALR", {"swaLr": [0.02, 0.01], "annealEpochs": 10}, TWO),
    case("linear anneal over 30 steps", "SWALR", {"swaLr": 0.5, "annealEpochs": 30, "annealStrategy": "linear"}),
    case("annealEpochs 0: swaLr at once", "SWALR", {"swaLr": 0.01, "annealEpochs": 0}),
]


def main():
    torch.set_default_dtype(torch.float64)
    write_fixture("schedulers.json", {"steps": STEPS, "cases": [run(c) for c in CASES]})

if __name__ == "__main__":
    main()
