"""Exports a checkpoint's EMA weights to ONNX with the app's manifest (model.json).

python3 training/export.py --ckpt runs/fashion/checkpoint.pt --out public/models/fashion-28
python3 training/export.py --ckpt runs/emoji/checkpoint.pt --out OUT --id emoji-32 --name "Emoji (32×32)"
python3 training/export.py --smoke --out /tmp/tiny   (a tiny untrained model, for tests)
--norm and --weights rewrite the graph for CPU speed (training/onnx_graphs.py, bench/ARCH-STUDY.md);
the defaults write it as torch exports it."""
import argparse
import hashlib
import json
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import emoji_data  # noqa: E402
import onnx_graphs  # noqa: E402
from train import build_model  # noqa: E402

OPSET = 17
LICENSE = ("Weights: MIT, trained on Fashion-MNIST (MIT, Zalando Research). "
           "Code: MIT.")
# Apache-2.0 and CC-BY-4.0 both ask for attribution, and CC-BY for the licence of the derived
# weights to be stated, so the emoji manifest names every source.
EMOJI_LICENSE = "Weights: CC-BY-4.0, trained on emoji pictures. {sources} Code: MIT."


def image_shape(args):
    """(channels, height, width) of the dataset a checkpoint was trained on."""
    if args.get("dataset", "fashion") == "emoji":
        return 3, emoji_data.SIZE, emoji_data.SIZE
    return 1, 28, 28


def example_inputs(cfg, shape, n):
    """n reference inputs (x, t, y) covering real and null labels, for tracing and parity checks."""
    x = torch.randn(n, *shape)
    t = torch.tensor([0, 1, 250, 500, 999, 37, 10, 700][:n], dtype=torch.long)
    groups = cfg.get("label_groups")
    if groups:
        # both groups set, each group on its own (the others null), and neither
        rows = [[0] * len(groups), [g - 1 for g in groups]]
        rows += [[(k + 1) % g if j == k else n_ for j, n_ in enumerate(groups)] for k, g in enumerate(groups)]
        rows.append(list(groups))
        y = torch.tensor([rows[i % len(rows)] for i in range(n)], dtype=torch.long)
    else:
        y = torch.tensor([0, 9, 10, 3, 7, 10, 1, 5][:n], dtype=torch.long)
    return x, t, y


def load_ema(ckpt_path):
    ck = torch.load(ckpt_path, map_location="cpu")
    model = build_model(ck["config"])
    model.load_state_dict(ck["ema"])
    return model.eval(), ck


def export_onnx(model, path, cfg, shape):
    torch.onnx.export(
        model, example_inputs(cfg, shape, 2), path, opset_version=OPSET,
        input_names=["x", "t", "y"], output_names=["eps"],
        dynamic_axes={"x": {0: "batch"}, "t": {0: "batch"}, "y": {0: "batch"}, "eps": {0: "batch"}},
        do_constant_folding=True,
    )


def emoji_conditioning(cfg, index, default_guidance):
    groups = emoji_data.groups(index)
    if [len(ids) for _, _, ids, _ in groups] != cfg["label_groups"]:
        raise ValueError(f"the dataset's groups {[len(g[2]) for g in groups]} do not match the "
                         f"checkpoint's {cfg['label_groups']}: pass --data with the set it was trained on")
    return {"kind": "groups",
            "groups": [{"name": name, "title": title, "labels": ids, "titles": titles, "nullLabel": len(ids),
                        "default": None} for name, title, ids, titles in groups],
            "defaultGuidance": default_guidance}


def training_steps(steps, args):
    """How the manifest states training: a run warm-started (train.py --init) from another checkpoint counts
    that checkpoint's steps too, and says so."""
    if not args.get("init"):
        return f"{steps} training steps"
    if not os.path.exists(args["init"]):
        raise SystemExit(f"export: this checkpoint was warm-started from {args['init']}, which is not here; "
                         "its step count goes into model.json, so put it back at that path")
    before = torch.load(args["init"], map_location="cpu")["step"]
    return f"{before + steps} training steps: {steps} after a warm start from a {before}-step model"


def manifest(model_id, name, args, onnx_path, params, train_steps_done, default_guidance=3.0, cfg=None,
             index=None):
    """The app's model.json. An emoji model (cfg with label_groups) needs the dataset's index
    for its label names and the sources' attribution."""
    raw = open(onnx_path, "rb").read()
    channels, height, width = image_shape(args)
    if cfg and cfg.get("label_groups"):
        conditioning = emoji_conditioning(cfg, index, default_guidance)
        license_ = EMOJI_LICENSE.format(sources=index["license"])
        kind = "Category- and style-conditional DDPM U-Net"
    else:
        conditioning = {"kind": "class", "labels": list(data.CLASSES), "nullLabel": len(data.CLASSES),
                        "defaultGuidance": default_guidance}
        license_ = LICENSE
        kind = "Class-conditional DDPM U-Net"
    return {
        "id": model_id,
        "name": name,
        "license": license_,
        "description": f"{kind} ({params / 1e6:.2f} M parameters, "
                       f"{training_steps(train_steps_done, args)}) predicting the noise ε.",
        "image": {"channels": channels, "height": height, "width": width, "range": [-1, 1]},
        "schedule": {"kind": args.get("schedule", "linear"), "betaStart": args.get("beta_start", 1e-4),
                     "betaEnd": args.get("beta_end", 0.02), "trainSteps": args.get("T", 1000)},
        "prediction": "epsilon",
        "conditioning": conditioning,
        "io": {"sample": "x", "timestep": "t", "label": "y", "output": "eps", "timestepType": "int64"},
        "file": {"path": os.path.basename(onnx_path), "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()},
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", help="checkpoint.pt from train.py")
    p.add_argument("--out", required=True, help="folder for model.onnx and model.json")
    p.add_argument("--id", default="fashion-28")
    p.add_argument("--name", default="Fashion (28×28, 10 classes)")
    p.add_argument("--guidance", type=float, default=1.5,
                   help="defaultGuidance in the manifest (1.5 measured best for fashion-28, training/RESULTS.md)")
    p.add_argument("--data", default=emoji_data.DEFAULT_DIR,
                   help="emoji checkpoints: the dataset folder whose index.json names the labels")
    p.add_argument("--smoke", action="store_true", help="export a tiny untrained model (tests)")
    p.add_argument("--norm", default="reshape-instancenorm", choices=onnx_graphs.NORMS,
                   help="GroupNorm as torch exports it, or one GroupNormalization node (opset 18 or 21)")
    p.add_argument("--weights", default="fp32", choices=onnx_graphs.WEIGHTS,
                   help="fp16: weights stored as float16, cast at load; int8-dynamic: Conv as ConvInteger")
    a = p.parse_args(argv)
    torch.manual_seed(0)
    if a.smoke:
        cfg = dict(in_ch=1, base=8, mults=[1, 2], blocks=1, num_classes=10)
        model, args, steps = build_model(cfg).eval(), {}, 0
    elif a.ckpt:
        model, ck = load_ema(a.ckpt)
        cfg, args, steps = ck["config"], ck["args"], ck["step"]
    else:
        p.error("give --ckpt CHECKPOINT or --smoke")
    index = emoji_data.read_index(a.data) if cfg.get("label_groups") else None
    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, "model.onnx")
    export_onnx(model, onnx_path, cfg, image_shape(args))
    if (a.norm, a.weights) != ("reshape-instancenorm", "fp32"):
        onnx.save(onnx_graphs.rewrite(onnx.load(onnx_path), a.norm, a.weights), onnx_path)
    params = sum(q.numel() for q in model.parameters())
    m = manifest(a.id if not a.smoke else "tiny-test", a.name if not a.smoke else "Tiny untrained test model",
                 args, onnx_path, params, steps, a.guidance, cfg, index)
    with open(os.path.join(a.out, "model.json"), "w") as f:
        json.dump(m, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {onnx_path} ({m['file']['bytes']} bytes, {params} parameters) and model.json")


if __name__ == "__main__":
    main()
