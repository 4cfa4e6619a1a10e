"""safetensors files in the dtypes minima reads by conversion (F16, BF16 -> float32; I64, U8 -> int32),
made with PyTorch, and what PyTorch converts them to: test/io/safetensors-dtypes.test.ts compares
minima's reading with these bit for bit.

  /usr/bin/python3 tools/gen_safetensors_fixtures.py

writes test/fixtures/safetensors/
  torch-dtypes.safetensors   F16, BF16, I64, U8 tensors with edge values (±0, subnormals, the largest
                             finite, ±Inf, quiet and signalling NaNs, the int32 bounds) and random ones,
                             and a __metadata__ with non-ASCII text
  torch-dtypes.json          per tensor: its dtype and shape, and torch's `.float()` as float32 bit
                             patterns (uint32) or `.int()` as int32 values
  i64-out-of-range.safetensors  one I64 tensor whose value at index 3 (2**31) int32 cannot hold
The files are written by tools/safetensors_check.py (the spec-written writer) and read back by its reader.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_check import BF16, read, write  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "safetensors")
torch.manual_seed(0)


def from_bits(bits, dtype):
    """A 16-bit float tensor with these bit patterns (reinterpreted, not converted)."""
    return torch.tensor(np.array(bits, dtype=np.uint16).view(np.int16)).view(dtype)


def bits16(t):
    return t.view(torch.int16).numpy().view(np.uint16)


HALF_EDGES = [
    0x0000, 0x8000,          # +0, -0
    0x0001, 0x8001, 0x0155,  # the smallest subnormal 2^-24, its negative, another subnormal
    0x0200, 0x03FF,          # subnormals: 2^-15, the largest
    0x0400, 0x0401,          # the smallest normal 2^-14, the next
    0x3C00, 0xBC00, 0x3555,  # 1, -1, the half nearest 1/3
    0x7BFF, 0xFBFF,          # ±65504, the largest finite
    0x7C00, 0xFC00,          # ±Inf
    0x7E00, 0xFE00, 0x7C01, 0x7FFF,  # quiet NaNs (+, -), a signalling NaN, all mantissa bits set
]
BF16_EDGES = [
    0x0000, 0x8000,          # ±0
    0x0001, 0x807F,          # subnormals: the smallest 2^-133, the largest negative
    0x0080, 0x3F80, 0xBF80,  # the smallest normal 2^-126, 1, -1
    0x7F7F, 0xFF7F,          # ±(the largest finite, about 3.39e38)
    0x7F80, 0xFF80,          # ±Inf
    0x7FC0, 0xFFC0, 0x7F81, 0xFFFF,  # quiet NaNs, a signalling NaN, all bits set
]
I64_VALUES = [0, 1, -1, 2**31 - 1, -2**31, 60000, -123456789, 987654321]
U8_VALUES = [0, 1, 127, 128, 200, 255]

half = torch.cat([from_bits(HALF_EDGES, torch.float16), (torch.randn(20) * 3).half()]).reshape(5, 8)
half_small = (torch.randn(2, 3, 2) * 1e-5).half()  # mostly subnormal
bf16 = torch.cat([from_bits(BF16_EDGES, torch.bfloat16), (torch.randn(9) * 100).bfloat16()]).reshape(4, 6)
i64 = torch.tensor(I64_VALUES, dtype=torch.int64).reshape(2, 4)
u8 = torch.cat([torch.tensor(U8_VALUES, dtype=torch.uint8), torch.randint(0, 256, (6,), dtype=torch.uint8)]).reshape(3, 2, 2)
empty = torch.zeros(0, 3, dtype=torch.float16)

tensors = {"half": half, "half_small": half_small, "bf16": bf16, "index": i64, "pixels": u8, "half_empty": empty}
stored = {name: (BF16(bits16(t)) if t.dtype == torch.bfloat16 else
                 bits16(t).view(np.float16) if t.dtype == torch.float16 else t.numpy())
          for name, t in tensors.items()}
metadata = {"format": "pt", "writer": "tools/gen_safetensors_fixtures.py", "note": "naïve café — ü ✓"}
path = os.path.join(OUT, "torch-dtypes.safetensors")
write(path, stored, metadata)

back, back_metadata = read(path)
assert back_metadata == metadata
expected = {}
for name, t in tensors.items():
    b = back[name]
    assert (b.bits if isinstance(b, BF16) else b.view(np.uint8)).tobytes() == (bits16(t) if t.dtype in (torch.float16, torch.bfloat16) else t.numpy()).tobytes(), name
    dtype = {torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64", torch.uint8: "U8"}[t.dtype]
    if t.is_floating_point():
        values = {"float32_bits": [v & 0xFFFFFFFF for v in t.float().view(torch.int32).flatten().tolist()]}
    else:
        values = {"int32": t.int().flatten().tolist()}
    expected[name] = {"dtype": dtype, "shape": list(t.shape), **values}

with open(os.path.join(OUT, "torch-dtypes.json"), "w", encoding="utf-8") as f:
    line = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    f.write(f'{{\n "torch": {line(torch.__version__)},\n "metadata": {line(metadata)},\n "tensors": {{\n')
    f.write(",\n".join(f"  {line(name)}: {line(e)}" for name, e in expected.items()))
    f.write("\n }\n}\n")

write(os.path.join(OUT, "i64-out-of-range.safetensors"),
      {"index": torch.tensor([0, 2**31 - 1, -2**31, 2**31, -2**31 - 1], dtype=torch.int64).numpy()})
print("wrote", ", ".join(sorted(os.listdir(OUT))))
