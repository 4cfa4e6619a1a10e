"""What the fixture scripts in tools/ share: the tensor encoding, the JSON writer, option-name
spelling, and the two problems the optimizer fixtures run on.

Every tensor is stored as {"shape": [...], "data": [flat row-major numbers]}: floats as exact doubles
(a float32 value is written as the double it equals, so Float32Array.from(data) rebuilds it bit for
bit), integers as ints. Every file records the torch version that wrote it under "torch".
"""

import json
import os
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit(f"{os.path.basename(sys.argv[0])} needs torch (Debian: apt-get install python3-torch; run it with /usr/bin/python3)")

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
DTYPES = {"float64": torch.float64, "float32": torch.float32}


def enc(t):
    """A tensor as {"shape", "data"}: floats as exact doubles, integers as ints."""
    t = t.detach()
    data = t.double().flatten().tolist() if t.is_floating_point() else [int(v) for v in t.flatten().tolist()]
    return {"shape": list(t.shape), "data": data}


def snake(name):
    """minima's camelCase option name as torch spells it: weightDecay → weight_decay."""
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def write_fixture(name, obj):
    """Write test/fixtures/<name> with the torch version first; NaN and Infinity are refused (JSON has neither)."""
    path = os.path.join(FIXTURES, name)
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, **obj}, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


# ---- the two problems the optimizer fixtures run on -------------------------------------------------
#   rosenbrock  f(x, y) = (1 − x)² + 100(y − x²)², from (−1.5, 2)
#   mlp         Linear(4, 8) → Tanh → Linear(8, 3), cross-entropy on 16 fixed points (+ l2·Σ‖p‖² when the
#               init carries "l2"); its weights, inputs and labels are stored in the fixture

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
    loss = F.cross_entropy(torch.tanh(x @ w1.T + b1) @ w2.T + b2, y)
    return loss + init["l2"] * sum((p * p).sum() for p in params) if "l2" in init else loss


def make_inits(l2=None):
    """The starting points of both problems (seed 0), as stored in the fixtures."""
    torch.manual_seed(0)
    l1, l2_layer = torch.nn.Linear(4, 8), torch.nn.Linear(8, 3)
    x = torch.randn(16, 4)
    y = torch.randint(0, 3, (16,))
    mlp = {"0.weight": enc(l1.weight), "0.bias": enc(l1.bias), "2.weight": enc(l2_layer.weight), "2.bias": enc(l2_layer.bias),
           "x": enc(x), "y": enc(y)}
    if l2 is not None:
        mlp["l2"] = l2
    return {"rosenbrock": {"w": {"shape": [2], "data": [-1.5, 2.0]}}, "mlp": mlp}


PROBLEMS = {"rosenbrock": (rosenbrock_params, rosenbrock_loss), "mlp": (mlp_params, mlp_loss)}
