"""Minimal safetensors writer and reader for the fixture generator (the `safetensors`
package is not installed on this machine, and the format is small enough to write by hand).

What it is: the format as specified at https://github.com/huggingface/safetensors (README,
"Format"): 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
then the byte buffer; offsets are relative to the buffer, contiguous, in tensor order.
The header is padded with spaces so that 8 + N is a multiple of 8 (as the Rust writer does).
What it is not: a general library (writes F32/I64/I32 only, reads also BF16/F16; C-contiguous,
little-endian).
"""
import json
import struct
import sys

import torch

_DTYPES = {torch.float32: ("F32", 4), torch.int64: ("I64", 8), torch.int32: ("I32", 4)}
_READ_ONLY = {"BF16": torch.bfloat16, "F16": torch.float16}  # load() also reads these


def save(path, tensors, metadata):
    """tensors: list of (name, torch.Tensor) in file order; metadata: dict str -> str."""
    assert sys.byteorder == "little", "safetensors is little-endian; this writer copies native bytes"
    header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}}
    blobs, offset = [], 0
    for name, t in tensors:
        if t.dtype not in _DTYPES:
            raise ValueError(f"{name}: dtype {t.dtype} not supported by this writer")
        tag, size = _DTYPES[t.dtype]
        data = t.detach().contiguous().cpu().numpy().tobytes()  # native order; checked little-endian below
        assert len(data) == t.numel() * size
        header[name] = {"dtype": tag, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def load(path):
    """Returns (dict name -> torch.Tensor, metadata dict). Used only to self-check `save`."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    buf = raw[8 + n:]
    inverse = {tag: dt for dt, (tag, _) in _DTYPES.items()}
    inverse.update(_READ_ONLY)
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        t = torch.frombuffer(bytearray(buf[b:e]), dtype=inverse[info["dtype"]])
        out[name] = t.reshape(info["shape"])
    return out, meta
