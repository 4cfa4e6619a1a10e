"""Regenerate test/fixtures/max-min.json: torch.max / torch.min with a dim (values and indices), the
all-element max/min, and torch.amax / torch.amin, with the gradient of sum(values · w) for each, for
test/tensor/max-min.test.ts. Inputs: a random [2,3,4] tensor (seed 0), rows with ties, rows with NaN.
Non-finite values are the strings "NaN", "Infinity", "-Infinity" (JSON has none), which Number() reads.

Run from the repository root: /usr/bin/python3 tools/gen_max_min_fixtures.py
"""

from fixture_common import write_fixture  # first: it says how to get torch

import math

import torch


def enc(t):
    t = t.detach()
    if not t.is_floating_point():
        return {"shape": list(t.shape), "data": [int(v) for v in t.flatten().tolist()]}
    data = [v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))
            for v in t.double().flatten().tolist()]
    return {"shape": list(t.shape), "data": data}


def main():
    g = torch.Generator().manual_seed(0)
    nan = float("nan")
    inputs = {
        "random": torch.randn(2, 3, 4, generator=g, dtype=torch.float64),
        "ties": torch.tensor([[1., 3, 3, 0], [2, 2, 2, 2], [-1, 5, -1, 5]], dtype=torch.float64),
        "nan": torch.tensor([[1., nan, 5, nan], [0, 1, 2, 3], [nan, -1, -2, 4]], dtype=torch.float64),
    }
    calls = {
        "random": [("max", 0, False), ("max", 1, True), ("max", 2, False), ("max", -1, True),
                   ("min", 0, True), ("min", 1, False), ("min", -2, False), ("max", None, None), ("min", None, None),
                   ("amax", [0, 2], True), ("amin", [1], False)],
        "ties": [("max", 1, False), ("min", 1, False), ("max", 0, True), ("max", None, None), ("min", None, None),
                 ("amax", 1, False), ("amin", 0, False)],
        "nan": [("max", 1, False), ("min", 1, True), ("max", 0, False)],
    }
    cases = []
    for name, x0 in inputs.items():
        for op, dim, keepdim in calls[name]:
            x = x0.clone().requires_grad_(True)
            if op in ("max", "min") and dim is not None:
                values, indices = getattr(torch, op)(x, dim, keepdim=keepdim)
            elif dim is None:
                values, indices = getattr(torch, op)(x), None
            else:
                values, indices = getattr(torch, op)(x, dim, keepdim=keepdim), None
            w = torch.randn(values.shape, generator=g, dtype=torch.float64)
            (values * w).nan_to_num(0.0).sum().backward()
            case = {"input": name, "op": op, "dim": dim, "keepdim": keepdim, "values": enc(values), "w": enc(w), "grad": enc(x.grad)}
            if indices is not None:
                case["indices"] = enc(indices)
            cases.append(case)
    write_fixture("max-min.json", {"inputs": {k: enc(v) for k, v in inputs.items()}, "cases": cases})


if __name__ == "__main__":
    main()
