"""Exports a checkpoint's EMA weights to ONNX with the app's manifest (model.json).

python3 training/export.py --ckpt runs/fashion/checkpoint.pt --out public/models/fashion-28
python3 training/export.py --smoke --out /tmp/tiny   (a tiny untrained model, for tests)"""
import argparse
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from train import build_model  # noqa: E402

OPSET = 17
LICENSE = ("Weights: MIT, trained on Fashion-MNIST (MIT, Zalando Research). "
           "Code: MIT.")


def load_ema(ckpt_path):
    ck = torch.load(ckpt_path, map_location="cpu")
    model = build_model(ck["config"])
    model.load_state_dict(ck["ema"])
    return model.eval(), ck


def export_onnx(model, path):
    x = torch.randn(2, 1, 28, 28)
    t = torch.tensor([10, 500], dtype=torch.long)
    y = torch.tensor([3, 10], dtype=torch.long)
    torch.onnx.export(
        model, (x, t, y), path, opset_version=OPSET,
        input_names=["x", "t", "y"], output_names=["eps"],
        dynamic_axes={"x": {0: "batch"}, "t": {0: "batch"}, "y": {0: "batch"}, "eps": {0: "batch"}},
        do_constant_folding=True,
    )


def manifest(model_id, name, args, onnx_path, params, train_steps_done, default_guidance=3.0):
    raw = open(onnx_path, "rb").read()
    return {
        "id": model_id,
        "name": name,
        "license": LICENSE,
        "description": f"Class-conditional DDPM U-Net ({params / 1e6:.2f} M parameters, "
                       f"{train_steps_done} training steps) predicting the noise ε.",
        "image": {"channels": 1, "height": 28, "width": 28, "range": [-1, 1]},
        "schedule": {"kind": args.get("schedule", "linear"), "betaStart": args.get("beta_start", 1e-4),
                     "betaEnd": args.get("beta_end", 0.02), "trainSteps": args.get("T", 1000)},
        "prediction": "epsilon",
        "conditioning": {"kind": "class", "labels": list(data.CLASSES), "nullLabel": len(data.CLASSES),
                         "defaultGuidance": default_guidance},
        "io": {"sample": "x", "timestep": "t", "label": "y", "output": "eps", "timestepType": "int64"},
        "file": {"path": os.path.basename(onnx_path), "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()},
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", help="checkpoint.pt from train.py")
    p.add_argument("--out", required=True, help="folder for model.onnx and model.json")
    p.add_argument("--id", default="fashion-28")
    p.add_argument("--name", default="Fashion (28×28, 10 classes)")
    p.add_argument("--guidance", type=float, default=3.0, help="defaultGuidance in the manifest")
    p.add_argument("--smoke", action="store_true", help="export a tiny untrained model (tests)")
    a = p.parse_args(argv)
    torch.manual_seed(0)
    if a.smoke:
        cfg = dict(in_ch=1, base=8, mults=[1, 2], blocks=1, num_classes=10)
        model, args, steps = build_model(cfg).eval(), {}, 0
    elif a.ckpt:
        model, ck = load_ema(a.ckpt)
        args, steps = ck["args"], ck["step"]
    else:
        p.error("give --ckpt CHECKPOINT or --smoke")
    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, "model.onnx")
    export_onnx(model, onnx_path)
    params = sum(q.numel() for q in model.parameters())
    m = manifest(a.id if not a.smoke else "tiny-test", a.name if not a.smoke else "Tiny untrained test model",
                 args, onnx_path, params, steps, a.guidance)
    with open(os.path.join(a.out, "model.json"), "w") as f:
        json.dump(m, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {onnx_path} ({m['file']['bytes']} bytes, {params} parameters) and model.json")


if __name__ == "__main__":
    main()
