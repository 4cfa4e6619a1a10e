"""Regenerate test/fixtures/batchnorm.json: PyTorch's BatchNorm1d and BatchNorm2d, which
test/nn/batch-norm.test.ts compares minima against.

For each case (BatchNorm1d on [N,C] and [N,C,L], BatchNorm2d on [N,C,H,W]; momentum 0.1, momentum
None, eps 1e-3, affine False, track_running_stats False) it stores the layer's options as minima
spells them (camelCase), its starting weight and bias (random, so the affine part is tested), then
three training steps, each with its input x and a weight w of the output's shape: the output, the
gradients of sum(out * w) with respect to x, weight and bias, and the running statistics and
num_batches_tracked after the step; then the output in eval mode on one more input. The parameters
do not change between steps (no optimizer), so each step tests the forward and backward alone, and
the running statistics carry over. Inputs are drawn in float32 and upcast, so both dtypes
normalize the same values; they have a non-zero mean and a non-unit scale per channel, as the
activations batch norm sees do.

Usage, from the repository root:   /usr/bin/python3 tools/gen_batchnorm_fixtures.py
(Debian's python3-torch; the python3 on PATH may be another interpreter without torch).
The output is deterministic (torch.manual_seed). CI never runs this script: the fixture is
committed, so the tests need no Python.
"""

from fixture_common import DTYPES, enc, snake, write_fixture  # first: it says how to get torch

import torch

# name, layer, input shape, options (minima's names)
CASES = [
    ("1d [N,C]", "BatchNorm1d", [6, 3], {}),
    ("1d [N,C] momentum null", "BatchNorm1d", [5, 4], {"momentum": None}),
    ("1d [N,C,L]", "BatchNorm1d", [4, 3, 5], {}),
    ("1d [N,C,L] momentum null eps 1e-3", "BatchNorm1d", [3, 2, 7], {"momentum": None, "eps": 1e-3}),
    ("1d [N,C,L] affine false", "BatchNorm1d", [4, 3, 5], {"affine": False}),
    ("1d [N,C] trackRunningStats false", "BatchNorm1d", [6, 3], {"trackRunningStats": False}),
    ("2d", "BatchNorm2d", [3, 4, 5, 6], {}),
    ("2d momentum null", "BatchNorm2d", [2, 3, 4, 5], {"momentum": None}),
    ("2d affine false", "BatchNorm2d", [2, 3, 4, 5], {"affine": False}),
    ("2d trackRunningStats false", "BatchNorm2d", [2, 3, 4, 5], {"trackRunningStats": False}),
    ("2d one value per channel per sample [N,C,1,1]", "BatchNorm2d", [5, 2, 1, 1], {}),
]
STEPS = 3


def batch(shape):
    """A float32 input whose channels have their own offsets and scales."""
    c = shape[1]
    per_channel = [1, c] + [1] * (len(shape) - 2)
    return torch.randn(shape) * (0.5 + 2 * torch.rand(per_channel)) + 3 * torch.randn(per_channel)


def buffers(layer):
    if layer.running_mean is None:
        return {}
    return {"runningMean": enc(layer.running_mean), "runningVar": enc(layer.running_var),
            "numBatchesTracked": int(layer.num_batches_tracked)}


def case(name, kind, shape, options):
    c = shape[1]
    xs = [batch(shape) for _ in range(STEPS + 1)]
    ws = [torch.randn(shape) for _ in range(STEPS)]
    weight0, bias0 = 0.5 + torch.rand(c), torch.randn(c)
    entry = {"name": name, "layer": kind, "options": options, "xs": [enc(x) for x in xs], "ws": [enc(w) for w in ws]}
    if options.get("affine", True):
        entry["weight"], entry["bias"] = enc(weight0), enc(bias0)
    for dname, dtype in DTYPES.items():
        layer = getattr(torch.nn, kind)(c, **{snake(k): v for k, v in options.items()}).to(dtype)
        if layer.affine:
            with torch.no_grad():
                layer.weight.copy_(weight0)
                layer.bias.copy_(bias0)
        steps = []
        for x32, w32 in zip(xs, ws):
            x = x32.to(dtype).requires_grad_(True)
            out = layer(x)
            params = [x] + ([layer.weight, layer.bias] if layer.affine else [])
            grads = torch.autograd.grad((out * w32.to(dtype)).sum(), params)
            step = {"out": enc(out), "gradX": enc(grads[0]), **buffers(layer)}
            if layer.affine:
                step["gradWeight"], step["gradBias"] = enc(grads[1]), enc(grads[2])
            steps.append(step)
        layer.eval()
        entry[dname] = {"train": steps, "evalOut": enc(layer(xs[STEPS].to(dtype)))}
    return entry


def main():
    torch.manual_seed(0)
    write_fixture("batchnorm.json", {"cases": [case(*c) for c in CASES]})


if __name__ == "__main__":
    main()
