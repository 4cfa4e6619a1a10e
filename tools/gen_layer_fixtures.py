"""Regenerate test/fixtures/layers.json: PyTorch's SiLU, Softplus, ELU, Mish, LayerNorm, GroupNorm and
Embedding, which test/nn/{smooth-activations,layer-norm,group-norm,embedding}.test.ts compare minima against.

  activations   silu, softplus (default; beta 2, threshold 1; beta 0.5, threshold 5), elu (alpha 1, 0.5), mish on one
                input holding 0, values past every threshold and large negatives: the output and the gradient
                of sum(out * w)
  layer_norm    cases over [N,D], [N,T,D] and [N,C,H,W] with one or more normalized dims, eps 1e-3, no affine
  group_norm    cases over [N,C], [N,C,L], [N,C,H,W], one group, one channel per group, eps 1e-3, no affine
  embedding     a [7,3] table read by a [2,5] index with repeats, without padding_idx, with 0 and with -1
  state_dicts   torch's state-dict keys of each layer, with and without its affine part

The norms store the layer's options as minima spells them (camelCase), a random weight and bias (so the
affine part is tested), the input x and a weight w of the output's shape, and per dtype the output and the
gradients of sum(out * w) with respect to x, weight and bias. Inputs are drawn in float32 and upcast, so
both dtypes compute on the same values; the norms' inputs have a non-zero mean and a non-unit scale.

Usage, from the repository root:   /usr/bin/python3 tools/gen_layer_fixtures.py
(Debian's python3-torch; the python3 on PATH may be another interpreter without torch).
The output is deterministic (torch.manual_seed). CI never runs this script: the fixture is committed.
"""

from fixture_common import DTYPES, enc, snake, write_fixture  # first: it says how to get torch

import torch
import torch.nn.functional as F

ACTIVATIONS = {
    "silu": lambda t: F.silu(t),
    "softplus": lambda t: F.softplus(t),
    "softplus_beta2_threshold1": lambda t: F.softplus(t, beta=2, threshold=1),
    "softplus_beta0.5_threshold5": lambda t: F.softplus(t, beta=0.5, threshold=5),
    "elu": lambda t: F.elu(t),
    "elu_alpha0.5": lambda t: F.elu(t, alpha=0.5),
    "mish": lambda t: F.mish(t),
}


def activations():
    x = torch.cat([torch.randn(30) * 3, torch.tensor([0.0, 25.0, -25.0, 1e-4, -1e-4, 12.0, -40.0])])
    w = torch.randn_like(x)
    out = {"x": enc(x), "w": enc(w)}
    for dname, dtype in DTYPES.items():
        cases = {}
        for name, fn in ACTIVATIONS.items():
            z = x.to(dtype).requires_grad_(True)
            y = fn(z)
            (g,) = torch.autograd.grad((y * w.to(dtype)).sum(), [z])
            cases[name] = {"value": enc(y), "grad": enc(g)}
        out[dname] = cases
    return out


def spread(shape, channel_dim):
    """A float32 input whose slices along channel_dim have their own offsets and scales."""
    per = [1] * len(shape)
    per[channel_dim] = shape[channel_dim]
    return torch.randn(shape) * (0.5 + 2 * torch.rand(per)) + 3 * torch.randn(per)


def norm_case(name, layer, shape, args, options):
    """One LayerNorm or GroupNorm case: layer(*args, **options) on x of shape, with random affine parameters."""
    x = spread(shape, 1 if len(shape) > 1 else 0)
    w = torch.randn(shape)
    entry = {"name": name, "layer": layer, "args": args, "options": options, "x": enc(x), "w": enc(w)}
    torch_options = {snake(k): v for k, v in options.items()}
    module = getattr(torch.nn, layer)(*args, **torch_options)
    affine = module.weight is not None
    if affine:
        weight0, bias0 = 0.5 + torch.rand(module.weight.shape), torch.randn(module.bias.shape)
        entry["weight"], entry["bias"] = enc(weight0), enc(bias0)
    for dname, dtype in DTYPES.items():
        m = getattr(torch.nn, layer)(*args, **torch_options).to(dtype)
        if affine:
            with torch.no_grad():
                m.weight.copy_(weight0)
                m.bias.copy_(bias0)
        z = x.to(dtype).requires_grad_(True)
        y = m(z)
        params = [z] + ([m.weight, m.bias] if affine else [])
        grads = torch.autograd.grad((y * w.to(dtype)).sum(), params)
        result = {"out": enc(y), "gradX": enc(grads[0])}
        if affine:
            result["gradWeight"], result["gradBias"] = enc(grads[1]), enc(grads[2])
        entry[dname] = result
    return entry


LAYER_NORM_CASES = [
    ("[N,D] over D", [5, 8], [[8]], {}),
    ("[N,T,D] over D", [3, 4, 6], [[6]], {}),
    ("[N,C,H,W] over C,H,W", [2, 3, 4, 5], [[3, 4, 5]], {}),
    ("[N,T,D] over T,D eps 1e-3", [3, 4, 6], [[4, 6]], {"eps": 1e-3}),
    ("[N,D] no affine", [5, 8], [[8]], {"elementwiseAffine": False}),
]

GROUP_NORM_CASES = [
    ("[N,C,H,W] 3 groups", [3, 6, 4, 5], [3, 6], {}),
    ("[N,C] 2 groups", [4, 6], [2, 6], {}),
    ("[N,C,L] 1 group", [3, 4, 7], [1, 4], {}),
    ("[N,C,H,W] a group per channel eps 1e-3", [2, 4, 3, 3], [4, 4], {"eps": 1e-3}),
    ("[N,C,H,W] no affine", [2, 6, 3, 4], [2, 6], {"affine": False}),
]


def embedding():
    weight = torch.randn(7, 3)
    index = torch.tensor([[1, 0, 6, 1, 3], [6, 6, 2, 0, 1]])
    out = {"weight": enc(weight), "index": enc(index), "cases": []}
    for padding in [None, 0, -1]:
        w = torch.randn(2, 5, 3)
        case = {"paddingIdx": padding, "w": enc(w)}
        for dname, dtype in DTYPES.items():
            table = weight.to(dtype).requires_grad_(True)
            y = F.embedding(index, table, padding_idx=padding)
            (g,) = torch.autograd.grad((y * w.to(dtype)).sum(), [table])
            case[dname] = {"out": enc(y), "gradWeight": enc(g)}
        out["cases"].append(case)
    return out


def state_dicts():
    layers = {
        "LayerNorm(8)": torch.nn.LayerNorm(8),
        "LayerNorm(8, elementwiseAffine false)": torch.nn.LayerNorm(8, elementwise_affine=False),
        "GroupNorm(2, 4)": torch.nn.GroupNorm(2, 4),
        "GroupNorm(2, 4, affine false)": torch.nn.GroupNorm(2, 4, affine=False),
        "Embedding(5, 3)": torch.nn.Embedding(5, 3),
        "Embedding(5, 3, paddingIdx 0)": torch.nn.Embedding(5, 3, padding_idx=0),
    }
    return {name: list(m.state_dict().keys()) for name, m in layers.items()}


def main():
    torch.manual_seed(0)
    write_fixture("layers.json", {
        "activations": activations(),
        "layer_norm": [norm_case(n, "LayerNorm", s, a, o) for n, s, a, o in LAYER_NORM_CASES],
        "group_norm": [norm_case(n, "GroupNorm", s, a, o) for n, s, a, o in GROUP_NORM_CASES],
        "embedding": embedding(),
        "state_dicts": state_dicts(),
    })


if __name__ == "__main__":
    main()
