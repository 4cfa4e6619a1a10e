"""Write test/fixtures/landscape-trajectories.json: torch.optim's trajectories on minima's test surfaces, the
reference for test/landscape/surfaces.test.ts (mn.landscape.trajectory must equal them to 1e-10).

Each surface is written here as in src/landscape/surfaces/catalog.ts; the parameter is one float64 tensor of
shape [2] from the surface's start, and each step is zero_grad, f(p).backward(), step(), as minima's runner does.
Optimizers by minima's CLI names ("momentum" is SGD with momentum 0.9, "nesterov" adds nesterov=True); NAdam
is left out (torch 1.13 multiplies its μ product once too often, fixed in torch 2.0), Lion too (torch has none).
Options are stored in camelCase, lr included.

Deterministic. CI never runs this script: the JSON is committed. Run it from the repository root with Debian's
torch:   /usr/bin/python3 tools/gen_landscape_fixtures.py
"""

from fixture_common import snake, write_fixture  # first: it says how to get torch

import torch

STEPS = 100


def valley(x, y):
    return x ** 2 / 64 + y ** 2


def saddle(x, y):
    return x ** 2 - y ** 2


def banana(x, y):
    return (1 - x) ** 2 + 20 * (3 * y - x ** 2) ** 2


def beale(x, y):
    return (x * y - x + 1.5) ** 2 + (x * y ** 2 - x + 2.25) ** 2 + (x * y ** 3 - x + 2.625) ** 2


def himmelblau(x, y):
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


# (name, f, start, the lr of the SGD family, a factor on the other optimizers' lrs): each surface's curvature
# sets what is stable (the banana's walls are steep: RAdam's first, unrectified steps diverge at lr 0.05).
SURFACES = [
    ("valley", valley, [-8.0, 1.0], 0.5, 1),
    ("saddle", saddle, [-1.5, 0.05], 0.05, 1),
    ("banana", banana, [-1.21, 0.853], 0.002, 0.2),
    ("beale", beale, [1.0, 1.0], 0.01, 1),
    ("himmelblau", himmelblau, [0.0, 0.0], 0.01, 1),
]

# (minima's name, torch class, options in camelCase; lr None means the surface's SGD lr)
OPTIMIZERS = [
    ("sgd", torch.optim.SGD, {"lr": None}),
    ("momentum", torch.optim.SGD, {"lr": None, "momentum": 0.9}),
    ("nesterov", torch.optim.SGD, {"lr": None, "momentum": 0.9, "nesterov": True}),
    ("adagrad", torch.optim.Adagrad, {"lr": 0.3}),
    ("adadelta", torch.optim.Adadelta, {"lr": 1.0}),
    ("rmsprop", torch.optim.RMSprop, {"lr": 0.01}),
    ("rmsprop-centered", torch.optim.RMSprop, {"lr": 0.01, "momentum": 0.5, "centered": True}),
    ("adam", torch.optim.Adam, {"lr": 0.05}),
    ("adam-amsgrad", torch.optim.Adam, {"lr": 0.05, "amsgrad": True}),
    ("adamw", torch.optim.AdamW, {"lr": 0.05, "weightDecay": 0.01}),
    ("adamax", torch.optim.Adamax, {"lr": 0.05}),
    ("radam", torch.optim.RAdam, {"lr": 0.05}),
]


def run(f, start, cls, options):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = cls([p], **{snake(k): v for k, v in options.items()})
    xs, ys = [start[0]], [start[1]]
    for _ in range(STEPS):
        opt.zero_grad()
        f(p[0], p[1]).backward()
        opt.step()
        xs.append(p[0].item())
        ys.append(p[1].item())
    return xs, ys


def main():
    surfaces = {}
    for name, f, start, sgd_lr, factor in SURFACES:
        runs = {}
        for opt_name, cls, options in OPTIMIZERS:
            opts = {**options, "lr": sgd_lr if options["lr"] is None else options["lr"] * factor}
            xs, ys = run(f, start, cls, opts)
            runs[opt_name] = {"optimizer": cls.__name__, "options": opts, "x": xs, "y": ys}
        surfaces[name] = {"start": start, "steps": STEPS, "runs": runs}
    write_fixture("landscape-trajectories.json", {"surfaces": surfaces})


if __name__ == "__main__":
    main()
