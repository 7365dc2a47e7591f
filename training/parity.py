"""Writes reference inputs and PyTorch outputs for an exported model, so the
ONNX file can be checked against PyTorch by any runtime (the tests use
onnxruntime-node). Output: OUT/parity.json with base64 little-endian arrays."""
import argparse
import base64
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import example_inputs, image_shape, load_ema  # noqa: E402


def b64(a, dtype):
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    torch.manual_seed(1)
    model, ck = load_ema(a.ckpt)
    x, t, y = example_inputs(ck["config"], image_shape(ck["args"]), 6)
    with torch.no_grad():
        eps = model(x, t, y)
    out = {"shape": list(x.shape), "x": b64(x.numpy(), "<f4"), "t": t.tolist(), "y": y.flatten().tolist(),
           "yShape": list(y.shape),
           "eps": b64(eps.numpy(), "<f4")}
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "parity.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
