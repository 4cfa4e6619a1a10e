"""PyTorch's side of minima's benchmarks (run by bench/*.bench.ts under /usr/bin/python3).

Usage: torch_peer.py TASK JSON, TASK one of sgemm, mlp, cnn, adam, hvp; JSON holds the task's
settings and "threads". Prints one line: BENCH_RESULT {json}. The same models, data,
batch sizes and optimizer settings as the TypeScript side.
"""
import gzip, json, os, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def idx(path):
    """An IDX file (raw or .gz) as a numpy array."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def fashion(folder):
    def part(stem):
        name = next(f for f in os.listdir(folder) if f.startswith(stem))
        return idx(os.path.join(folder, name))
    x = torch.from_numpy(part("train-images").astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(part("train-labels").astype(np.int64))
    xt = torch.from_numpy(part("t10k-images").astype(np.float32) / 255).unsqueeze(1)
    yt = torch.from_numpy(part("t10k-labels").astype(np.int64))
    return x, y, xt, yt


def sgemm(o):
    out = {}
    for n in o["sizes"]:
        a, b = torch.rand(n, n), torch.rand(n, n)
        a @ b
        ts, start = [], time.perf_counter()
        while len(ts) < 15 and (len(ts) < 3 or time.perf_counter() - start < 5):
            t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
        out[str(n)] = 2 * n ** 3 / median(ts) / 1e9
    return out


def mlp(o):
    x, y, xt, yt = fashion(o["dir"])
    x = x.flatten(1)
    runs = []
    while len(runs) < o["reps"] and (not runs or sum(r["seconds"] for r in runs) < o["budgetS"]):
        torch.manual_seed(len(runs))
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        start = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), o["batch"]):
            j = order[i:i + o["batch"]]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[j]), y[j])
            loss.backward()
            opt.step()
            loss.item()
        seconds = time.perf_counter() - start
        with torch.no_grad():
            acc = (model(xt.flatten(1)).argmax(1) == yt).float().mean().item()
        runs.append({"seconds": seconds, "accuracy": acc})
    return {"seconds": median([r["seconds"] for r in runs]), "accuracy": median([r["accuracy"] for r in runs]), "reps": len(runs)}


def cnn(o):
    x, y, _, _ = fashion(o["dir"])
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(len(x))
    b = o["batch"]

    def step(k):
        s = (k * b) % (len(x) - b + 1)
        j = order[s:s + b]
        opt.zero_grad()
        loss = F.cross_entropy(model(x[j]), y[j])
        loss.backward()
        opt.step()
        loss.item()
    k = 0
    for _ in range(o["warmup"]):
        t = time.perf_counter(); step(k); k += 1
        if time.perf_counter() - t > 1:
            break
    times, start = [], time.perf_counter()
    while len(times) < o["batches"] and (not times or time.perf_counter() - start < o["budgetS"]):
        t = time.perf_counter(); step(k); k += 1
        times.append(time.perf_counter() - t)
    return {"secondsPerBatch": median(times), "batches": len(times)}


def adam(o):
    p = torch.zeros(o["n"], requires_grad=True)
    p.grad = torch.randn(o["n"])
    opt = torch.optim.Adam([p], lr=1e-3, foreach=o["foreach"])
    for _ in range(2):
        opt.step()
    ts = []
    for _ in range(o["runs"]):
        t = time.perf_counter(); opt.step(); ts.append(time.perf_counter() - t)
    return {"seconds": median(ts)}


def hvp(o):
    """H·v of the cross-entropy on the first `batch` training images, by double backward (bench/hvp.bench.ts)."""
    x, y, _, _ = fashion(o["dir"])
    x, y = x[:o["batch"]], y[:o["batch"]]
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
    params = list(model.parameters())
    v = [torch.randn_like(p) for p in params]
    kept = [None]

    def gradient():
        return torch.autograd.grad(F.cross_entropy(model(x), y), params, create_graph=True)

    def product():
        if o["way"] == "graph kept":
            kept[0] = kept[0] or gradient()
            hv = torch.autograd.grad(kept[0], params, grad_outputs=v, retain_graph=True)
        else:
            hv = torch.autograd.grad(gradient(), params, grad_outputs=v)
        # minima's operator returns one float64 vector; so does this.
        torch.cat([h.reshape(-1) for h in hv]).double()
    for _ in range(o["warmup"]):
        product()
    times, start = [], time.perf_counter()
    while len(times) < o["products"] and (len(times) < 3 or time.perf_counter() - start < o["budgetS"]):
        t = time.perf_counter(); product(); times.append(time.perf_counter() - t)
    return {"secondsPerProduct": median(times), "products": len(times)}


if __name__ == "__main__":
    task, opts = sys.argv[1], json.loads(sys.argv[2])
    torch.set_num_threads(opts["threads"])
    print("BENCH_RESULT " + json.dumps({"sgemm": sgemm, "mlp": mlp, "cnn": cnn, "adam": adam, "hvp": hvp}[task](opts)), flush=True)
