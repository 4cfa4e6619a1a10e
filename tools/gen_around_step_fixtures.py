"""Regenerate test/fixtures/around-step.json: PyTorch's results for what happens around an
optimizer step, which test/nn/clip-grad.test.ts and test/optim/swa-utils.test.ts compare
minima against (float64, to 1e-12).

It writes:

  clip_grad_norm   three float64 parameters with given gradients (plus one without a gradient,
                   which must be skipped), and for each case (normType 2, 1, 3 and inf, and a
                   maxNorm above the total norm, where nothing changes) the total norm that
                   torch.nn.utils.clip_grad_norm_ returns and the gradients after it
  clip_grad_value  the same gradients after torch.nn.utils.clip_grad_value_(params, 0.5)
  averaged_model   a Linear(3,4)-Tanh-Linear(4,2) model (float64) moved through 5 states, and
                   torch.optim.swa_utils.AveragedModel's parameters after each
                   update_parameters call: SWA (the default equal average) and EMA with
                   decay 0.9 (torch 1.13 has no get_ema_multi_avg_fn, so the EMA avg_fn is
                   written here as decay·avg + (1−decay)·param, the form torch 2.x uses)
  averaged_buffers a Linear(3,2) with a registered buffer "running", EMA (decay 0.8) with
                   use_buffers=True: parameters and buffer averaged together

Every tensor is {"shape": [...], "data": [flat row-major numbers]}; the file's "torch" key
records the version that wrote it.

Usage, from the repository root:   /usr/bin/python3 tools/gen_around_step_fixtures.py
(Debian's python3-torch; the python3 on PATH may be another interpreter without torch).
The output is deterministic (torch.manual_seed). CI never runs this script: the fixture is
committed, so the tests need no Python.
"""

import math

from fixture_common import enc, write_fixture  # first: it says how to get torch

import torch
from torch.optim.swa_utils import AveragedModel

SHAPES = [[3, 4], [4], [2, 2, 2]]


def norm_name(n):
    return "inf" if math.isinf(n) else n  # JSON has no Infinity; the test maps "inf" back


def clip_fixtures():
    torch.manual_seed(0)
    grads = [torch.randn(s, dtype=torch.float64) * 0.7 for s in SHAPES]
    cases = []
    for norm_type, max_norm in [(2.0, 1.0), (1.0, 2.0), (3.0, 0.8), (math.inf, 0.5), (2.0, 100.0)]:
        params = [torch.zeros(s, dtype=torch.float64, requires_grad=True) for s in SHAPES]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        no_grad = torch.zeros(5, dtype=torch.float64, requires_grad=True)  # skipped: grad is None
        total = torch.nn.utils.clip_grad_norm_(params + [no_grad], max_norm, norm_type=norm_type)
        assert no_grad.grad is None
        cases.append({
            "normType": norm_name(norm_type),
            "maxNorm": max_norm,
            "totalNorm": float(total),
            "clipped": float(total) > max_norm,
            "after": [enc(p.grad) for p in params],
        })
    params = [torch.zeros(s, dtype=torch.float64, requires_grad=True) for s in SHAPES]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, 0.5)
    return (
        {"grads": [enc(g) for g in grads], "cases": cases},
        {"clipValue": 0.5, "after": [enc(p.grad) for p in params]},
    )


def states(model, n):
    """n successive parameter states: a deterministic random walk from the initial weights."""
    out = []
    for _ in range(n):
        with torch.no_grad():
            for t in list(model.parameters()) + list(model.buffers()):
                t.add_(0.3 * torch.randn_like(t))
        out.append({k: v.clone() for k, v in model.state_dict().items()})
    return out


def ema_fn(decay):
    return lambda avg, param, num_averaged: decay * avg + (1 - decay) * param


def averaged_model_fixture():
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    init = {k: enc(v) for k, v in model.state_dict().items()}
    walk = states(model, 5)
    out = {"init": init, "states": [{k: enc(v) for k, v in s.items()} for s in walk], "decay": 0.9}
    for name, avg_fn in [("swa", None), ("ema", ema_fn(0.9))]:
        model.load_state_dict({k: torch.tensor(v["data"], dtype=torch.float64).reshape(v["shape"]) for k, v in init.items()})
        avg = AveragedModel(model, avg_fn=avg_fn)
        after = []
        for s in walk:
            model.load_state_dict(s)
            avg.update_parameters(model)
            after.append({k: enc(v) for k, v in avg.module.state_dict().items()})
        assert int(avg.n_averaged) == len(walk)
        out[name] = after
    return out


class WithBuffer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 2)
        self.register_buffer("running", torch.zeros(2))

    def forward(self, x):
        return self.fc(x) + self.running


def averaged_buffers_fixture():
    torch.manual_seed(2)
    model = WithBuffer().double()
    init = {k: enc(v) for k, v in model.state_dict().items()}
    walk = states(model, 4)
    model.load_state_dict({k: torch.tensor(v["data"], dtype=torch.float64).reshape(v["shape"]) for k, v in init.items()})
    avg = AveragedModel(model, avg_fn=ema_fn(0.8), use_buffers=True)
    after = []
    for s in walk:
        model.load_state_dict(s)
        avg.update_parameters(model)
        after.append({k: enc(v) for k, v in avg.module.state_dict().items()})
    return {"init": init, "states": [{k: enc(v) for k, v in s.items()} for s in walk], "decay": 0.8, "ema": after}


def main():
    clip_norm, clip_value = clip_fixtures()
    write_fixture("around-step.json", {
        "clip_grad_norm": clip_norm,
        "clip_grad_value": clip_value,
        "averaged_model": averaged_model_fixture(),
        "averaged_buffers": averaged_buffers_fixture(),
    })

if __name__ == "__main__":
    main()
