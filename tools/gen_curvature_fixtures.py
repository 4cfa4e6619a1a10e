"""Write test/fixtures/curvature.json: the per-layer references for test/landscape/curvature.test.ts.

The model, data and loss are tools/gen_hessian_fixtures.py's (Linear(4, 6) → Tanh → Linear(6, 3), cross-entropy on
20 fixed points, torch's initialization from seed 0; test/fixtures/hessian.json holds them): this script rebuilds
them the same way, takes torch.autograd.functional.hessian of the mean loss, and writes the largest eigenvalue
(torch.linalg.eigvalsh) of each module's diagonal block — "0" (0.weight, 0.bias: parameters 0–29) and "2"
(2.weight, 2.bias: parameters 30–50) — and the fraction of eigenvalues of the whole Hessian below −1e-10.

Deterministic. CI never runs this script: the JSON is committed. Run it from the repository root with
Debian's torch:   /usr/bin/python3 tools/gen_curvature_fixtures.py
"""

from fixture_common import write_fixture  # first: it says how to get torch

import torch
import torch.nn.functional as F

torch.manual_seed(0)
l1, l2 = torch.nn.Linear(4, 6).double(), torch.nn.Linear(6, 3).double()
x = torch.randn(20, 4, dtype=torch.float64)
y = torch.randint(0, 3, (20,))
shapes = [l1.weight.shape, l1.bias.shape, l2.weight.shape, l2.bias.shape]
flat = torch.cat([p.detach().flatten() for p in (l1.weight, l1.bias, l2.weight, l2.bias)])


def loss(theta):
    parts, off = [], 0
    for s in shapes:
        n = s.numel()
        parts.append(theta[off:off + n].reshape(s))
        off += n
    w1, b1, w2, b2 = parts
    return F.cross_entropy(torch.tanh(x @ w1.T + b1) @ w2.T + b2, y)


hessian = torch.autograd.functional.hessian(loss, flat)
eigenvalues = torch.linalg.eigvalsh(hessian)
blocks = {"0": (0, 30), "2": (30, 51)}
write_fixture("curvature.json", {
    "loss": loss(flat).item(),
    "blockLambdaMax": {name: torch.linalg.eigvalsh(hessian[a:b, a:b])[-1].item() for name, (a, b) in blocks.items()},
    "negativeFraction": (eigenvalues < -1e-10).double().mean().item(),
})
