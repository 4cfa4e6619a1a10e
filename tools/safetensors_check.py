"""An independent safetensors reader and writer, written from the format's specification
(https://github.com/huggingface/safetensors: 8-byte little-endian header length, JSON header of
{name: {dtype, shape, data_offsets}} and optional __metadata__, then the data buffer, fully covered),
with NumPy only. It checks minima's files and writes the file minima's tests load.

  /usr/bin/python3 tools/safetensors_check.py write test/fixtures/safetensors/python-written.safetensors
  /usr/bin/python3 tools/safetensors_check.py write-names test/fixtures/safetensors/python-names.safetensors
  /usr/bin/python3 tools/safetensors_check.py check FILE   # prints each tensor's dtype, shape and a digest

The test tensors follow formulas the test recomputes in TypeScript (see values()).
tools/gen_safetensors_fixtures.py uses write() and read() for F16, BF16, I64 and U8 files made with PyTorch.
"""
import hashlib
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "I32": np.dtype("<i4"),
          "F16": np.dtype("<f2"), "I64": np.dtype("<i8"), "U8": np.dtype("u1")}


class BF16:
    """A bfloat16 tensor, which NumPy has no dtype for: its 16-bit patterns as uint16."""

    def __init__(self, bits):
        self.bits = np.asarray(bits, dtype=np.uint16)
        self.shape = self.bits.shape


def read(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    out, spans = {}, []
    for name, e in header.items():
        if name == "__metadata__":
            continue
        dt = np.dtype("<u2") if e["dtype"] == "BF16" else DTYPES[e["dtype"]]
        begin, end = e["data_offsets"]
        count = int(np.prod(e["shape"], dtype=np.int64))
        assert end - begin == count * dt.itemsize, (name, "size")
        a = np.frombuffer(data[begin:end], dtype=dt).reshape(e["shape"])
        out[name] = BF16(a) if e["dtype"] == "BF16" else a
        spans.append((begin, end))
    spans.sort()
    covered = 0
    for begin, end in spans:
        assert begin == covered, "hole or overlap"
        covered = end
    assert covered == len(data), "trailing bytes"
    return out, header.get("__metadata__")


def write(path, tensors, metadata=None):
    header, offset, chunks = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        if isinstance(tensors[name], BF16):
            code, a = "BF16", np.ascontiguousarray(tensors[name].bits)
        else:
            a = np.ascontiguousarray(tensors[name])
            code = {v: k for k, v in DTYPES.items()}[a.dtype.newbyteorder("<")]
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")  # raw UTF-8, as serde_json writes
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def values():
    """x[i] = (i·0.37 mod 1) − 0.5 + i/1000 over 2·3·5 entries, in float64 and rounded to float32; labels i·7 − 20."""
    i = np.arange(30, dtype=np.float64)
    x = np.mod(i * 0.37, 1.0) - 0.5 + i / 1000
    return {"weight64": x.reshape(2, 3, 5), "weight32": x.astype(np.float32).reshape(6, 5),
            "labels": (np.arange(7, dtype=np.int32) * 7 - 20), "empty": np.zeros((0, 3), dtype=np.float32)}


def names():
    """Names whose UTF-8 is longer than their UTF-16 (by 1 and 4 bytes: 5 in all, so padding by the string's
    length would misalign the data), and "__proto__"; values i/4 − 1 in float32, 3 per tensor."""
    return {name: np.arange(k * 3, k * 3 + 3, dtype=np.float32) / 4 - 1 for k, name in enumerate(["__proto__", "poids_é", "名前"])}


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    if command == "write":
        write(path, values(), {"format": "pt", "writer": "tools/safetensors_check.py"})
    if command == "write-names":
        write(path, names(), {"format": "pt"})
    tensors, metadata = read(path)
    print("metadata", json.dumps(metadata))
    for name, a in sorted(tensors.items()):
        if isinstance(a, BF16):
            print(name, "bf16", list(a.shape), hashlib.sha256(a.bits.tobytes()).hexdigest()[:16], a.bits.ravel()[:3].tolist())
        else:
            print(name, a.dtype.str, list(a.shape), hashlib.sha256(a.tobytes()).hexdigest()[:16], a.ravel()[:3].tolist())
