"""Regenerate test/fixtures/rnn.json: PyTorch's nn.RNN and nn.LSTM, which test/nn/recurrent.test.ts compares
mn.nn.RNN and mn.nn.LSTM against, and the spectral radii that test/landscape/spectral-radius.test.ts checks.

  cases            each a layer (RNN or LSTM) with its options as minima spells them (camelCase), its weights
                   (torch's state dict, drawn in float32), the input x, the initial state h0 (and c0) or none,
                   and weights wOut, wH (and wC) of the outputs' shapes; per dtype: output, h_n (and c_n), and the
                   gradients of sum(output·wOut) + sum(h_n·wH) [+ sum(c_n·wC)] with respect to x, h0 (c0) and
                   every parameter (by torch's name)
  state_dicts      torch's state-dict keys, in torch's order, for a few layer shapes
  spectral_radius  square matrices (symmetric, rotation-like, non-normal, a Jordan block, nilpotent) and
                   max |eigenvalue| by torch.linalg.eigvals in float64

Inputs are drawn in float32 and upcast, so both dtypes compute on the same values.

Usage, from the repository root:   /usr/bin/python3 tools/gen_rnn_fixtures.py
(Debian's python3-torch; the python3 on PATH may be another interpreter without torch).
The output is deterministic (torch.manual_seed). CI never runs this script: the fixture is committed.
"""

from fixture_common import DTYPES, enc, snake, write_fixture  # first: it says how to get torch

import torch

# (name, layer, inputSize, hiddenSize, options, input shape, with initial state)
CASES = [
    ("RNN tanh, one layer, [T,B,F]", "RNN", 3, 4, {}, [5, 2, 3], False),
    ("RNN tanh, one layer, with h0", "RNN", 3, 4, {}, [6, 3, 3], True),
    ("RNN relu, no bias", "RNN", 3, 5, {"nonlinearity": "relu", "bias": False}, [4, 2, 3], True),
    ("RNN relu, two layers, bidirectional, batchFirst", "RNN", 3, 4,
     {"nonlinearity": "relu", "numLayers": 2, "bidirectional": True, "batchFirst": True}, [2, 5, 3], True),
    ("RNN tanh, three layers, unbatched [T,F]", "RNN", 2, 3, {"numLayers": 3}, [7, 2], True),
    ("LSTM, one layer, [T,B,F]", "LSTM", 3, 4, {}, [5, 2, 3], False),
    ("LSTM, one layer, with h0 and c0", "LSTM", 3, 4, {}, [6, 3, 3], True),
    ("LSTM, two layers, bidirectional, batchFirst", "LSTM", 3, 4,
     {"numLayers": 2, "bidirectional": True, "batchFirst": True}, [2, 5, 3], True),
    ("LSTM, no bias, bidirectional, unbatched [T,F]", "LSTM", 2, 3, {"bias": False, "bidirectional": True}, [4, 2], True),
]


def case(name, layer, input_size, hidden_size, options, shape, with_state):
    torch_options = {snake(k): v for k, v in options.items()}
    module = getattr(torch.nn, layer)(input_size, hidden_size, **torch_options)
    weights = {k: enc(v) for k, v in module.state_dict().items()}
    x = torch.randn(shape)
    directions = 2 if options.get("bidirectional") else 1
    state_shape = [options.get("numLayers", 1) * directions] + ([] if len(shape) == 2 else [shape[0 if options.get("batchFirst") else 1]]) + [hidden_size]
    lstm = layer == "LSTM"
    h0 = torch.randn(state_shape) if with_state else None
    c0 = torch.randn(state_shape) if with_state and lstm else None
    out_shape = list(shape[:-1]) + [directions * hidden_size]
    w_out, w_h = torch.randn(out_shape), torch.randn(state_shape)
    w_c = torch.randn(state_shape) if lstm else None
    entry = {"name": name, "layer": layer, "inputSize": input_size, "hiddenSize": hidden_size, "options": options,
             "weights": weights, "x": enc(x), "wOut": enc(w_out), "wH": enc(w_h)}
    if h0 is not None:
        entry["h0"] = enc(h0)
    if c0 is not None:
        entry["c0"] = enc(c0)
    if w_c is not None:
        entry["wC"] = enc(w_c)
    for dname, dtype in DTYPES.items():
        m = getattr(torch.nn, layer)(input_size, hidden_size, **torch_options).to(dtype)
        m.load_state_dict({k: v.to(dtype) for k, v in module.state_dict().items()})
        z = x.to(dtype).requires_grad_(True)
        state = []
        if h0 is not None:
            state.append(h0.to(dtype).requires_grad_(True))
        if c0 is not None:
            state.append(c0.to(dtype).requires_grad_(True))
        if not state:
            out, hn = m(z)
        else:
            out, hn = m(z, tuple(state) if lstm else state[0])
        h_n, c_n = hn if lstm else (hn, None)
        objective = (out * w_out.to(dtype)).sum() + (h_n * w_h.to(dtype)).sum()
        if lstm:
            objective = objective + (c_n * w_c.to(dtype)).sum()
        names = [n for n, _ in m.named_parameters()]
        grads = torch.autograd.grad(objective, [z, *state, *[p for _, p in m.named_parameters()]])
        result = {"output": enc(out), "hN": enc(h_n), "gradX": enc(grads[0])}
        if c_n is not None:
            result["cN"] = enc(c_n)
        if h0 is not None:
            result["gradH0"] = enc(grads[1])
        if c0 is not None:
            result["gradC0"] = enc(grads[2])
        result["gradParams"] = {n: enc(g) for n, g in zip(names, grads[1 + len(state):])}
        entry[dname] = result
    return entry


def state_dicts():
    layers = {
        "RNN(3, 4)": torch.nn.RNN(3, 4),
        "RNN(3, 4, numLayers 2, bidirectional)": torch.nn.RNN(3, 4, num_layers=2, bidirectional=True),
        "RNN(3, 4, bias false)": torch.nn.RNN(3, 4, bias=False),
        "LSTM(3, 4)": torch.nn.LSTM(3, 4),
        "LSTM(3, 4, numLayers 2, bidirectional)": torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True),
    }
    return {name: list(m.state_dict().keys()) for name, m in layers.items()}


def spectral_radius():
    n = 6
    a = torch.randn(n, n, dtype=torch.float64)
    q, _ = torch.linalg.qr(torch.randn(n, n, dtype=torch.float64))
    matrices = {
        "gaussian 6x6": torch.randn(n, n, dtype=torch.float64),
        "gaussian 32x32 / sqrt(32)": torch.randn(32, 32, dtype=torch.float64) / 32 ** 0.5,
        "symmetric 6x6": a + a.T,
        "orthogonal 6x6 times 0.9": 0.9 * q,
        "non-normal: upper triangular, diagonal 0.5, off-diagonal 3": torch.triu(torch.full((n, n), 3.0, dtype=torch.float64), 1) + 0.5 * torch.eye(n, dtype=torch.float64),
        "rotation by 1 radian times 1.2": 1.2 * torch.tensor([[0.5403023058681398, -0.8414709848078965], [0.8414709848078965, 0.5403023058681398]], dtype=torch.float64),
        "nilpotent 4x4 shift": torch.diag(torch.ones(3, dtype=torch.float64), 1),
    }
    return [{"name": k, "matrix": enc(m), "radius": torch.linalg.eigvals(m).abs().max().item()} for k, m in matrices.items()]


def main():
    torch.manual_seed(0)
    write_fixture("rnn.json", {
        "cases": [case(*c) for c in CASES],
        "state_dicts": state_dicts(),
        "spectral_radius": spectral_radius(),
    })


if __name__ == "__main__":
    main()
