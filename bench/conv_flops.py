"""Prints the FLOPs of every Conv in an ONNX model for one image (batch 1), as
JSON: {"convs": [{"name", "flops"}], "convFlops", "convCount"}. A multiply and
an add count as 2 FLOPs: 2 · Cout · Hout · Wout · (Cin / group) · kH · kW.
Shapes come from ONNX shape inference with the batch fixed to 1.
Used by bench/run.ts; run with Debian's python3-onnx: /usr/bin/python3 bench/conv_flops.py MODEL.onnx"""
import json
import sys

import onnx
from onnx import shape_inference


def dims(value_info):
    return [d.dim_value for d in value_info.type.tensor_type.shape.dim]


def main(path):
    model = onnx.load(path)
    for inp in model.graph.input:
        d = inp.type.tensor_type.shape.dim
        if d and d[0].dim_param:
            d[0].ClearField("dim_param")
            d[0].dim_value = 1
    model = shape_inference.infer_shapes(model, data_prop=True)
    shapes = {v.name: dims(v) for v in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output)}
    weights = {w.name: list(w.dims) for w in model.graph.initializer}
    convs = []
    for node in model.graph.node:
        if node.op_type != "Conv":
            continue
        w = weights.get(node.input[1]) or shapes.get(node.input[1])
        out = shapes.get(node.output[0])
        if not w or not out or len(out) != 4:
            raise SystemExit(f"conv_flops: no shape for Conv {node.name}")
        cout, cin_per_group, kh, kw = w
        flops = 2 * cout * out[2] * out[3] * cin_per_group * kh * kw
        convs.append({"name": node.name, "flops": flops, "out": out[1:], "kernel": [kh, kw]})
    print(json.dumps({"convs": convs, "convFlops": sum(c["flops"] for c in convs), "convCount": len(convs)}))


if __name__ == "__main__":
    main(sys.argv[1])
