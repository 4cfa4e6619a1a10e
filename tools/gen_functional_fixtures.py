"""Regenerate test/fixtures/autograd-functional.json: torch.autograd.functional's vjp, jvp, hvp, vhp,
jacobian and hessian on five problems, in float32 and float64, for test/autograd/functional.test.ts.

  map          f(x) = tanh(x @ A) * sum(x)                       x [3,4] → [3,2]
  pair         f(a, b) = (sigmoid(a @ b), sum(a²) · mean(b))      a [2,3], b [3,2] → ([2,2], [])
  scalar       g(x) = 0.1 · sum(x⁴) + sum(logsumexp(x @ A, 1))    x [3,4] → []
  scalar_pair  g(a, b) = sum(tanh(a @ b)²) + sum(exp(a)) · sum(b) a [2,3], b [3,2] → []
  mlp          the cross-entropy of Linear(4,5)-Tanh-Linear(5,3) on 8 points, as a function of its 43
               parameters flattened (w1, b1, w2, b2 in that order)

Inputs, constants and directions v are drawn in float64 (seed 0) and stored; the float32 runs use them
rounded to float32. Run from the repository root: /usr/bin/python3 tools/gen_functional_fixtures.py
"""

from fixture_common import DTYPES, enc, write_fixture  # first: it says how to get torch

import torch
import torch.nn.functional as F
from torch.autograd import functional as AF


def mlp_loss(theta, x, y):
    w1, b1, w2, b2 = theta[:20].reshape(5, 4), theta[20:25], theta[25:40].reshape(3, 5), theta[40:43]
    return F.cross_entropy(torch.tanh(x @ w1.T + b1) @ w2.T + b2, y)


def problems():
    g = torch.Generator().manual_seed(0)
    rnd = lambda *shape: torch.randn(*shape, generator=g, dtype=torch.float64)
    A = rnd(4, 2)
    xm, xs = rnd(3, 4), rnd(3, 4)
    a, b = rnd(2, 3), rnd(3, 2)
    theta, X = rnd(43) * 0.5, rnd(8, 4)
    y = torch.randint(0, 3, (8,), generator=g)
    return {
        "map": {"consts": {"A": A}, "inputs": [xm], "tuple": False,
                "f": lambda c: (lambda x: torch.tanh(x @ c["A"]) * x.sum()),
                "v_out": [rnd(3, 2)], "v_in": [rnd(3, 4)]},
        "pair": {"consts": {}, "inputs": [a, b], "tuple": True,
                 "f": lambda c: (lambda a, b: (torch.sigmoid(a @ b), (a * a).sum() * b.mean())),
                 "v_out": [rnd(2, 2), rnd(())], "v_in": [rnd(2, 3), rnd(3, 2)]},
        "scalar": {"consts": {"A": A}, "inputs": [xs], "tuple": False,
                   "f": lambda c: (lambda x: 0.1 * (x ** 4).sum() + torch.logsumexp(x @ c["A"], 1).sum()),
                   "v_in": [rnd(3, 4)]},
        "scalar_pair": {"consts": {}, "inputs": [a, b], "tuple": True,
                        "f": lambda c: (lambda a, b: (torch.tanh(a @ b) ** 2).sum() + a.exp().sum() * b.sum()),
                        "v_in": [rnd(2, 3), rnd(3, 2)]},
        "mlp": {"consts": {"x": X, "y": y}, "inputs": [theta], "tuple": False,
                "f": lambda c: (lambda t: mlp_loss(t, c["x"], c["y"])),
                "v_in": [rnd(43)]},
    }


def as_arg(ts, is_tuple):
    return tuple(ts) if is_tuple else ts[0]


def flat(res):
    """A result (Tensor, tuple, or tuple of tuples) as nested lists of encoded tensors."""
    if isinstance(res, torch.Tensor):
        return enc(res)
    return [flat(r) for r in res]


def main():
    out = {}
    for name, p in problems().items():
        case = {"inputs": [enc(t) for t in p["inputs"]], "tuple": p["tuple"],
                "consts": {k: enc(t) for k, t in p["consts"].items()},
                "v_in": [enc(t) for t in p["v_in"]]}
        if "v_out" in p:
            case["v_out"] = [enc(t) for t in p["v_out"]]
        for dname, dtype in DTYPES.items():
            cast = lambda t: t.to(dtype) if t.is_floating_point() else t
            f = p["f"]({k: cast(t) for k, t in p["consts"].items()})
            inputs = as_arg([cast(t) for t in p["inputs"]], p["tuple"])
            v_in = as_arg([cast(t) for t in p["v_in"]], p["tuple"])
            res = {}
            if "v_out" in p:  # vector-valued: vjp, jvp, jacobian
                v_out = as_arg([cast(t) for t in p["v_out"]], p["tuple"])
                res["output"], res["vjp"] = map(flat, AF.vjp(f, inputs, v_out))
                res["jvp"] = flat(AF.jvp(f, inputs, v_in)[1])
                res["jacobian"] = flat(AF.jacobian(f, inputs))
            else:  # scalar: the gradient (vjp without v), hvp, vhp, hessian
                res["output"], res["vjp"] = map(flat, AF.vjp(f, inputs))
                res["hvp"] = flat(AF.hvp(f, inputs, v_in)[1])
                res["vhp"] = flat(AF.vhp(f, inputs, v_in)[1])
                res["hessian"] = flat(AF.hessian(f, inputs))
            case[dname] = res
        out[name] = case
    write_fixture("autograd-functional.json", {"cases": out})


if __name__ == "__main__":
    main()
