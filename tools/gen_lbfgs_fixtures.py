"""Write test/fixtures/lbfgs.json: PyTorch 1.13's LBFGS after several step(closure) calls, the reference
for test/optim/lbfgs.test.ts.

For each row of CONFIGS (options in camelCase, keyed by a short description) it runs STEPS calls of
opt.step(closure) on two problems, in float64 and float32, and stores after every call: the loss that
step returned (the closure's first loss, as torch returns it), the parameters, and the counters torch
keeps in its state (func_evals, n_iter), so the test checks how evaluations are counted too.

It also stores, per problem, "stableSteps": how many leading steps a reimplementation can be held to
the test's bar. LBFGS amplifies round-off (curvature pairs from nearly equal gradients, Wolfe tests that
flip), so past some step the result depends on the order of every sum:
  float64  the steps that torch's own float64 run reproduces, to rtol 1e-10, when started one ulp away;
  float32  the steps where torch's float32 run stays within 0.5e-5 of its float64 run: there the path does
           not depend on float32 rounding inside LBFGS (torch rounds every dot product to float32,
           minima works in float64), so minima's float32 run must land on torch's; beyond, torch's own
           float32 and float64 runs part (by up to 100% on Rosenbrock).

Rows with and without the strong-Wolfe line search, a small history, few iterations, lr < 1, a small
maxEval and a large toleranceChange. Every float32 number is the exact float32 value written as a double.
Deterministic. CI never runs this script: the JSON is committed, so the tests need no Python. Run it
from the repository root with Debian's torch:   /usr/bin/python3 tools/gen_lbfgs_fixtures.py
"""

import json
import os
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("gen_lbfgs_fixtures.py needs torch (Debian: apt-get install python3-torch; run it with /usr/bin/python3)")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "lbfgs.json")
STEPS = 6
DTYPES = {"float64": torch.float64, "float32": torch.float32}

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
    # Few iterations per call keep round-off from growing, so these rows compare many steps in both dtypes.
    ("strong_wolfe, historySize 2, maxIter 5", {"lineSearchFn": "strong_wolfe", "historySize": 2, "maxIter": 5}),
    ("historySize 3, maxIter 6, lr 0.5", {"historySize": 3, "maxIter": 6, "lr": 0.5}),
]
LR = {"rosenbrock": 0.1, "mlp": 1.0}
L2 = 0.005



def snake(name):
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def enc(t):
    return {"shape": list(t.shape), "data": t.detach().double().flatten().tolist()}


def rosenbrock_params(dtype, init):
    return [torch.tensor(init["w"]["data"], dtype=dtype, requires_grad=True)]


def rosenbrock_loss(params, _init):
    x, y = params[0][0], params[0][1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def mlp_params(dtype, init):
    return [torch.tensor(init[n]["data"], dtype=dtype).reshape(init[n]["shape"]).requires_grad_(True)
            for n in ("0.weight", "0.bias", "2.weight", "2.bias")]


def mlp_loss(params, init):
    w1, b1, w2, b2 = params
    x = torch.tensor(init["x"]["data"], dtype=w1.dtype).reshape(init["x"]["shape"])
    y = torch.tensor(init["y"]["data"], dtype=torch.long)
    # The L2 term keeps the minimum finite: without it LBFGS drives the cross-entropy of these separable
    # points to 0 with ever larger weights, where the run is decided by round-off, not by the algorithm.
    return F.cross_entropy(torch.tanh(x @ w1.T + b1) @ w2.T + b2, y) + L2 * sum((p * p).sum() for p in params)


def make_inits():
    torch.manual_seed(0)
    l1, l2 = torch.nn.Linear(4, 8), torch.nn.Linear(8, 3)
    x = torch.randn(16, 4)
    y = torch.randint(0, 3, (16,))
    mlp = {"0.weight": enc(l1.weight), "0.bias": enc(l1.bias), "2.weight": enc(l2.weight), "2.bias": enc(l2.bias),
           "x": enc(x), "y": {"shape": [16], "data": [int(v) for v in y.tolist()]}, "l2": L2}
    return {"rosenbrock": {"w": {"shape": [2], "data": [-1.5, 2.0]}}, "mlp": mlp}


PROBLEMS = {"rosenbrock": (rosenbrock_params, rosenbrock_loss), "mlp": (mlp_params, mlp_loss)}


def run(options, problem, dtype, init):
    make_params, loss_fn = PROBLEMS[problem]
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
    (test/optim/lbfgs.test.ts: float64 elementwise rtol 1e-10, float32 1e-5 of each tensor's largest |element|;
    half that for float32, since minima's float32 run sits near the float64 one and must still reach torch's)."""
    for ta, tb in zip(a["params"], b["params"]):
        scale = max(abs(v) for v in ta["data"])
        for x, y in zip(ta["data"], tb["data"]):
            bar = 1e-10 * abs(x) + 1e-14 if dname == "float64" else 0.5e-5 * scale
            if abs(x - y) > bar:
                return False
    return True


def leading(a, b, dname):
    n = 0
    while n < len(a) and within(a[n], b[n], dname):
        n += 1
    return n


def one_ulp_away(opts, problem, init):
    """The float64 run from a start whose first number is moved by one ulp."""
    moved = json.loads(json.dumps(init))
    first = moved[problem]["w" if problem == "rosenbrock" else "0.weight"]["data"]
    first[0] = first[0] * (1 + 2.0 ** -52)
    return run(opts, problem, torch.float64, moved)


def main():
    init = make_inits()
    runs = {}
    for desc, options in CONFIGS:
        entry = {}
        for problem in PROBLEMS:
            opts = {**options, "lr": options.get("lr", LR[problem])}
            entry[problem] = {"options": opts}
            for dname, dtype in DTYPES.items():
                entry[problem][dname] = run(opts, problem, dtype, init)
            f64, f32 = entry[problem]["float64"], entry[problem]["float32"]
            entry[problem]["stableSteps"] = {"float64": leading(f64, one_ulp_away(opts, problem, init), "float64"),
                                             "float32": leading(f64, f32, "float32")}
        runs[desc] = entry
    out = {"torch": torch.__version__, "steps": STEPS, "init": init, "runs": runs}
    with open(OUT, "w") as f:
        json.dump(out, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes, {len(runs)} rows)")


if __name__ == "__main__":
    main()
