"""Write test/fixtures/sam.json: the reference SAM implementation's update (davda54/sam, sam.py at commit
3c3afdbd, 2022-06-28, the update also described in Foret et al. 2021, Algorithm 1) after successive steps,
for test/optim/sam.test.ts.

ReferenceSAM below restates that file's update in this script's words (it is not installed from anywhere):
  first_step   ‖g‖ is the 2-norm of the per-parameter 2-norms of (|w| if adaptive else 1)·grad, over the
               parameters with a gradient; each such parameter keeps a copy of w and moves by
               e(w) = (w² if adaptive else 1)·grad·(ρ / (‖g‖ + 1e-12)), computed in the parameter's dtype
  second_step  puts each parameter with a gradient back to its copy, then the base optimizer steps
  step(c)      first_step(zero_grad=True); c(); second_step() — the gradient at w is computed before step
The base optimizer gets SAM's param groups (rho and adaptive ride along in them, as in sam.py; torch's
optimizers ignore keys they do not know).

m-sharpness (Foret et al. §4.1; sam.py has none, its issue #25) is built here from the same two steps: the batch
split as numpy's array_split splits it, each chunk's first_step from its own gradient, the gradient at its
perturbed point kept, the weights put back, and the base optimizer stepping once from the chunks' gradients
averaged by their sizes. The step's loss is the chunks' losses at w, averaged the same way.

Problems (fixture_common): Rosenbrock from (−1.5, 2) and the 4-8-3 MLP's cross-entropy on 16 points, in float64
and float32. Each run stores, after every step, the loss at w and the parameters. Deterministic; CI never runs
this script (the JSON is committed). Run it from the repository root with Debian's torch:
    /usr/bin/python3 tools/gen_sam_fixtures.py
"""

import numpy as np

from fixture_common import DTYPES, PROBLEMS, enc, make_inits, snake, write_fixture  # first: it says how to get torch

import torch

STEPS = 6


class ReferenceSAM(torch.optim.Optimizer):
    """davda54/sam's SAM, restated (see the module docstring)."""

    def __init__(self, params, base_optimizer, rho=0.05, adaptive=False, **kwargs):
        super().__init__(params, dict(rho=rho, adaptive=adaptive, **kwargs))
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        self.param_groups = self.base_optimizer.param_groups

    def grad_norm(self):
        norms = [((p.abs() if group["adaptive"] else 1.0) * p.grad).norm(p=2)
                 for group in self.param_groups for p in group["params"] if p.grad is not None]
        return torch.stack(norms).norm(p=2)

    @torch.no_grad()
    def first_step(self, zero_grad=False):
        norm = self.grad_norm()
        for group in self.param_groups:
            scale = group["rho"] / (norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                self.state[p]["old_p"] = p.data.clone()
                p.add_((torch.pow(p, 2) if group["adaptive"] else 1.0) * p.grad * scale.to(p))
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def restore(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.data = self.state[p]["old_p"]

    @torch.no_grad()
    def second_step(self, zero_grad=False):
        self.restore()
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def step(self, closure):
        self.first_step(zero_grad=True)
        torch.enable_grad()(closure)()
        self.second_step()


BASES = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}
LR = {"rosenbrock": 4e-4, "mlp": 0.1}  # Rosenbrock: below 2/λmax ≈ 1e-3 at the start
# ASAM's ρ scales with |w|; on Rosenbrock from (−1.5, 2) a ρ of 0.5 leaps out of the valley, so it takes a tenth there.
ASAM_RHO_SCALE = {"rosenbrock": 0.1, "mlp": 1.0}

# (desc, base, base options in camelCase (lr per problem unless given), SAM options, m)
CONFIGS = [
    ("sgd", "sgd", {}, {}, 1),
    ("sgd momentum 0.9, weightDecay 5e-4, rho 0.1", "sgd", {"momentum": 0.9, "weightDecay": 5e-4}, {"rho": 0.1}, 1),
    ("sgd nesterov, rho 0.02", "sgd", {"momentum": 0.8, "nesterov": True}, {"rho": 0.02}, 1),
    ("adam lr 1e-2", "adam", {"lr": 1e-2}, {}, 1),
    ("asam sgd momentum 0.9, rho 0.5", "sgd", {"momentum": 0.9}, {"rho": 0.5, "adaptive": True}, 1),
    ("asam adam lr 1e-2, rho 1", "adam", {"lr": 1e-2}, {"rho": 1.0, "adaptive": True}, 1),
    ("sgd, m 2", "sgd", {}, {}, 2),
    ("sgd momentum 0.9, m 3 (chunks of 6, 5, 5)", "sgd", {"momentum": 0.9}, {"rho": 0.1}, 3),
    ("asam adam lr 1e-2, rho 0.5, m 4", "adam", {"lr": 1e-2}, {"rho": 0.5, "adaptive": True}, 4),
]


def chunk_loss(problem, params, init, rows):
    """The problem's loss on a subset of the MLP's points (the whole problem for rows None)."""
    _, loss_fn = PROBLEMS[problem]
    if rows is None:
        return loss_fn(params, init)
    sub = dict(init)
    x, y = init["x"], init["y"]
    width = x["shape"][1]
    sub["x"] = {"shape": [len(rows), width], "data": [v for r in rows for v in x["data"][r * width:(r + 1) * width]]}
    sub["y"] = {"shape": [len(rows)], "data": [y["data"][r] for r in rows]}
    return loss_fn(params, sub)


def run(problem, dtype, init, base, base_options, sam_options, m):
    make_params, _ = PROBLEMS[problem]
    params = make_params(dtype, init)
    # The MLP's layers in two groups, the second at half the lr: the base must keep per-group options.
    groups = [{"params": params}] if problem == "rosenbrock" else [
        {"params": params[:2]}, {"params": params[2:], "lr": base_options["lr"] / 2}]
    opt = ReferenceSAM(groups, BASES[base], **{snake(k): v for k, v in {**sam_options, **base_options}.items()})
    chunks = [None] if m == 1 else [list(c) for c in np.array_split(np.arange(init["y"]["shape"][0]), m)]
    n = init["y"]["shape"][0] if m > 1 else 1

    def grad_at(rows):
        opt.zero_grad()
        loss = chunk_loss(problem, params, init, rows)
        loss.backward()
        return loss

    steps = []
    for _ in range(STEPS):
        if m == 1:
            loss = float(grad_at(None))
            opt.step(lambda: grad_at(None))
        else:
            loss, total = 0.0, [torch.zeros_like(p) for p in params]
            for rows in chunks:
                loss += len(rows) * float(grad_at(rows))
                opt.first_step(zero_grad=True)
                grad_at(rows)
                for t, p in zip(total, params):
                    t.add_(p.grad, alpha=len(rows))
                opt.restore()
            for t, p in zip(total, params):
                p.grad = t / n
            opt.base_optimizer.step()
            loss /= n
        for p in params:
            assert torch.isfinite(p).all() and p.abs().max() < 10, f"SAM over {base} {base_options} {sam_options} diverged on {problem}"
        steps.append({"loss": loss, "params": [enc(p) for p in params]})
    return steps


def main():
    init = make_inits()
    runs = {}
    for desc, base, base_options, sam_options, m in CONFIGS:
        entry = {}
        for problem in PROBLEMS:
            if m > 1 and problem == "rosenbrock":
                continue  # no batch to split
            opts = {**base_options, "lr": base_options.get("lr", LR[problem])}
            sam = {**sam_options, "rho": sam_options.get("rho", 0.05) * (ASAM_RHO_SCALE[problem] if sam_options.get("adaptive") else 1)}
            entry[problem] = {"base": base, "baseOptions": opts, "sam": {**sam, "m": m},
                              **{name: run(problem, dtype, init[problem], base, opts, sam, m) for name, dtype in DTYPES.items()}}
        runs[desc] = entry
    write_fixture("sam.json", {"source": "davda54/sam sam.py @ 3c3afdbd", "steps": STEPS, "init": init, "runs": runs})


if __name__ == "__main__":
    main()
