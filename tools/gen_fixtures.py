"""Regenerate the PyTorch reference fixtures in test/fixtures/.

Writes five JSON files that test/nn/torch-parity.test.ts compares minima against:

  mlp.json          a 6-5-4-3 MLP (Tanh, ReLU) in float32 and float64: loss, grads,
                    Hessian-vector product, label-smoothed loss, SGD after 1 and 3 steps;
                    plus mlp_gelu (GELU in place of Tanh, float64): loss and grads
  losses.json       cross_entropy (mean/sum/none, label smoothing; class-probability targets with
                    and without label smoothing), nll_loss, mse_loss,
                    multi_margin_loss: values and input gradients (float64)
  activations.json  relu, leaky_relu, sigmoid, tanh, gelu, softmax, log_softmax:
                    outputs and gradients of sum(out * w) (float64); relu and its backward
                    at NaN, ±0 and ±inf (non-finite values as the strings "NaN", "Infinity")
  sgd.json          torch.optim.SGD trajectories over 5 given gradients for 7 configs (float64)
  reductions.json   var/std (correction 0 and 1), mean/sum over dims, max/argmax, logsumexp

Every tensor is stored as {"shape": [...], "data": [flat row-major numbers]}. float32 results
are computed in float32 and stored as the exact float32 values (as doubles), so JS can rebuild
bit-identical Float32Arrays with Float32Array.from(data).

Usage, from the repository root:   python3 tools/gen_fixtures.py
(needs torch; with Debian's python3-torch use /usr/bin/python3 if another python3 shadows it).
The output is deterministic (torch.manual_seed). CI never runs this script: the fixtures are
committed, so the tests need no Python.
"""

from fixture_common import enc, write_fixture as write  # first: it says how to get torch

import math

import torch
import torch.nn.functional as F

DTYPES = {"float32": torch.float32, "float64": torch.float64}
PARAM_NAMES = ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]


def enc_dict(names, tensors):
    return {n: enc(t) for n, t in zip(names, tensors)}


def make_mlp(hidden_act):
    return torch.nn.Sequential(
        torch.nn.Linear(6, 5), hidden_act, torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3)
    )


SGD_MLP = {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}


def mlp_fixture():
    torch.manual_seed(5)  # a seed whose ReLU units are each active on some inputs, not all
    base = make_mlp(torch.nn.Tanh())  # float32 init, shared by both dtypes (upcast exactly)
    x0 = torch.randn(7, 6)
    target = torch.randint(0, 3, (7,))
    v0 = [torch.randn_like(p) for p in base.parameters()]
    out = {}
    for dname, dtype in DTYPES.items():
        model = make_mlp(torch.nn.Tanh())
        model.load_state_dict(base.state_dict())
        model.to(dtype)
        assert [n for n, _ in model.named_parameters()] == PARAM_NAMES
        params = list(model.parameters())
        x = x0.to(dtype)
        v = [t.to(dtype) for t in v0]
        init = [p.detach().clone() for p in params]

        loss = F.cross_entropy(model(x), target)
        grads = torch.autograd.grad(loss, params, create_graph=True)
        dot = sum((g * vi).sum() for g, vi in zip(grads, v))
        hvp = torch.autograd.grad(dot, params)

        loss_ls = F.cross_entropy(model(x), target, label_smoothing=0.1)
        grads_ls = torch.autograd.grad(loss_ls, params)

        opt = torch.optim.SGD(params, **SGD_MLP)
        after = []
        for _ in range(3):
            opt.zero_grad()
            F.cross_entropy(model(x), target).backward()
            opt.step()
            after.append([p.detach().clone() for p in params])

        out[dname] = {
            "params": enc_dict(PARAM_NAMES, init),
            "x": enc(x),
            "target": enc(target),
            "loss": float(loss),
            "grads": enc_dict(PARAM_NAMES, grads),
            "v": enc_dict(PARAM_NAMES, v),
            "hvp": enc_dict(PARAM_NAMES, hvp),
            "loss_label_smoothing": float(loss_ls),
            "grads_label_smoothing": enc_dict(PARAM_NAMES, grads_ls),
            "sgd": {"lr": 0.1, "momentum": 0.9, "weightDecay": 0.01},
            "sgd_step": enc_dict(PARAM_NAMES, after[0]),
            "sgd_steps3": enc_dict(PARAM_NAMES, after[2]),
        }

    torch.manual_seed(7)  # likewise
    model = make_mlp(torch.nn.GELU()).double()
    params = list(model.parameters())
    x = torch.randn(7, 6, dtype=torch.float64)
    target = torch.randint(0, 3, (7,))
    loss = F.cross_entropy(model(x), target)
    grads = torch.autograd.grad(loss, params)
    out["mlp_gelu"] = {
        "dtype": "float64",
        "params": enc_dict(PARAM_NAMES, params),
        "x": enc(x),
        "target": enc(target),
        "loss": float(loss),
        "grads": enc_dict(PARAM_NAMES, grads),
    }
    write("mlp.json", out)
    return out


def value_and_grad(fn, inp, w=None):
    """fn(inp) and d/d inp of its sum (or of sum(out * w) when w is given)."""
    inp = inp.detach().clone().requires_grad_(True)
    y = fn(inp)
    (grad,) = torch.autograd.grad(y.sum() if w is None else (y * w).sum(), inp)
    return {"value": enc(y), "grad": enc(grad)}


def losses_fixture():
    torch.manual_seed(10)
    d = torch.float64
    logits = torch.randn(5, 4, dtype=d)
    target = torch.randint(0, 4, (5,))
    w = torch.randn(5, dtype=d)
    pred = torch.randn(5, 4, dtype=d)
    mse_target = torch.randn(5, 4, dtype=d)
    probs = F.softmax(torch.randn(5, 4, dtype=d) * 2, dim=1)  # drawn last: the cases above keep their values
    ce = lambda **kw: (lambda z: F.cross_entropy(z, target, **kw))
    ce_probs = lambda **kw: (lambda z: F.cross_entropy(z, probs, **kw))
    cases = {
        "cross_entropy_mean": value_and_grad(ce(reduction="mean"), logits),
        "cross_entropy_sum": value_and_grad(ce(reduction="sum"), logits),
        "cross_entropy_none": value_and_grad(ce(reduction="none"), logits, w),
        "cross_entropy_label_smoothing_0.2": value_and_grad(ce(label_smoothing=0.2), logits),
        "cross_entropy_probs_mean": value_and_grad(ce_probs(), logits),
        "cross_entropy_probs_label_smoothing_0.2": value_and_grad(ce_probs(label_smoothing=0.2), logits),
        "cross_entropy_probs_label_smoothing_0.3_sum": value_and_grad(ce_probs(label_smoothing=0.3, reduction="sum"), logits),
        "cross_entropy_probs_label_smoothing_0.3_none": value_and_grad(ce_probs(label_smoothing=0.3, reduction="none"), logits, w),
        "nll_loss_log_softmax_mean": value_and_grad(lambda z: F.nll_loss(F.log_softmax(z, dim=1), target), logits),
        "mse_loss_mean": value_and_grad(lambda p: F.mse_loss(p, mse_target, reduction="mean"), pred),
        "mse_loss_sum": value_and_grad(lambda p: F.mse_loss(p, mse_target, reduction="sum"), pred),
        "multi_margin_loss_mean": value_and_grad(lambda z: F.multi_margin_loss(z, target, p=1, margin=1.0), logits),
    }
    write("losses.json", {
        "logits": enc(logits), "target": enc(target), "w": enc(w),
        "pred": enc(pred), "mse_target": enc(mse_target), "probs": enc(probs), "cases": cases,
    })


def activations_fixture():
    torch.manual_seed(3)
    d = torch.float64
    x = torch.randn(3, 5, dtype=d) * 3
    w = torch.randn(3, 5, dtype=d)
    fns = {
        "relu": F.relu,
        "leaky_relu_0.01": lambda t: F.leaky_relu(t, 0.01),
        "leaky_relu_0.2": lambda t: F.leaky_relu(t, 0.2),
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "gelu": lambda t: F.gelu(t, approximate="none"),
        "softmax_dim-1": lambda t: F.softmax(t, dim=-1),
        "log_softmax_dim-1": lambda t: F.log_softmax(t, dim=-1),
        "softmax_dim0": lambda t: F.softmax(t, dim=0),
    }
    cases = {name: value_and_grad(fn, x, w) for name, fn in fns.items()}
    write("activations.json", {"x": enc(x), "w": enc(w), "cases": cases, "relu_nonfinite": relu_nonfinite()})


def nonfinite_list(t):
    """A float tensor's values, NaN and ±Infinity as the strings JavaScript's Number() reads back."""
    return [v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))
            for v in t.detach().double().flatten().tolist()]


def relu_nonfinite():
    """relu at NaN, ±0 and ±inf, and its backward there (threshold_backward passes the gradient at a NaN)."""
    x = torch.tensor([float("nan"), -1.0, 2.0, 0.0, -0.0, float("inf"), float("-inf")], dtype=torch.float64, requires_grad=True)
    gy = torch.tensor([3.0, 5.0, 7.0, 11.0, 13.0, 17.0, 19.0], dtype=torch.float64)
    out = F.relu(x)
    (gx,) = torch.autograd.grad(out, x, gy)
    return {"x": nonfinite_list(x), "gy": nonfinite_list(gy), "out": nonfinite_list(out), "gx": nonfinite_list(gx)}


SGD_CONFIGS = [
    {"lr": 0.1},
    {"lr": 0.1, "momentum": 0.9},
    {"lr": 0.1, "momentum": 0.9, "dampening": 0.5},
    {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1},
    {"lr": 0.1, "maximize": True},
    {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01, "nesterov": True},
]


def camel(key):
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


def sgd_fixture():
    torch.manual_seed(4)
    d = torch.float64
    p0 = torch.randn(4, dtype=d)
    grads = [torch.randn(4, dtype=d) for _ in range(5)]
    configs = []
    for cfg in SGD_CONFIGS:
        p = p0.clone().requires_grad_(True)
        opt = torch.optim.SGD([p], **cfg)
        steps = []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            steps.append(enc(p))
        configs.append({"options": {camel(k): v for k, v in cfg.items()}, "steps": steps})
    write("sgd.json", {"p0": enc(p0), "grads": [enc(g) for g in grads], "configs": configs})


def reductions_fixture():
    torch.manual_seed(11)
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    cases = {
        "var_dim1_correction1": torch.var(x, dim=1, unbiased=True, keepdim=True),
        "var_dim1_correction0": torch.var(x, dim=1, unbiased=False, keepdim=True),
        "std_dim1_correction1": torch.std(x, dim=1, unbiased=True, keepdim=True),
        "std_dim1_correction0": torch.std(x, dim=1, unbiased=False, keepdim=True),
        "mean_dims0_2": x.mean(dim=[0, 2]),
        "sum_dims0_2": x.sum(dim=[0, 2]),
        "max_dim2": x.max(dim=2).values,
        "argmax_dim2": x.argmax(dim=2),
        "logsumexp_dim1": torch.logsumexp(x, dim=1),
    }
    write("reductions.json", {"x": enc(x), "cases": {k: enc(v) for k, v in cases.items()}})


def main():
    torch.use_deterministic_algorithms(True)
    mlp_fixture()
    losses_fixture()
    activations_fixture()
    sgd_fixture()
    reductions_fixture()


if __name__ == "__main__":
    main()
