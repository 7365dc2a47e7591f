"""Quality gate for emoji-32: per setting,

- category and style agreement: --per-pair samples of every (category, style),
  judged by training/eval/emoji_judge.py; the category target is relative to
  the judge's own held-out accuracy;
- Fréchet distance on the judge's features against the held-out images, on
  samples drawn in the held-out set's (category, style) proportions, and its
  floor: the same distance for real training images of the same count and mix;
- memorization: the share of samples nearer (pixel L2) to their nearest
  training image than the 5th percentile of held-out-to-train nearest
  distances, and a picture of the 8 nearest pairs.

python3 training/eval/evaluate_emoji.py --impl app --model-dir public/models/emoji-32 \\
    --judge runs/emoji-judge.pt --out runs/emoji-eval-app
python3 training/eval/evaluate_emoji.py --ckpt runs/emoji/checkpoint.pt \\
    --judge runs/emoji-judge.pt --out runs/emoji-eval [--device cuda]

With --impl app the samples come from the app itself: `npm run generate`
(its TypeScript sampling loop, AssemblyScript kernels and Philox noise on the
exported model.onnx, onnxruntime-node), one call per (category, style) and
run of at most 64 images, saved with --npy. --impl torch (the default)
samples a checkpoint with the PyTorch samplers of training/diffusion.py.

Results accumulate in OUT/results.json; OUT/results.md holds the table."""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import emoji_data  # noqa: E402
import emoji_judge  # noqa: E402
from diffusion import Schedule, sample  # noqa: E402
from emoji_grids import tile, to_uint8  # noqa: E402
from evaluate import APP_MAX_COUNT, add_impl_args, app_run, frechet, parse_key  # noqa: E402
from export import load_ema  # noqa: E402

# The gate's setting first, then the ones the issue asks to report beside it.
SETTINGS = ["dpmpp-2m-20-w3", "dpmpp-2m-10-w3", "dpmpp-2m-50-w3", "ddpm-1000-w3"]
CATEGORY_TARGET, STYLE_TARGET, FD_TARGET, MEMO_TARGET = 0.8, 0.9, 3.0, 0.1


def draw(model, sched, labels, setting, null, batch, gen):
    s, steps, w = parse_key(setting)
    xs = []
    for i in range(0, len(labels), batch):
        lab = labels[i:i + batch]
        xs.append(sample(model, sched, (len(lab), 3, emoji_data.SIZE, emoji_data.SIZE), lab, w, null,
                         sampler=s, steps=steps, generator=gen).cpu())
    return torch.cat(xs)


def draw_app(model_dir, labels, setting, seed, threads, groups):
    """The app's samples for each row of labels ([category, style]), as N×3×32×32 in [-1, 1]. Rows of
    one (category, style) share seed + its pair index; image k of that run uses noise stream k."""
    s, steps, w = parse_key(setting)
    xs = [None] * len(labels)
    pairs = {}
    for i, (c, st) in enumerate(labels.tolist()):
        pairs.setdefault((c, st), []).append(i)
    for (c, st), rows in pairs.items():
        flags = ["--label", f"category={groups[0][c]}", "--label", f"style={groups[1][st]}"]
        for first in range(0, len(rows), APP_MAX_COUNT):
            n = min(APP_MAX_COUNT, len(rows) - first)
            a = app_run(model_dir, flags, n, first, s, steps, w, seed + c * 100 + st, threads)
            for j, row in enumerate(rows[first:first + n]):
                xs[row] = a[j]
    return torch.stack(xs)


def nearest(a, b, batch=512):
    """For each row of a, (distance, index) of its nearest row of b (pixel L2)."""
    d, idx = [], []
    for i in range(0, a.shape[0], batch):
        dist = torch.cdist(a[i:i + batch], b)
        m = dist.min(1)
        d.append(m.values)
        idx.append(m.indices)
    return torch.cat(d), torch.cat(idx)


def pair_counts(y, n_cat, n_sty):
    return [[int(((y[:, 0] == c) & (y[:, 1] == s)).sum()) for s in range(n_sty)] for c in range(n_cat)]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_impl_args(p, "emoji-32")
    p.add_argument("--judge", required=True, help="weights from emoji_judge.py (its .json beside it)")
    p.add_argument("--out", required=True)
    p.add_argument("--data", default=emoji_data.DEFAULT_DIR)
    p.add_argument("--only", default="", help="comma-separated settings, e.g. dpmpp-2m-20-w3 (default: all four)")
    p.add_argument("--per-pair", type=int, default=50, help="samples per (category, style) for agreement")
    p.add_argument("--per-pair-ddpm", type=int, default=None, help="the same for 1000-step DDPM (slow on a CPU)")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args(argv)
    if a.impl == "torch" and not a.ckpt:
        p.error("--impl torch needs --ckpt (a checkpoint from training/train.py)")
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    res_path = os.path.join(a.out, "results.json")
    results = json.load(open(res_path)) if os.path.exists(res_path) else {}

    judge = emoji_judge.load(a.judge)
    held_out = json.load(open(os.path.splitext(a.judge)[0] + ".json"))["held_out"]
    xr_u8, yr = emoji_data.load("train", a.data)
    xt_u8, yt = emoji_data.load("test", a.data)
    xr, xt = torch.from_numpy(emoji_data.to_model(xr_u8)), torch.from_numpy(emoji_data.to_model(xt_u8))
    yr, yt = torch.from_numpy(yr), torch.from_numpy(yt)
    n_cat, n_sty = judge.category.out_features, judge.style.out_features
    counts = pair_counts(yt, n_cat, n_sty)
    _, _, test_feats = emoji_judge.predict(judge, xt)
    test_feats = test_feats.double().numpy()

    # Floor: real training images in the held-out set's mix and count.
    rng = np.random.default_rng(a.seed)
    real_idx = np.concatenate([rng.choice(np.nonzero(((yr[:, 0] == c) & (yr[:, 1] == s)).numpy())[0], counts[c][s],
                                          replace=False) for c in range(n_cat) for s in range(n_sty)])
    _, _, real_feats = emoji_judge.predict(judge, xr[real_idx])
    results["floor"] = {"frechet": frechet(real_feats.double().numpy(), test_feats), "n": len(real_idx)}
    results["judge_held_out"] = {"category": held_out["category"], "style": held_out["style"]}
    # Memorization threshold: the 5th percentile of held-out-to-train nearest distances.
    flat_train = ((xr + 1) / 2).flatten(1)
    d_test, _ = nearest(((xt + 1) / 2).flatten(1), flat_train)
    threshold = float(np.percentile(d_test.numpy(), 5))
    results["memorization_threshold"] = threshold

    if a.impl == "app":
        manifest = json.load(open(os.path.join(a.model_dir, "model.json")))
        results["model"] = manifest["file"]["sha256"]
        results["train_steps"] = manifest.get("description", "")
        groups = [g["labels"] for g in manifest["conditioning"]["groups"]]

        def sample_rows(labels, k, seed):
            return draw_app(a.model_dir, labels, k, seed, a.threads, groups)
    else:
        model, ck = load_ema(a.ckpt)
        model = model.to(a.device)
        results["train_steps"] = f"checkpoint at {ck['step']} steps"
        args = ck["args"]
        sched = Schedule(args["schedule"], args["beta_start"], args["beta_end"], args["T"])
        null = torch.tensor(ck["config"]["label_groups"], device=a.device)
        gen = torch.Generator().manual_seed(a.seed)

        def sample_rows(labels, k, seed):
            return draw(model, sched, labels.to(a.device), k, null, a.batch, gen)
    settings = [k for k in a.only.split(",") if k] or SETTINGS
    for k in settings:
        if parse_key(k) is None:
            p.error(f"--only: {k} is not sampler-steps-wG")
        per_pair = a.per_pair_ddpm if (k.startswith("ddpm-") and a.per_pair_ddpm) else a.per_pair
        t0 = time.time()
        if a.impl == "torch":
            gen.manual_seed(a.seed)
        pairs = torch.tensor([[c, s] for c in range(n_cat) for s in range(n_sty)])
        labels = pairs.repeat_interleave(per_pair, 0)
        x = sample_rows(labels, k, a.seed)
        cat, sty, _ = emoji_judge.predict(judge, x)
        cat_agree = (cat.argmax(1) == labels[:, 0]).float().mean().item()
        sty_agree = (sty.argmax(1) == labels[:, 1]).float().mean().item()
        # Fréchet distance on samples in the held-out mix.
        fd_labels = torch.cat([pairs[c * n_sty + s].repeat(counts[c][s], 1) for c in range(n_cat)
                               for s in range(n_sty)])
        # Other seeds than the agreement samples, so the two sets are independent.
        x_fd = sample_rows(fd_labels, k, a.seed + 10_000)
        _, _, fd_feats = emoji_judge.predict(judge, x_fd)
        fd = frechet(fd_feats.double().numpy(), test_feats)
        d, idx = nearest(((x + 1) / 2).flatten(1), flat_train)
        memo = (d < threshold).float().mean().item()
        results[k] = {
            "n": len(labels), "n_fd": len(fd_labels), "category_agreement": cat_agree,
            "category_ratio": cat_agree / held_out["category"], "style_agreement": sty_agree,
            "frechet": fd, "frechet_ratio": fd / results["floor"]["frechet"], "memorized_share": memo,
            "seconds": time.time() - t0, "impl": a.impl,
        }
        # The 8 nearest (sample, training image) pairs, side by side.
        order = torch.argsort(d)[:8]
        pairs_img = np.stack([im for i in order for im in (to_uint8(x[i:i + 1])[0], xr_u8[int(idx[i])])])
        g = tile(pairs_img, 8, 2)
        Image.fromarray(g).resize((g.shape[1] * 3, g.shape[0] * 3), Image.NEAREST) \
            .save(os.path.join(a.out, f"nearest-{k}.png"))
        json.dump(results, open(res_path, "w"), indent=2)
        print(json.dumps({k: results[k]}), flush=True)
    write_table(results, settings, os.path.join(a.out, "results.md"))


def write_table(results, settings, path):
    floor = results["floor"]["frechet"]
    lines = ["| setting | samples | category agreement (ratio to judge) | style agreement | "
             "Fréchet distance (ratio to floor) | memorized share | time (s) |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for k in settings:
        r = results.get(k)
        if r:
            lines.append(f"| {k} | {r['n']} + {r['n_fd']} | {100 * r['category_agreement']:.1f} % "
                         f"({r['category_ratio']:.2f}) | {100 * r['style_agreement']:.1f} % | "
                         f"{r['frechet']:.2f} ({r['frechet'] / floor:.2f}×) | {100 * r['memorized_share']:.1f} % | "
                         f"{r['seconds']:.0f} |")
    j = results["judge_held_out"]
    lines += ["", f"Model: {str(results['train_steps']).rstrip('.')}. Judge held-out accuracy: category "
              f"{100 * j['category']:.1f} %, style {100 * j['style']:.1f} %. Fréchet floor (real training "
              f"images, {results['floor']['n']}, held-out mix): {floor:.2f}. Memorization threshold "
              f"(5th percentile of held-out-to-train pixel distances): {results['memorization_threshold']:.3f}.",
              f"Targets: category ≥ {CATEGORY_TARGET:.0%} of the judge's accuracy, style ≥ {STYLE_TARGET:.0%}, "
              f"FD ≤ {FD_TARGET:g}× the floor, memorized ≤ {MEMO_TARGET:.0%}."]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
