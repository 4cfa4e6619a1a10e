"""Regenerate test/fixtures/pool.json: PyTorch's 2-D poolings, which test/nn/pool.test.ts
compares minima against.

For each case (max_pool2d, avg_pool2d and adaptive_avg_pool2d over a spread of options and of
[N,C,H,W] and [C,H,W] inputs) it stores the options as minima spells them (camelCase), an
input x and a weight w of the output's shape, and per dtype (float32, float64): the output,
the gradient of sum(out * w) with respect to x, and for max pooling the indices torch returns
(return_indices=True). x is drawn in float32 and upcast, so both dtypes pool the same values;
max-pooling inputs are checked to hold no ties, since which of equal values torch picks is
not part of its contract across kernels.

Usage, from the repository root:   /usr/bin/python3 tools/gen_pool_fixtures.py
(Debian's python3-torch; the python3 on PATH may be another interpreter without torch).
The output is deterministic (torch.manual_seed). CI never runs this script: the fixture is
committed, so the tests need no Python.
"""

from fixture_common import DTYPES, enc, snake, write_fixture  # first: it says how to get torch

import torch
import torch.nn.functional as F

# name, input shape, kernelSize, options (minima's names)
MAX = [
    ("k2", [2, 3, 6, 7], 2, {}),
    ("k3 s2 p1", [2, 3, 7, 7], 3, {"stride": 2, "padding": 1}),
    ("k3x2 s2x1 p1x0 d2x1", [1, 2, 9, 5], [3, 2], {"stride": [2, 1], "padding": [1, 0], "dilation": [2, 1]}),
    ("k3 s2 ceil (partial last window)", [1, 2, 8, 6], 3, {"stride": 2, "ceilMode": True}),
    ("k2 s2 p1 ceil (last window dropped)", [1, 2, 5, 5], 2, {"stride": 2, "padding": 1, "ceilMode": True}),
    ("CHW k3 s1 p1 d2", [3, 7, 7], 3, {"stride": 1, "padding": 1, "dilation": 2}),
    ("k7 over 7x7", [2, 2, 7, 7], 7, {}),
    ("k1 s2", [1, 3, 7, 3], 1, {"stride": 2}),
    ("k1x3 s1x2 ceil on H=1", [1, 2, 1, 7], [1, 3], {"stride": [1, 2], "ceilMode": True}),
    ("k3 s2 p1 d2 ceil", [1, 1, 9, 8], 3, {"stride": 2, "padding": 1, "dilation": 2, "ceilMode": True}),
]

AVG = [
    ("k2", [2, 3, 6, 7], 2, {}),
    ("k3 s2 p1", [2, 3, 7, 7], 3, {"stride": 2, "padding": 1}),
    ("k3 s2 p1 countIncludePad false", [2, 3, 7, 7], 3, {"stride": 2, "padding": 1, "countIncludePad": False}),
    ("k3 s2 p1 ceil (window past the padding)", [1, 2, 8, 6], 3, {"stride": 2, "padding": 1, "ceilMode": True}),
    ("k3 s2 p1 ceil countIncludePad false", [1, 2, 8, 6], 3, {"stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}),
    ("k3 s2 p1 divisorOverride 5", [1, 2, 7, 7], 3, {"stride": 2, "padding": 1, "divisorOverride": 5}),
    ("k3x1 s1x2 p1x0", [1, 2, 5, 7], [3, 1], {"stride": [1, 2], "padding": [1, 0]}),
    ("CHW k2 s1", [3, 5, 4], 2, {"stride": 1}),
    ("k7 over 7x7", [2, 2, 7, 7], 7, {}),
    ("k1", [1, 2, 3, 3], 1, {}),
]

# name, input shape, outputSize (None keeps that input size)
ADAPTIVE = [
    ("1 (global)", [2, 3, 7, 7], 1),
    ("3 from 6 (divides)", [1, 2, 6, 6], 3),
    ("[3,4] from 7x5 (does not divide)", [1, 2, 7, 5], [3, 4]),
    ("[5,7] from 3x4 (larger than the input)", [1, 2, 3, 4], [5, 7]),
    ("[null,2] keeps H", [1, 2, 5, 6], [None, 2]),
    ("CHW 2 from 7x7", [3, 7, 7], 2),
]


def torch_kwargs(options):
    return {snake(k): tuple(v) if isinstance(v, list) else v for k, v in options.items()}


def first(result):
    """The pooled tensor of a result that may carry indices too."""
    return result[0] if isinstance(result, tuple) else result


def case(op, name, shape, options, fn, **size):
    """One fixture entry: inputs, then per dtype the output, the gradient of sum(out * w), and the max indices."""
    x32 = torch.randn(shape)
    assert op != "max" or x32.unique().numel() == x32.numel(), f"{name}: the input has ties"
    w32 = torch.randn(first(fn(x32)).shape)
    entry = {"op": op, "name": name, **size, "options": options, "x": enc(x32), "w": enc(w32)}
    for dname, dtype in DTYPES.items():
        x = x32.to(dtype).requires_grad_(True)
        result = fn(x)
        (grad,) = torch.autograd.grad((first(result) * w32.to(dtype)).sum(), x)
        entry[dname] = {"out": enc(first(result)), "grad": enc(grad)}
        if op == "max":
            entry[dname]["indices"] = enc(result[1])
    return entry


def main():
    torch.manual_seed(0)
    cases = []
    for name, shape, k, options in MAX:
        cases.append(case("max", name, shape, options, lambda t, k=k, o=options:
                          F.max_pool2d(t, k, return_indices=True, **torch_kwargs(o)), kernelSize=k))
    for name, shape, k, options in AVG:
        cases.append(case("avg", name, shape, options, lambda t, k=k, o=options:
                          F.avg_pool2d(t, k, **torch_kwargs(o)), kernelSize=k))
    for name, shape, size in ADAPTIVE:
        cases.append(case("adaptive", name, shape, {}, lambda t, s=size:
                          F.adaptive_avg_pool2d(t, tuple(s) if isinstance(s, list) else s), outputSize=size))
    write_fixture("pool.json", {"cases": cases})


if __name__ == "__main__":
    main()
