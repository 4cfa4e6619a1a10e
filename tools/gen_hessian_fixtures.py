"""Write test/fixtures/hessian.json: the exact Hessian of a small float64 MLP's loss and its spectrum, the
reference for test/landscape/*.test.ts (topEigen, minEigen, trace, Lanczos's whole spectrum, dense()); and
test/fixtures/curvature.json, the per-layer references for test/landscape/curvature.test.ts: the largest eigenvalue
of each module's diagonal block — "0" (0.weight, 0.bias: parameters 0–29) and "2" (2.weight, 2.bias: parameters
30–50) — and the fraction of eigenvalues of the whole Hessian below −1e-10.

The model is Linear(4, 6) → Tanh → Linear(6, 3) with cross-entropy (mean) on 20 fixed points, at torch's
initialization from seed 0: 51 parameters, in model.parameters() order (0.weight, 0.bias, 2.weight, 2.bias),
flattened row-major and concatenated. torch.autograd.functional.hessian of the mean loss over all 20 points
with respect to that flat vector gives the 51×51 Hessian; torch.linalg.eigvalsh its eigenvalues (ascending),
its trace the sum of the diagonal. At this point the Hessian is indefinite (tanh's curvature) and singular
(softmax ignores a shift of every logit: the last layer's bias and weights have null directions).

Deterministic. CI never runs this script: the JSON is committed. Run it from the repository root with
Debian's torch:   /usr/bin/python3 tools/gen_hessian_fixtures.py (writes both files)
"""

from fixture_common import enc, write_fixture  # first: it says how to get torch

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
write_fixture("hessian.json", {
    "params": {"0.weight": enc(l1.weight), "0.bias": enc(l1.bias), "2.weight": enc(l2.weight), "2.bias": enc(l2.bias)},
    "x": enc(x), "y": enc(y),
    "loss": loss(flat).item(),
    "hessian": enc(hessian),
    "eigenvalues": enc(eigenvalues),
    "trace": hessian.trace().item(),
})
blocks = {"0": (0, 30), "2": (30, 51)}
write_fixture("curvature.json", {
    "loss": loss(flat).item(),
    "blockLambdaMax": {name: torch.linalg.eigvalsh(hessian[a:b, a:b])[-1].item() for name, (a, b) in blocks.items()},
    "negativeFraction": (eigenvalues < -1e-10).double().mean().item(),
})
print("eigenvalues:", [round(v, 6) for v in eigenvalues.tolist()])
