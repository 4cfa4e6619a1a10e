"""Regenerate test/fixtures/loss-parity.json: PyTorch's values and input gradients for the losses of issue 12.

binary_cross_entropy (weight, probabilities of exactly 0 and 1), binary_cross_entropy_with_logits (weight,
pos_weight, logits up to ±100), l1_loss, smooth_l1_loss (beta, incl. 0), huber_loss (delta), kl_div
(mean, batchmean, sum, none, log_target), cosine_embedding_loss (margin, one pair, a zero vector), each in
float32 and float64 and with every reduction somewhere. A case stores its inputs, the loss, and the gradient
of sum(loss) (of sum(loss * w) for reduction "none") with respect to the inputs named in "grad_of".
test/nn/losses/torch-parity.test.ts compares minima with it (float32 rtol 1e-5, float64 rtol 1e-10).

Usage, from the repository root:   /usr/bin/python3 tools/gen_loss_fixtures.py
Deterministic (torch.manual_seed); the fixture is committed, so the tests need no Python.
"""

from fixture_common import DTYPES, enc, write_fixture  # first: it says how to get torch

import torch
import torch.nn.functional as F

D = torch.float64


def data():
    """Every input, drawn once in float64 (the float32 cases round these)."""
    torch.manual_seed(12)
    n, c = 6, 4
    probs = torch.sigmoid(torch.randn(n, c, dtype=D) * 2)
    soft = torch.rand(n, c, dtype=D)
    hard = torch.randint(0, 2, (n, c)).to(D)
    logits = torch.cat([torch.randn(n - 1, c, dtype=D) * 3, torch.tensor([[-100.0, -30.0, 30.0, 100.0]], dtype=D)])
    pred = torch.randn(n, c, dtype=D) * 2
    target = torch.randn(n, c, dtype=D) * 2
    target[0, :2] = pred[0, :2]  # ties: l1's gradient is 0 there
    pred[1] = target[1] + torch.tensor([0.5, -0.5, 1.0, -1.0], dtype=D)  # |x − y| at the thresholds
    pred_untied = pred.clone()
    pred_untied[0, :2] += 0.25  # torch 1.13's smooth_l1 with beta 0 takes −1 as the gradient at a tie; minima (and torch ≥ 2.0) 0
    logq = F.log_softmax(torch.randn(n, c, dtype=D), dim=1)
    p = F.softmax(torch.randn(n, c, dtype=D) * 2, dim=1)
    p[2, 1] = 0.0  # y = 0 contributes 0 (xlogy)
    logp = F.log_softmax(torch.randn(n, c, dtype=D), dim=1)
    x1 = torch.randn(n, 5, dtype=D)
    x2 = torch.randn(n, 5, dtype=D)
    x2[3] = -0.7 * x1[3] + 0.1 * torch.randn(5, dtype=D)
    x1[5] = 0.0  # a zero vector: cosine 0 thanks to ε
    y = torch.tensor([1.0, -1.0, -1.0, -1.0, 1.0, -1.0], dtype=D)
    return {
        "probs": probs, "soft": soft, "hard": hard, "logits": logits, "pred": pred, "target": target,
        "pred_untied": pred_untied, "logq": logq, "p": p, "logp": logp, "x1": x1, "x2": x2, "y": y,
        "edge_x": torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-30, 1.0 - 2.0 ** -20], dtype=D),
        "edge_t": torch.tensor([0.0, 1.0, 1.0, 0.0, 0.3, 1.0, 0.0], dtype=D),
        "weight": torch.rand(n, c, dtype=D) + 0.5,
        "weight_c": torch.rand(c, dtype=D) + 0.5,
        "weight_n1": torch.rand(n, 1, dtype=D) + 0.5,
        "pos_weight": torch.tensor([3.0, 0.5, 1.0, 10.0], dtype=D),
        "w": torch.randn(n, c, dtype=D),
        "w_n": torch.randn(n, dtype=D),
        "w_edge": torch.randn(7, dtype=D),
    }


# name: (inputs by role → data key, the roles whose gradients are stored, the loss, options as minima spells them, w for "none")
CASES = {
    "bce_mean": ({"input": "probs", "target": "soft"}, ["input"], lambda a: F.binary_cross_entropy(a["input"], a["target"]), {}, None),
    "bce_hard_sum": ({"input": "probs", "target": "hard"}, ["input"], lambda a: F.binary_cross_entropy(a["input"], a["target"], reduction="sum"), {"reduction": "sum"}, None),
    "bce_weight_none": ({"input": "probs", "target": "soft", "weight": "weight"}, ["input"],
                        lambda a: F.binary_cross_entropy(a["input"], a["target"], weight=a["weight"], reduction="none"), {"reduction": "none"}, "w"),
    "bce_weight_broadcast_mean": ({"input": "probs", "target": "soft", "weight": "weight_c"}, ["input"],
                                  lambda a: F.binary_cross_entropy(a["input"], a["target"], weight=a["weight"]), {}, None),
    "bce_edges_none": ({"input": "edge_x", "target": "edge_t"}, ["input"], lambda a: F.binary_cross_entropy(a["input"], a["target"], reduction="none"), {"reduction": "none"}, "w_edge"),
    "bce_logits_mean": ({"input": "logits", "target": "soft"}, ["input"], lambda a: F.binary_cross_entropy_with_logits(a["input"], a["target"]), {}, None),
    "bce_logits_hard_sum": ({"input": "logits", "target": "hard"}, ["input"],
                            lambda a: F.binary_cross_entropy_with_logits(a["input"], a["target"], reduction="sum"), {"reduction": "sum"}, None),
    "bce_logits_pos_weight_none": ({"input": "logits", "target": "hard", "posWeight": "pos_weight"}, ["input"],
                                   lambda a: F.binary_cross_entropy_with_logits(a["input"], a["target"], pos_weight=a["posWeight"], reduction="none"), {"reduction": "none"}, "w"),
    "bce_logits_weight_pos_weight_mean": ({"input": "logits", "target": "soft", "weight": "weight_n1", "posWeight": "pos_weight"}, ["input"],
                                          lambda a: F.binary_cross_entropy_with_logits(a["input"], a["target"], weight=a["weight"], pos_weight=a["posWeight"]), {}, None),
    "bce_logits_weight_sum": ({"input": "logits", "target": "soft", "weight": "weight"}, ["input"],
                              lambda a: F.binary_cross_entropy_with_logits(a["input"], a["target"], weight=a["weight"], reduction="sum"), {"reduction": "sum"}, None),
    "l1_mean": ({"input": "pred", "target": "target"}, ["input"], lambda a: F.l1_loss(a["input"], a["target"]), {}, None),
    "l1_none": ({"input": "pred", "target": "target"}, ["input"], lambda a: F.l1_loss(a["input"], a["target"], reduction="none"), {"reduction": "none"}, "w"),
    "smooth_l1_mean": ({"input": "pred", "target": "target"}, ["input"], lambda a: F.smooth_l1_loss(a["input"], a["target"]), {}, None),
    "smooth_l1_beta_0.5_sum": ({"input": "pred", "target": "target"}, ["input"],
                               lambda a: F.smooth_l1_loss(a["input"], a["target"], beta=0.5, reduction="sum"), {"beta": 0.5, "reduction": "sum"}, None),
    "smooth_l1_beta_2_none": ({"input": "pred", "target": "target"}, ["input"],
                              lambda a: F.smooth_l1_loss(a["input"], a["target"], beta=2.0, reduction="none"), {"beta": 2, "reduction": "none"}, "w"),
    "smooth_l1_beta_0_mean": ({"input": "pred_untied", "target": "target"}, ["input"], lambda a: F.smooth_l1_loss(a["input"], a["target"], beta=0.0), {"beta": 0}, None),
    "huber_mean": ({"input": "pred", "target": "target"}, ["input"], lambda a: F.huber_loss(a["input"], a["target"]), {}, None),
    "huber_delta_0.5_sum": ({"input": "pred", "target": "target"}, ["input"],
                            lambda a: F.huber_loss(a["input"], a["target"], delta=0.5, reduction="sum"), {"delta": 0.5, "reduction": "sum"}, None),
    "huber_delta_2_none": ({"input": "pred", "target": "target"}, ["input"],
                           lambda a: F.huber_loss(a["input"], a["target"], delta=2.0, reduction="none"), {"delta": 2, "reduction": "none"}, "w"),
    "kl_div_mean": ({"input": "logq", "target": "p"}, ["input"], lambda a: F.kl_div(a["input"], a["target"], reduction="mean"), {}, None),
    "kl_div_batchmean": ({"input": "logq", "target": "p"}, ["input"],
                         lambda a: F.kl_div(a["input"], a["target"], reduction="batchmean"), {"reduction": "batchmean"}, None),
    "kl_div_sum": ({"input": "logq", "target": "p"}, ["input"], lambda a: F.kl_div(a["input"], a["target"], reduction="sum"), {"reduction": "sum"}, None),
    "kl_div_none": ({"input": "logq", "target": "p"}, ["input"], lambda a: F.kl_div(a["input"], a["target"], reduction="none"), {"reduction": "none"}, "w"),
    "kl_div_log_target_batchmean": ({"input": "logq", "target": "logp"}, ["input"],
                                    lambda a: F.kl_div(a["input"], a["target"], reduction="batchmean", log_target=True),
                                    {"reduction": "batchmean", "logTarget": True}, None),
    "kl_div_log_target_none": ({"input": "logq", "target": "logp"}, ["input"],
                               lambda a: F.kl_div(a["input"], a["target"], reduction="none", log_target=True), {"reduction": "none", "logTarget": True}, "w"),
    "cosine_embedding_mean": ({"input1": "x1", "input2": "x2", "target": "y"}, ["input1", "input2"],
                              lambda a: F.cosine_embedding_loss(a["input1"], a["input2"], a["target"]), {}, None),
    "cosine_embedding_margin_0.3_sum": ({"input1": "x1", "input2": "x2", "target": "y"}, ["input1", "input2"],
                                        lambda a: F.cosine_embedding_loss(a["input1"], a["input2"], a["target"], margin=0.3, reduction="sum"),
                                        {"margin": 0.3, "reduction": "sum"}, None),
    "cosine_embedding_margin_-0.2_none": ({"input1": "x1", "input2": "x2", "target": "y"}, ["input1", "input2"],
                                          lambda a: F.cosine_embedding_loss(a["input1"], a["input2"], a["target"], margin=-0.2, reduction="none"),
                                          {"margin": -0.2, "reduction": "none"}, "w_n"),
}


def one_pair():
    """A single pair [D] with a 0-d target (torch 1.13's unbatched form)."""
    torch.manual_seed(13)
    return {"a": torch.randn(5, dtype=D), "b": torch.randn(5, dtype=D)}


def run(inputs, grad_of, fn, w):
    leaves = {k: v.detach().clone().requires_grad_(k in grad_of) for k, v in inputs.items()}
    out = fn(leaves)
    scalar = out.sum() if w is None else (out * w).sum()
    grads = torch.autograd.grad(scalar, [leaves[k] for k in grad_of])
    return {"value": enc(out), "grads": {k: enc(g) for k, g in zip(grad_of, grads)}}


def main():
    src = data()
    cases = {}
    for name, (roles, grad_of, fn, options, w) in CASES.items():
        case = {"options": options, "grad_of": grad_of, **({"w": w} if w else {})}
        for dname, dtype in DTYPES.items():
            inputs = {role: src[key].to(dtype) for role, key in roles.items()}
            wt = src[w].to(dtype) if w else None
            case[dname] = {"inputs": {k: enc(v) for k, v in inputs.items()}, **run(inputs, grad_of, fn, wt)}
        cases[name] = case
    pair = one_pair()
    for margin, y in ((0.0, 1.0), (0.1, -1.0)):
        name = f"cosine_embedding_pair_y{int(y)}"
        case = {"options": {"margin": margin}, "grad_of": ["input1", "input2"]}
        for dname, dtype in DTYPES.items():
            inputs = {"input1": pair["a"].to(dtype), "input2": pair["b"].to(dtype), "target": torch.tensor(y, dtype=dtype)}
            # torch's sum over dim 0 of an unbatched pair is the -1th; with margin 0.1 and y = −1 the hinge is active or not by the data.
            case[dname] = {"inputs": {k: enc(v) for k, v in inputs.items()},
                           **run(inputs, ["input1", "input2"], lambda a, m=margin: F.cosine_embedding_loss(a["input1"], a["input2"], a["target"], margin=m), None)}
        cases[name] = case
    write_fixture("loss-parity.json", {"w": {k: enc(src[k]) for k in ("w", "w_n", "w_edge")}, "cases": cases})


main()
