"""Write test/fixtures/conv.json: torch.nn.functional.conv2d, unfold and fold results, the reference for
test/nn/conv.test.ts.

For each case (shapes and options in minima's camelCase) it stores, in float64 and float32, the input x,
weight w, bias b (when the case has one), the output, and the gradients of sum(out · r) for a fixed random
r with respect to x, w and b. The unfold/fold cases store the input, the output and the input gradient.
Every float32 number is the exact float32 value written as a double. Deterministic (seed 0). CI never runs
this script: the JSON is committed. Run it from the repository root:   /usr/bin/python3 tools/gen_conv_fixtures.py
"""

from fixture_common import DTYPES, enc, write_fixture  # first: it says how to get torch

import torch
import torch.nn.functional as F

# (desc, x shape, weight shape, bias, options)
CONV = [
    ("3x3, no padding", [2, 3, 7, 7], [4, 3, 3, 3], True, {}),
    ("3x3, padding 1", [1, 2, 5, 5], [3, 2, 3, 3], True, {"padding": 1}),
    ("stride 2, padding 1", [2, 2, 7, 7], [3, 2, 3, 3], True, {"stride": 2, "padding": 1}),
    ("dilation 2", [1, 2, 9, 9], [2, 2, 3, 3], False, {"dilation": 2}),
    ("groups 2", [2, 4, 6, 6], [6, 2, 3, 3], True, {"groups": 2}),
    ("depthwise", [1, 3, 5, 5], [3, 1, 3, 3], True, {"groups": 3, "padding": 1}),
    ("non-square kernel, stride, padding", [1, 2, 7, 9], [3, 2, 2, 3], True, {"stride": [2, 1], "padding": [1, 0]}),
    ("1x1", [3, 5, 3, 3], [7, 5, 1, 1], True, {}),
    ("1-pixel input, padding 1", [1, 1, 1, 1], [2, 1, 3, 3], True, {"padding": 1}),
    ("same padding, dilation 2", [1, 2, 6, 5], [3, 2, 3, 3], True, {"padding": "same", "dilation": 2}),
    ("valid, 33 channels", [1, 33, 4, 4], [2, 33, 2, 2], False, {"padding": "valid"}),
]
# (desc, x shape, options); fold takes unfold's output back to x's size
WINDOWS = [
    ("unfold 3x3, padding 1", [2, 2, 5, 5], {"kernelSize": 3, "padding": 1}),
    ("unfold 2x3, stride 2, dilation [1, 2]", [1, 3, 7, 8], {"kernelSize": [2, 3], "stride": 2, "dilation": [1, 2]}),
]


def snake_opts(o):
    return {{"kernelSize": "kernel_size"}.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in o.items()}


def conv_case(desc, xs, ws, has_bias, options):
    torch.manual_seed(0)
    x0, w0, b0 = torch.randn(xs), torch.randn(ws), torch.randn(ws[0])
    case = {"desc": desc, "options": options}
    for dname, dtype in DTYPES.items():
        x, w = x0.to(dtype).requires_grad_(), w0.to(dtype).requires_grad_()
        b = b0.to(dtype).requires_grad_() if has_bias else None
        out = F.conv2d(x, w, b, **snake_opts(options))
        r = torch.randn(out.shape, generator=torch.Generator().manual_seed(1)).to(dtype)
        (out * r).sum().backward()
        case[dname] = {"x": enc(x), "w": enc(w), "b": enc(b) if has_bias else None, "r": enc(r), "out": enc(out),
                       "gx": enc(x.grad), "gw": enc(w.grad), "gb": enc(b.grad) if has_bias else None}
    return case


def window_case(desc, xs, options):
    torch.manual_seed(0)
    x0 = torch.randn(xs)
    case = {"desc": desc, "options": options}
    for dname, dtype in DTYPES.items():
        x = x0.to(dtype).requires_grad_()
        cols = F.unfold(x, **snake_opts(options))
        back = F.fold(cols, output_size=xs[2:], **snake_opts(options))
        r = torch.randn(back.shape, generator=torch.Generator().manual_seed(1)).to(dtype)
        (back * r).sum().backward()
        case[dname] = {"x": enc(x), "cols": enc(cols), "folded": enc(back), "r": enc(r), "gx": enc(x.grad)}
    return case


def main():
    write_fixture("conv.json", {"conv": [conv_case(*c) for c in CONV], "windows": [window_case(*c) for c in WINDOWS]})


if __name__ == "__main__":
    main()
