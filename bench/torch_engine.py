"""PyTorch CPU as an engine for bench/engines.ts: JSON lines on stdin
(load / calls / warm / release, as bench/engine-ops.ts), one JSON answer per
line on stdout. Loads the EMA weights of a checkpoint with training/export.py's
load_ema, the network export.py turned into the model's ONNX file.
Usage: /usr/bin/python3 bench/torch_engine.py THREADS"""
import json
import math
import os
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training"))
from export import load_ema  # noqa: E402

state = {}


def feeds(b):
    m = state["model"]
    if b not in state["feeds"]:
        n = m["channels"] * m["size"] * m["size"]
        x = torch.tensor([math.sin(i) for i in range(b * n)], dtype=torch.float32).reshape(b, m["channels"], m["size"], m["size"])
        t = torch.tensor([(i * 97 + 500) % 1000 for i in range(b)], dtype=torch.long)
        g = max(1, m["groups"])
        y = torch.tensor([i % 3 for i in range(b * g)], dtype=torch.long)
        y = y if m["groups"] == 0 else y.reshape(b, g)
        state["feeds"][b] = (x, t, y)
    return state["feeds"][b]


def handle(msg):
    op = msg["op"]
    if op == "load":
        state["net"], _ = load_ema(msg["ckpt"])
        state["model"] = msg["model"]
        state["feeds"] = {}
        return None
    if op == "release":
        state.pop("net", None)
        return None
    net, inputs = state["net"], feeds(msg["batch"])
    with torch.inference_mode():
        if op == "warm":
            until, count = time.perf_counter() + msg["ms"] / 1000, 0
            while time.perf_counter() < until:
                net(*inputs)
                count += 1
            return count
        times = []
        for _ in range(msg["n"]):
            t0 = time.perf_counter()
            net(*inputs)
            times.append((time.perf_counter() - t0) * 1000)
        return times


for line in sys.stdin:
    try:
        out = {"result": handle(json.loads(line))}
    except Exception as e:  # noqa: BLE001 - reported to the harness
        out = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out), flush=True)
