"""Sample grids of an emoji checkpoint with the PyTorch samplers: OUT/overview.png (a row per
category; per style a block of --per samples) and OUT/<category>.png (the three styles side by
side, --per × --per samples each).

python3 training/eval/emoji_grids.py --ckpt runs/emoji/checkpoint.pt --out runs/emoji-grids"""
import argparse
import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import emoji_data  # noqa: E402
from diffusion import Schedule, sample  # noqa: E402
from export import load_ema  # noqa: E402

GAP = 2


def to_uint8(x):
    """N×3×H×W in [-1, 1] -> N×H×W×3 uint8."""
    return ((x.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).cpu().numpy()


def tile(images, rows, cols):
    """uint8 N×H×W×3, row-major -> one white-gapped picture."""
    h, w = images.shape[1:3]
    g = np.full((rows * (h + GAP) + GAP, cols * (w + GAP) + GAP, 3), 255, dtype=np.uint8)
    for i, im in enumerate(images[: rows * cols]):
        r, c = divmod(i, cols)
        g[GAP + r * (h + GAP): GAP + r * (h + GAP) + h, GAP + c * (w + GAP): GAP + c * (w + GAP) + w] = im
    return g


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--data", default=emoji_data.DEFAULT_DIR, help="dataset folder (for the label names)")
    p.add_argument("--per", type=int, default=4, help="samples per (category, style) = per × per")
    p.add_argument("--sampler", default="dpmpp-2m")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu")
    p.add_argument("--scale", type=int, default=3, help="nearest-neighbour upscaling of the PNGs")
    a = p.parse_args(argv)
    model, ck = load_ema(a.ckpt)
    model = model.to(a.device)
    args = ck["args"]
    sched = Schedule(args["schedule"], args["beta_start"], args["beta_end"], args["T"])
    groups = emoji_data.groups(emoji_data.read_index(a.data))
    categories, styles = groups[0][2], groups[1][2]
    null = torch.tensor(ck["config"]["label_groups"], device=a.device)
    n = a.per * a.per
    gen = torch.Generator().manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for c, cat in enumerate(categories):
        labels = torch.tensor([[c, s] for s in range(len(styles)) for _ in range(n)], device=a.device)
        x = sample(model, sched, (len(labels), 3, emoji_data.SIZE, emoji_data.SIZE), labels, a.guidance, null,
                   sampler=a.sampler, steps=a.steps, generator=gen)
        ims = to_uint8(x).reshape(len(styles), n, *x.shape[2:], 3)
        panels = [tile(ims[s], a.per, a.per) for s in range(len(styles))]
        sep = np.full((panels[0].shape[0], 4 * GAP, 3), 255, dtype=np.uint8)
        side = np.concatenate([q for s in panels for q in (s, sep)][:-1], axis=1)
        Image.fromarray(side).resize((side.shape[1] * a.scale, side.shape[0] * a.scale), Image.NEAREST) \
            .save(os.path.join(a.out, f"{cat}.png"))
        rows.append(np.concatenate([ims[s][: a.per] for s in range(len(styles))]))
    overview = tile(np.concatenate(rows), len(categories), a.per * len(styles))
    Image.fromarray(overview).resize((overview.shape[1] * a.scale, overview.shape[0] * a.scale), Image.NEAREST) \
        .save(os.path.join(a.out, "overview.png"))
    print(f"wrote {a.out}/overview.png and one PNG per category ({', '.join(categories)})")


if __name__ == "__main__":
    main()
