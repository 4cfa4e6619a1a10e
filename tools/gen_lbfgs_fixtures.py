"""Write test/fixtures/lbfgs.json: PyTorch 1.13's LBFGS after successive step(closure) calls, the reference
for test/optim/lbfgs.test.ts.

For each row of CONFIGS (options in camelCase, keyed by a short description) it runs up to STEPS calls of
opt.step(closure) on the two problems of fixture_common (Rosenbrock; the small MLP with an L2 term), in
float64 and float32, and stores after every call: the loss that step returned (the closure's first loss,
as torch returns it), the parameters, and the counters torch keeps in its state (func_evals, n_iter), so
the test checks how evaluations are counted too.

LBFGS amplifies round-off: its curvature pairs are differences of nearly equal gradients, and a Wolfe test
that passes in one run fails in another after a change in the last bit. Past some call the result depends
on the order of every sum, and no reimplementation (nor torch on another BLAS) can be held to it. So each
list holds only the calls that are reproducible, and the test compares every call stored:
  float64  the leading calls that torch's own float64 run reproduces, to a tenth of rtol 1e-10, from starts
           whose every number is scaled by 1 ± 4e-16 (about two ulps) and with a closure that sums every
           product in another order (the roundings another BLAS gives in every evaluation);
  float32  of those, the leading calls where torch's float32 runs (both orders) stay within 0.5e-5 of its float64 run:
           there the path does not depend on float32 rounding inside LBFGS (torch rounds every dot product
           to float32, minima computes the directions in float64), so minima's float32 run must land on
           torch's; beyond, torch's own float32 and float64 runs part (by up to 100% on Rosenbrock).
Rows with few iterations per call keep round-off small for many calls; the default rows (20 iterations
per call) reach the minimum's round-off floor within a call or two. The script refuses a row that keeps
no float64 call on either problem, and prints how many calls and iterations each list holds.

Every float32 number is the exact float32 value written as a double. Deterministic. CI never runs this
script: the JSON is committed, so the tests need no Python. Run it from the repository root with
Debian's torch:   /usr/bin/python3 tools/gen_lbfgs_fixtures.py
"""

import json

from fixture_common import DTYPES, PROBLEMS, enc, make_inits, snake, write_fixture  # first: it says how to get torch

import torch
import torch.nn.functional as F

STEPS = 12
L2 = 0.005  # keeps the MLP's minimum finite: without it the cross-entropy of separable points goes to 0
# with ever larger weights, where the run is decided by round-off, not by the algorithm

# (desc, options in camelCase). lr is per problem where a row leaves it out: LBFGS without a line search
# takes full quasi-Newton steps, which overshoot on Rosenbrock's curved valley unless damped.
CONFIGS = [
    ("defaults", {}),
    ("strong_wolfe", {"lineSearchFn": "strong_wolfe"}),
    ("strong_wolfe, historySize 3", {"lineSearchFn": "strong_wolfe", "historySize": 3}),
    ("strong_wolfe, maxIter 4", {"lineSearchFn": "strong_wolfe", "maxIter": 4}),
    ("strong_wolfe, maxEval 8, lr 0.8", {"lineSearchFn": "strong_wolfe", "maxEval": 8, "lr": 0.8}),
    ("maxIter 5, lr 0.5", {"maxIter": 5, "lr": 0.5}),
    ("historySize 2", {"historySize": 2}),
    ("toleranceChange 1e-4, strong_wolfe", {"toleranceChange": 1e-4, "lineSearchFn": "strong_wolfe"}),
    ("strong_wolfe, historySize 2, maxIter 5", {"lineSearchFn": "strong_wolfe", "historySize": 2, "maxIter": 5}),
    ("historySize 3, maxIter 6, lr 0.5", {"historySize": 3, "maxIter": 6, "lr": 0.5}),
    # One or two iterations a call: float32 rounding steers the path late, so both dtypes compare many calls.
    ("maxIter 2, lr 0.5", {"maxIter": 2, "lr": 0.5}),
    ("strong_wolfe, maxIter 2", {"lineSearchFn": "strong_wolfe", "maxIter": 2}),
    ("strong_wolfe, maxIter 1, historySize 4", {"lineSearchFn": "strong_wolfe", "maxIter": 1, "historySize": 4}),
    ("strong_wolfe, maxIter 2, historySize 2, lr 1", {"lineSearchFn": "strong_wolfe", "maxIter": 2, "historySize": 2, "lr": 1.0}),
]
LR = {"rosenbrock": 0.1, "mlp": 1.0}
# Reproducible means: runs started from the weights scaled by these factors (about ±2 ulps) stay within the
# test's bar. One ulp on one number was not enough: minima's reordered sums then drifted past 1e-10 on calls
# that passed that check.
NUDGES = (1 + 4e-16, 1 - 4e-16)
# And they stay within a tenth of the bar: round-off of another order (OpenBLAS's blocked sums in minima's
# native backend) can grow more than these perturbations do; with the margin every backend lands inside.
MARGIN = 0.1


def rosenbrock_reordered(params, _init):
    x, y = params[0][0], params[0][1]
    return 100 * (y - x * x) ** 2 + (1 - x) ** 2


def mlp_reordered(params, init):
    """The MLP's loss with every matrix product summed in reverse order: other roundings in every evaluation,
    as another BLAS (or minima's js and native backends) gives."""
    w1, b1, w2, b2 = params
    x = torch.tensor(init["x"]["data"], dtype=w1.dtype).reshape(init["x"]["shape"])
    y = torch.tensor(init["y"]["data"], dtype=torch.long)
    mm = lambda a, b: (a.unsqueeze(2) * b.unsqueeze(0)).flip(1).sum(1)
    loss = F.cross_entropy(mm(torch.tanh(mm(x, w1.T) + b1), w2.T) + b2, y)
    return loss + init["l2"] * sum((p * p).sum() for p in reversed(params))


REORDERED = {"rosenbrock": rosenbrock_reordered, "mlp": mlp_reordered}


def run(options, problem, dtype, init, reordered=False):
    make_params, loss_fn = PROBLEMS[problem]
    loss_fn = REORDERED[problem] if reordered else loss_fn
    params = make_params(dtype, init[problem])
    opt = torch.optim.LBFGS(params, **{snake(k): v for k, v in options.items()})

    def closure():
        opt.zero_grad()
        loss = loss_fn(params, init[problem])
        loss.backward()
        return loss

    steps = []
    for _ in range(STEPS):
        loss = opt.step(closure)
        st = opt.state[params[0]]
        for p in params:
            assert torch.isfinite(p).all(), f"LBFGS {options} diverged on {problem}"
        steps.append({"loss": float(loss), "params": [enc(p) for p in params],
                      "funcEvals": st["func_evals"], "nIter": st["n_iter"]})
    return steps


def within(a, b, dname):
    """Whether the parameters of step b are within the test's tolerance of those of step a
    (test/optim/lbfgs.test.ts: float64 elementwise rtol 1e-10, here with MARGIN; float32 1e-5 of each tensor's
    largest |element|, half that here, since minima's float32 run sits near the float64 one and must still reach torch's)."""
    for ta, tb in zip(a["params"], b["params"]):
        scale = max(abs(v) for v in ta["data"])
        for x, y in zip(ta["data"], tb["data"]):
            bar = MARGIN * (1e-10 * abs(x) + 1e-14) if dname == "float64" else 0.5e-5 * scale
            if abs(x - y) > bar:
                return False
    return True


def leading(a, b, dname):
    n = 0
    while n < len(a) and within(a[n], b[n], dname):
        n += 1
    return n


def nudged(opts, problem, init, factor):
    """The float64 run from a start whose every number is multiplied by factor."""
    moved = json.loads(json.dumps(init))
    for name, t in moved[problem].items():
        if name not in ("x", "y", "l2"):
            t["data"] = [v * factor for v in t["data"]]
    return run(opts, problem, torch.float64, moved)


def main():
    init = make_inits(l2=L2)
    runs = {}
    for desc, options in CONFIGS:
        entry = {}
        for problem in PROBLEMS:
            opts = {**options, "lr": options.get("lr", LR[problem])}
            f64, f32 = (run(opts, problem, dtype, init) for dtype in DTYPES.values())
            keep64 = min([leading(f64, nudged(opts, problem, init, f), "float64") for f in NUDGES]
                         + [leading(f64, run(opts, problem, torch.float64, init, reordered=True), "float64")])
            keep32 = min(leading(f64[:keep64], f32, "float32"),
                         leading(f64[:keep64], run(opts, problem, torch.float32, init, reordered=True), "float32"))
            entry[problem] = {"options": opts, "float64": f64[:keep64], "float32": f32[:keep32]}
            print(f"{desc:42} {problem:10} float64 {keep64:2} calls ({f64[keep64 - 1]['nIter'] if keep64 else 0:3} iterations)"
                  f"  float32 {keep32:2} calls ({f32[keep32 - 1]['nIter'] if keep32 else 0:3} iterations)")
        if not any(entry[p]["float64"] for p in PROBLEMS):
            raise SystemExit(f"{desc}: torch's float64 run is not reproducible for even one call on either problem; change the row")
        runs[desc] = entry
    write_fixture("lbfgs.json", {"maxSteps": STEPS, "init": init, "runs": runs})


if __name__ == "__main__":
    main()
