"""Write test/fixtures/adam-subnormal.json: PyTorch 1.13's float32 Adam after 900 steps on a problem whose first
moments decay into the subnormal range, the reference for test/optim/adam-subnormal.test.ts.

512 parameters (seed 0, randn · 0.1). Every step's gradient is the parameter itself (the gradient of ½‖p‖²), but
the odd-indexed half gets a zero gradient from step 6 on, as a weight whose inputs stop arriving would: their first
moments then shrink by β₁ = 0.9 a step, below float32's smallest normal (1.2e-38) around step 790, and are
subnormal (about 1e-42) at step 900, where PyTorch, which never flushes subnormals, still holds them. minima's
native float32 loops flush them to zero (native/src/optim.cc says why); the test checks the parameters agree
within float32 rounding all the same.

Every float32 number is the exact float32 value written as a double. CI never runs this script: the JSON is
committed. Run it from the repository root with Debian's torch:   /usr/bin/python3 tools/gen_denormal_fixtures.py
"""

from fixture_common import enc, write_fixture  # first: it says how to get torch

import torch

N, STEPS, ZERO_FROM = 512, 900, 6

torch.manual_seed(0)
init = (torch.randn(N) * 0.1).float()
p = init.clone().requires_grad_(True)
opt = torch.optim.Adam([p], lr=1e-3, foreach=False)
odd = torch.arange(N) % 2 == 1
for step in range(1, STEPS + 1):
    g = p.detach().clone()
    if step >= ZERO_FROM:
        g[odd] = 0
    p.grad = g
    opt.step()
state = opt.state[p]
write_fixture("adam-subnormal.json", {
    "n": N, "steps": STEPS, "zeroFrom": ZERO_FROM, "lr": 1e-3,
    "init": enc(init), "param": enc(p), "expAvg": enc(state["exp_avg"]), "expAvgSq": enc(state["exp_avg_sq"]),
})
