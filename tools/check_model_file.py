"""Loads a minima model file into PyTorch, reading nothing but the file: the architecture from its
"minima.spec" metadata, built from torch.nn layers, then load_state_dict(strict=True) of its tensors
(read by safetensors_check.py, written from the format's spec), so the file's names and shapes must be
exactly PyTorch's. Run it against a real file:

  /usr/bin/python3 tools/check_model_file.py runs/x/model.safetensors
  /usr/bin/python3 tools/check_model_file.py runs/x/model.safetensors --idx IMAGES LABELS [--mnist-rounding]
      loss and accuracy in PyTorch on an IDX test set, preprocessed as the file records (compare with
      `minima evaluate`); --mnist-rounding reads pixels as minima's embedded mnist() does (k/255 to 3 decimals)
  /usr/bin/python3 tools/check_model_file.py fixtures test/fixtures/model-file
      writes torch-outputs.json there: each model file's eval outputs on inputs() (test/io/saved-model-torch.test.ts)
"""
import gzip
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import enc, torch  # noqa: E402  (exits with the fix when torch is missing)
from safetensors_check import read  # noqa: E402

nn = torch.nn
ACTIVATIONS = {"relu": nn.ReLU, "leaky-relu": lambda: nn.LeakyReLU(0.01), "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}


class Residual(nn.Module):
    """minima's Residual with an identity shortcut: x + block(x) (stochastic depth is off in eval)."""

    def __init__(self, block):
        super().__init__()
        self.block = block

    def forward(self, x):
        return x + self.block(x)


def build(spec):
    """The torch.nn.Sequential of minima's builders (src/nn/mlp.ts, residual-mlp.ts, cnn.ts), layer for layer."""
    o = spec["options"]
    act = ACTIVATIONS[o.get("activation", "relu")]
    layers = []
    if spec["builder"] == "mlp":
        widths = [o["inputs"], *o["hidden"], o["outputs"]]
        layers.append(nn.Flatten())
        for i in range(len(widths) - 1):
            layers.append(nn.Linear(widths[i], widths[i + 1]))
            if i + 2 < len(widths):
                layers += ([nn.BatchNorm1d(widths[i + 1])] if o.get("batchNorm") else []) + [act()]
                layers += [nn.Dropout(o["dropout"])] if o.get("dropout", 0) > 0 else []
    elif spec["builder"] == "residualMlp":
        w = o["width"]
        layers += [nn.Flatten(), nn.Linear(o["inputs"], w), act()]
        for _ in range(o["blocks"]):
            branch = [nn.Linear(w, w), act()] + ([nn.Dropout(o["dropout"])] if o.get("dropout", 0) > 0 else [])
            layers.append(Residual(nn.Sequential(*branch)))
        layers.append(nn.Linear(w, o["outputs"]))
    elif spec["builder"] == "cnn":
        c, h, w = o["inputShape"]
        for out in o.get("channels", [32, 64]):
            layers += [nn.Conv2d(c, out, 3)] + ([nn.BatchNorm2d(out)] if o.get("batchNorm") else []) + [nn.ReLU(), nn.MaxPool2d(2)]
            c, h, w = out, (h - 2) // 2, (w - 2) // 2
        layers.append(nn.Flatten())
        widths = [c * h * w, *o.get("hidden", [128]), o["outputs"]]
        for i in range(len(widths) - 1):
            layers.append(nn.Linear(widths[i], widths[i + 1]))
            if i + 2 < len(widths):
                layers += ([nn.BatchNorm1d(widths[i + 1])] if o.get("batchNorm") else []) + [nn.ReLU()]
                layers += [nn.Dropout(o["dropout"])] if o.get("dropout", 0) > 0 else []
    else:
        sys.exit(f"unknown builder {spec['builder']!r}")
    return nn.Sequential(*layers)


def load(path):
    """(model in eval mode, metadata as parsed JSON) from the file alone; strict: every name and shape must match."""
    tensors, metadata = read(path)
    assert metadata["minima.format"] == "minima-model" and metadata["minima.format_version"] == "1", metadata
    meta = {k: json.loads(v) if k in ("minima.spec", "minima.preprocessing", "minima.classes") else v for k, v in metadata.items()}
    model = build(meta["minima.spec"])
    # num_batches_tracked is int64 in torch, int32 in minima's file: copy_ converts it (values are small counts).
    model.load_state_dict({k: torch.from_numpy(np.array(a)) for k, a in tensors.items()}, strict=True)
    return model.eval(), meta


def preprocess(pre, x):
    """(x − mean) / std in float64, stored as float32, as minima's Standardize.transform computes it."""
    s = pre["standardize"]
    if s is None:
        return x.astype(np.float32)
    n = x.shape[0]
    flat = x.reshape(n, -1).astype(np.float64)
    mean, std = np.array(s["mean"]), np.array(s["std"])
    return ((flat - mean) / std).astype(np.float32).reshape(x.shape)


def inputs(shape, n=5):
    """x[i] = (i·0.37 mod 1) over n samples of the given shape, rounded to float32 (recomputed in the test)."""
    i = np.arange(n * int(np.prod(shape)), dtype=np.float64)
    return np.mod(i * 0.37, 1.0).astype(np.float32).astype(np.float64).reshape(n, *shape)


def read_idx(path):
    blob = open(path, "rb").read()
    if blob[:2] == b"\x1f\x8b":
        blob = gzip.decompress(blob)
    ndim = blob[3]
    dims = [int.from_bytes(blob[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(blob[4 + 4 * ndim:], dtype=np.uint8).reshape(dims)


def main():
    if sys.argv[1] == "fixtures":
        folder = sys.argv[2]
        out = {"torch": torch.__version__}
        for name in sorted(f for f in os.listdir(folder) if f.endswith(".safetensors")):
            model, meta = load(os.path.join(folder, name))
            x = preprocess(meta["minima.preprocessing"], inputs(meta["minima.preprocessing"]["inputShape"]))
            with torch.no_grad():
                y = model(torch.from_numpy(x))
            out[name] = {"keys": sorted(model.state_dict().keys()), "outputs": enc(y)}
            print(name, "loads strictly;", meta["minima.spec"]["builder"], list(y.shape))
        with open(os.path.join(folder, "torch-outputs.json"), "w") as f:
            json.dump(out, f)
        return
    model, meta = load(sys.argv[1])
    print("loaded strictly into torch", torch.__version__, ":", json.dumps(meta["minima.spec"]))
    print(model)
    if "--idx" in sys.argv:
        at = sys.argv.index("--idx")
        images, labels = read_idx(sys.argv[at + 1]).astype(np.float64), read_idx(sys.argv[at + 2]).astype(np.int64)
        x = np.round(images / 255 * 1000) / 1000 if "--mnist-rounding" in sys.argv else images / 255
        x = x.astype(np.float32).astype(np.float64).reshape(len(labels), *meta["minima.preprocessing"]["inputShape"])
        with torch.no_grad():
            scores = model(torch.from_numpy(preprocess(meta["minima.preprocessing"], x)))
            loss = torch.nn.functional.cross_entropy(scores, torch.from_numpy(labels)).item()
        correct = int((scores.argmax(1).numpy() == labels).sum())
        print(f"torch: loss {loss:.4f}, accuracy {100 * correct / len(labels):.2f}% ({correct}/{len(labels)})")


if __name__ == "__main__":
    main()
