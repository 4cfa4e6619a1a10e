"""Write test/fixtures/optimizers.json: PyTorch 1.13's optimizers after 25 steps, the reference for
test/optim/contract.test.ts.

For every optimizer PyTorch has (SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, NAdam, RAdam)
and a spread of options (the rows of test/optim/cases.ts, keyed "<Optimizer>/<desc>"), it runs 25
full-batch steps on two problems, in float64 and float32, and stores the parameters after them:

  rosenbrock  f(x, y) = (1 − x)² + 100(y − x²)², from (−1.5, 2)
  mlp         Linear(4, 8) → Tanh → Linear(8, 3), cross-entropy on 16 fixed points; its initial
              weights, inputs and labels are stored in the fixture (float32 values, exact as doubles)

Options are stored in camelCase, complete with the lr used on each problem (the rows leave lr to the
fixture where one lr does not suit both problems). Where torch 1.13 cannot express a row directly,
the entry says how its reference was made ("reference"):
  - maximize on NAdam and RAdam (absent in 1.13): torch minimizing −f, which is what maximize means;
  - Adagrad epsInsideSqrt: torch with initial_accumulator_value h₀ + ε and eps 0 (√(h + ε) = √((h₀+ε) + Σg²));
  - RMSprop epsInsideSqrt (Keras' d = √(v + ε)), Adam epsInsideSqrt (Optax's eps_root) and Adam
    biasCorrection false: torch 1.13's own single-tensor loop copied here with that one line changed.
NAdam: torch 1.13 multiplies Πₜμₜ₊₁ by μₜ once more, a bug fixed in pytorch/pytorch#92699 (torch 2.0);
its single-tensor function is patched with that fix, and in float64 runs the μ product is kept in float64
(1.13 keeps it in a float32 tensor whatever the parameters' dtype). Lion is not here: torch has none.

Every float32 number is the exact float32 value written as a double. Deterministic (fixed seed).
CI never runs this script: the JSON is committed, so the tests need no Python. Run it from the
repository root with Debian's torch:   /usr/bin/python3 tools/gen_optim_fixtures.py
"""

import math

from fixture_common import DTYPES, PROBLEMS, enc, make_inits, snake, write_fixture  # first: it says how to get torch

import torch
import torch.optim.nadam as nadam_mod

STEPS = 25

# The rows: (optimizer, desc, options in camelCase). Keep in step with test/optim/cases.ts.
CONFIGS = [
    ("SGD", "plain", {}),
    ("SGD", "momentum", {"momentum": 0.9}),
    ("SGD", "momentum with dampening", {"momentum": 0.9, "dampening": 0.5}),
    ("SGD", "nesterov", {"momentum": 0.9, "nesterov": True}),
    ("SGD", "nesterov, weight decay", {"momentum": 0.8, "nesterov": True, "weightDecay": 0.01}),
    ("SGD", "maximize", {"momentum": 0.5, "maximize": True}),
    ("Adagrad", "defaults", {}),
    ("Adagrad", "lrDecay", {"lrDecay": 0.05}),
    ("Adagrad", "initialAccumulatorValue, weight decay", {"initialAccumulatorValue": 0.1, "weightDecay": 0.01}),
    ("Adagrad", "maximize", {"maximize": True}),
    ("Adagrad", "Keras: epsInsideSqrt, accumulator 0.1", {"initialAccumulatorValue": 0.1, "eps": 1e-7, "epsInsideSqrt": True}),
    ("Adadelta", "defaults", {}),
    ("Adadelta", "rho, eps, weight decay", {"rho": 0.95, "eps": 1e-5, "weightDecay": 0.01}),
    ("Adadelta", "maximize", {"maximize": True}),
    ("RMSprop", "defaults", {}),
    ("RMSprop", "centered", {"centered": True}),
    ("RMSprop", "momentum", {"momentum": 0.9}),
    ("RMSprop", "centered, momentum, weight decay", {"centered": True, "momentum": 0.5, "weightDecay": 0.01}),
    ("RMSprop", "maximize", {"maximize": True}),
    ("RMSprop", "Keras: epsInsideSqrt", {"alpha": 0.9, "eps": 1e-7, "epsInsideSqrt": True}),
    ("Adam", "defaults", {}),
    ("Adam", "betas, eps, weight decay", {"betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.01}),
    ("Adam", "amsgrad", {"amsgrad": True}),
    ("Adam", "maximize, amsgrad", {"maximize": True, "amsgrad": True}),
    ("Adam", "no bias correction", {"biasCorrection": False}),
    ("Adam", "epsInsideSqrt, eps 1e-3", {"epsInsideSqrt": True, "eps": 1e-3}),
    ("AdamW", "defaults", {}),
    ("AdamW", "weight decay 0.1, amsgrad", {"weightDecay": 0.1, "amsgrad": True}),
    ("AdamW", "maximize", {"maximize": True}),
    ("Adamax", "defaults", {}),
    ("Adamax", "weight decay", {"weightDecay": 0.01}),
    ("Adamax", "maximize", {"maximize": True}),
    ("NAdam", "defaults", {}),
    ("NAdam", "momentumDecay, weight decay", {"momentumDecay": 0.01, "weightDecay": 0.01}),
    ("NAdam", "maximize", {"maximize": True}),
    ("RAdam", "defaults", {}),
    ("RAdam", "weight decay", {"weightDecay": 0.01}),
    ("RAdam", "maximize", {"maximize": True}),
]

# The lr on each problem, per optimizer: the scale of each problem's gradients differs by ~100×.
LR = {
    "SGD": {"rosenbrock": 1e-4, "mlp": 0.2},
    "Adagrad": {"rosenbrock": 0.1, "mlp": 0.1},
    "Adadelta": {"rosenbrock": 1.0, "mlp": 1.0},
    "RMSprop": {"rosenbrock": 0.01, "mlp": 0.01},
    "Adam": {"rosenbrock": 0.05, "mlp": 0.01},
    "AdamW": {"rosenbrock": 0.05, "mlp": 0.01},
    "Adamax": {"rosenbrock": 0.05, "mlp": 0.01},
    "NAdam": {"rosenbrock": 0.05, "mlp": 0.01},
    "RAdam": {"rosenbrock": 1e-3, "mlp": 0.01},  # its first 5 steps are SGD with momentum
}
# Gradient ascent on Rosenbrock runs away (its gradient grows like 400x³): a smaller step.
LR_ROW = {"SGD/maximize": {"rosenbrock": 1e-5}}


# ---- references torch 1.13 cannot express by an option ----------------------------------------------

class FormulaAdam(torch.optim.Optimizer):
    """torch 1.13's _single_tensor_adam (no amsgrad), with biasCorrection and epsInsideSqrt added."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, bias_correction=True, eps_inside_sqrt=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self.bc, self.inside = bias_correction, eps_inside_sqrt

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            (beta1, beta2), lr, eps, wd = group["betas"], group["lr"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                st = self.state[p]
                if not st:
                    st.update(step=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                st["step"] += 1
                grad = p.grad.add(p, alpha=wd) if wd else p.grad
                st["m"].mul_(beta1).add_(grad, alpha=1 - beta1)
                st["v"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                bc1 = 1 - beta1 ** st["step"] if self.bc else 1.0
                bc2 = 1 - beta2 ** st["step"] if self.bc else 1.0
                if self.inside:  # Optax's eps_root: sqrt(v̂ + ε)
                    denom = (st["v"] / bc2).add_(eps).sqrt_()
                else:
                    denom = (st["v"].sqrt() / math.sqrt(bc2)).add_(eps)
                p.addcdiv_(st["m"], denom, value=-lr / bc1)


class KerasRMSprop(torch.optim.Optimizer):
    """torch 1.13's _single_tensor_rmsprop with Keras' denominator √(v + ε) (no centered/momentum needed here)."""

    def __init__(self, params, lr, alpha=0.99, eps=1e-8):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                st = self.state[p]
                if not st:
                    st["v"] = torch.zeros_like(p)
                st["v"].mul_(group["alpha"]).addcmul_(p.grad, p.grad, value=1 - group["alpha"])
                p.addcdiv_(p.grad, st["v"].add(group["eps"]).sqrt_(), value=-group["lr"])


def nadam_fixed(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *,
                beta1, beta2, lr, weight_decay, momentum_decay, eps):
    """torch 1.13's _single_tensor_nadam with the fix of pytorch/pytorch#92699 (Πₜμₜ₊₁, not Πₜμₜμₜ₊₁)."""
    for i, param in enumerate(params):
        grad, exp_avg, exp_avg_sq, mu_product, step_t = grads[i], exp_avgs[i], exp_avg_sqs[i], mu_products[i], state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        mu_product_next = mu_product * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
        param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))


nadam_mod._single_tensor_nadam = nadam_fixed


def build(name, options, params):
    """The torch optimizer for a row, the sign of the objective it minimizes, and how the reference was made."""
    o = dict(options)
    sign, reference = 1.0, "torch.optim." + name
    if o.get("maximize") and name in ("NAdam", "RAdam"):
        o.pop("maximize")
        sign, reference = -1.0, f"torch.optim.{name} minimizing −f (1.13 has no maximize)"
    if name == "Adagrad" and o.pop("epsInsideSqrt", False):
        o["initialAccumulatorValue"] = o.get("initialAccumulatorValue", 0.0) + o.get("eps", 1e-10)
        o["eps"] = 0.0
        reference = "torch.optim.Adagrad with initial_accumulator_value h₀ + ε, eps 0"
    if name == "RMSprop" and o.pop("epsInsideSqrt", False):
        return KerasRMSprop(params, **{snake(k): v for k, v in o.items()}), sign, "torch 1.13 RMSprop loop with Keras' √(v + ε)"
    if name == "Adam" and ("biasCorrection" in o or "epsInsideSqrt" in o):
        return FormulaAdam(params, **{snake(k): v for k, v in o.items()}), sign, "torch 1.13 Adam loop with biasCorrection / epsInsideSqrt"
    if name == "NAdam":
        reference += " (1.13, with the fix of pytorch/pytorch#92699)"
    kwargs = {snake(k): (tuple(v) if k == "betas" else v) for k, v in o.items()}
    return getattr(torch.optim, name)(params, **kwargs), sign, reference


def run(name, options, problem, dtype, init):
    make_params, loss_fn = PROBLEMS[problem]
    params = make_params(dtype, init[problem])
    opt, sign, reference = build(name, options, params)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(params, init[problem])
        losses.append(loss.item())
        (sign * loss).backward()
        opt.step()
    for p in params:
        assert torch.isfinite(p).all(), f"{name} {options} diverged on {problem}"
    return params, losses, reference


def main():
    init = make_inits()
    runs = {}
    prev_default = torch.get_default_dtype()
    for name, desc, options in CONFIGS:
        entry = {"optimizer": name, "desc": desc}
        for problem in PROBLEMS:
            lr = LR_ROW.get(f"{name}/{desc}", {}).get(problem, LR[name][problem])
            opts = {**options, "lr": options.get("lr", lr)}
            entry[problem] = {"options": opts}
            for dname, dtype in DTYPES.items():
                # torch.tensor(1.) scalars in optimizer state (NAdam's μ product) follow the default dtype.
                torch.set_default_dtype(dtype)
                params, losses, reference = run(name, opts, problem, dtype, init)
                torch.set_default_dtype(prev_default)
                entry[problem][dname] = [enc(p) for p in params]
                entry["reference"] = reference
        runs[f"{name}/{desc}"] = entry
    write_fixture("optimizers.json", {"steps": STEPS, "init": init, "runs": runs})

if __name__ == "__main__":
    main()
