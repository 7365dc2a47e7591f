"""Quality gate for a trained denoiser: class agreement and a domain Fréchet
distance for each (sampler, steps, guidance) setting, plus a 10×10 sample grid.

python3 training/eval/evaluate.py --ckpt runs/fashion/checkpoint.pt \
    --classifier runs/classifier.pt --out runs/eval

With --impl app the samples come from the app itself: `npm run generate`
(the TypeScript sampling loop, AssemblyScript kernels and onnxruntime-node
running the exported model.onnx), one call per class, saved with --npy as the
uint8 pixels the app shows. --impl torch (the default) samples the checkpoint
with the PyTorch samplers in training/diffusion.py.

Results accumulate in OUT/results.json (a finished setting is not run again),
grids go to OUT/grid-<setting>.png, and OUT/results.md holds the table."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import data  # noqa: E402
import classifier as clf  # noqa: E402
from diffusion import Schedule, sample  # noqa: E402
from export import load_ema  # noqa: E402

# (sampler, steps) × guidance, as the quality gate defines them.
SETTINGS = [(s, n, w) for (s, n) in [("dpmpp-2m", 10), ("dpmpp-2m", 20), ("ddim", 50), ("ddpm", 1000)]
            for w in (0.0, 1.0, 3.0)]


def frechet(f1, f2):
    """Fréchet distance between Gaussians fitted to two feature sets (as FID computes it)."""
    mu1, mu2 = f1.mean(0), f2.mean(0)
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    # Tr sqrt(S1 S2) = Tr sqrt(A S2 A) with A = S1^{1/2}, which is symmetric PSD.
    w1, v1 = np.linalg.eigh(s1)
    a = (v1 * np.sqrt(np.clip(w1, 0, None))) @ v1.T
    w = np.linalg.eigvalsh(a @ s2 @ a)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(w, 0, None)).sum())


def grid_png(images, path, rows=10, cols=10):
    """images: N×1×28×28 in [-1, 1], laid out row-major (one class per row)."""
    x = ((images[: rows * cols].clamp(-1, 1) + 1) * 127.5).round().byte().numpy()[:, 0]
    g = np.ones((rows * 30 + 2, cols * 30 + 2), dtype=np.uint8) * 255
    for i, im in enumerate(x):
        r, c = divmod(i, cols)
        g[2 + r * 30: 2 + r * 30 + 28, 2 + c * 30: 2 + c * 30 + 28] = im
    Image.fromarray(g).resize((g.shape[1] * 2, g.shape[0] * 2), Image.NEAREST).save(path)


def key(s, n, w):
    return f"{s}-{n}-w{w:g}"


APP_SAMPLERS = ("ddpm", "ddpm-beta", "ddim", "dpmpp-2m", "euler-a")


def parse_key(k):
    """'euler-a-50-w3' → ('euler-a', 50, 3.0); None when k is not sampler-steps-wG."""
    m = re.fullmatch(r"(%s)-(\d+)-w(\d+(?:\.\d+)?)" % "|".join(map(re.escape, APP_SAMPLERS)), k)
    return (m.group(1), int(m.group(2)), float(m.group(3))) if m else None


# The app's per-run image limit (REQUEST_SPEC.count.max in src/core/request-spec.ts).
APP_MAX_COUNT = 64


def app_run(model_dir, label_flags, n, first, sampler, steps, w, seed, threads):
    """One run of the app's CLI (src/cli/generate.ts, native engine): images first..first+n-1 of seed
    for label_flags (e.g. ["--class", "3"]), as N×C×H×W floats in [-1, 1]. Image k is the app's image k
    for that seed, so runs of at most APP_MAX_COUNT continue one another with first."""
    with tempfile.TemporaryDirectory() as tmp:
        npy = os.path.join(tmp, "run.npy")
        cmd = ["node", "--import", "tsx", os.path.join(ROOT, "src", "cli", "generate.ts"),
               "--model", model_dir, *label_flags, "--n", str(n), "--first-index", str(first),
               "--sampler", sampler, "--steps", str(steps), "--guidance", f"{w:g}", "--seed", str(seed),
               "--engine", "native", "--threads", str(threads), "--out", os.path.join(tmp, "run.png"), "--npy", npy]
        done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise SystemExit(f"npm run generate failed for {' '.join(label_flags)}: {done.stderr.strip()[-500:]}")
        a = np.load(npy)  # N×H×W×C uint8
    return torch.from_numpy(a).permute(0, 3, 1, 2).float() / 127.5 - 1


def app_samples(model_dir, sampler, steps, w, per_class, seed, threads):
    """per_class images of each class 0..9 (class-major) from the app's CLI, as N×1×H×W floats in [-1, 1].
    Class c uses seed + c."""
    xs = []
    for c in range(10):
        for first in range(0, per_class, APP_MAX_COUNT):
            n = min(APP_MAX_COUNT, per_class - first)
            xs.append(app_run(model_dir, ["--class", str(c)], n, first, sampler, steps, w, seed + c, threads))
    return torch.cat(xs)


def add_impl_args(p, model):
    """--impl, --ckpt and --model-dir: which sampling code draws the samples, and from what."""
    p.add_argument("--impl", choices=("torch", "app"), default="torch",
                   help="torch: PyTorch samplers on --ckpt; app: the app's own sampling loop (its CLI) on --model-dir")
    p.add_argument("--ckpt", help="checkpoint to sample (--impl torch)")
    p.add_argument("--model-dir", default=os.path.join(ROOT, "public", "models", model),
                   help="model folder holding model.json and model.onnx (--impl app)")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_impl_args(p, "fashion-28")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="onnxruntime threads (--impl app)")
    p.add_argument("--classifier", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--n", type=int, default=1000, help="samples per setting (a multiple of 10)")
    p.add_argument("--n-ddpm", type=int, default=None, help="samples for the 1000-step DDPM settings")
    p.add_argument("--only", default="", help="comma-separated setting keys to run, e.g. dpmpp-2m-20-w3")
    p.add_argument("--batch", type=int, default=250)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=data.DEFAULT_DIR)
    a = p.parse_args(argv)
    if a.impl == "torch" and not a.ckpt:
        p.error("--impl torch needs --ckpt (a checkpoint from training/train.py)")
    if a.n % 10 or (a.n_ddpm or 10) % 10:
        p.error("--n and --n-ddpm must be multiples of 10 (the same number of samples per class)")
    torch.set_num_threads(os.cpu_count() or 1)
    os.makedirs(a.out, exist_ok=True)
    res_path = os.path.join(a.out, "results.json")
    results = json.load(open(res_path)) if os.path.exists(res_path) else {}

    judge = clf.load(a.classifier)
    xt, yt = (torch.from_numpy(v) for v in data.load("test", a.data))
    logits, test_feats = clf.predict(judge, xt)
    test_feats = test_feats.numpy().astype(np.float64)
    results["classifier_test_accuracy"] = (logits.argmax(1) == yt).float().mean().item()
    xr, _ = data.load("train", a.data)
    rng = np.random.default_rng(a.seed)
    test_logits = logits.numpy().astype(np.float64)
    for n in sorted({a.n, a.n_ddpm or a.n}):
        real = torch.from_numpy(xr[rng.choice(len(xr), n, replace=False)])
        real_logits, real_feats = clf.predict(judge, real)
        results[f"floor_real_train_{n}"] = frechet(real_feats.numpy().astype(np.float64), test_feats)
        # The 10 logits: a coarser space whose covariance small samples still estimate well.
        results[f"floor_logits_real_train_{n}"] = frechet(real_logits.numpy().astype(np.float64), test_logits)

    if a.impl == "torch":
        model, ck = load_ema(a.ckpt)
        results["train_steps"] = ck["step"]
        sched = Schedule(ck["args"]["schedule"], ck["args"]["beta_start"], ck["args"]["beta_end"], ck["args"]["T"])
    else:
        results["model"] = json.load(open(os.path.join(a.model_dir, "model.json")))["file"]["sha256"]
    only = set(filter(None, a.only.split(",")))
    # Settings beyond the gate's twelve, e.g. euler-a-50-w3 (the app's samplers only).
    extra = []
    for k in sorted(only - {key(*st) for st in SETTINGS}):
        st = parse_key(k)
        if st is None or (a.impl == "torch" and st[0] not in ("ddim", "dpmpp-2m")):
            p.error(f"--only: {k} is not sampler-steps-wG with a sampler of --impl {a.impl}")
        extra.append(st)
    for s, steps, w in SETTINGS + extra:
        k = key(s, steps, w)
        n = a.n_ddpm if (s == "ddpm" and a.n_ddpm) else a.n
        if (only and k not in only) or (k in results and results[k]["n"] == n):
            continue
        labels = torch.arange(10).repeat_interleave(n // 10)
        t0 = time.time()
        if a.impl == "app":
            x = app_samples(a.model_dir, s, steps, w, n // 10, a.seed, a.threads)
        else:
            gen = torch.Generator().manual_seed(a.seed)
            xs = []
            for i in range(0, n, a.batch):
                lab = labels[i:i + a.batch]
                xs.append(sample(model, sched, (len(lab), 1, 28, 28), lab, w, 10, sampler=s, steps=steps,
                                 eta=0.0, spacing="trailing", generator=gen))
            x = torch.cat(xs)
        lg, feats = clf.predict(judge, x)
        results[k] = {
            "sampler": s, "steps": steps, "guidance": w, "n": n, "impl": a.impl,
            "class_agreement": (lg.argmax(1) == labels).float().mean().item(),
            "frechet": frechet(feats.numpy().astype(np.float64), test_feats),
            "frechet_logits": frechet(lg.numpy().astype(np.float64), test_logits),
            "seconds": time.time() - t0,
        }
        per_class = n // 10
        shown = min(10, per_class)
        order = torch.cat([torch.arange(c * per_class, c * per_class + shown) for c in range(10)])
        grid_png(x[order], os.path.join(a.out, f"grid-{k}.png"), cols=shown)
        json.dump(results, open(res_path, "w"), indent=2)
        print(json.dumps({k: results[k]}), flush=True)
    json.dump(results, open(res_path, "w"), indent=2)
    write_table(results, os.path.join(a.out, "results.md"))


def write_table(results, path):
    lines = ["| sampler | steps | guidance w | samples | class agreement | Fréchet distance (features) | "
             "Fréchet distance (logits) | time (s) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    extra = [st for st in map(parse_key, results) if st and st not in SETTINGS]
    for s, steps, w in SETTINGS + sorted(extra, key=lambda st: (st[2], st[0], st[1])):
        r = results.get(key(s, steps, w))
        if r:
            lines.append(f"| {s} | {steps} | {w:g} | {r['n']} | {100 * r['class_agreement']:.1f} % | "
                         f"{r['frechet']:.2f} | {r['frechet_logits']:.2f} | {r['seconds']:.0f} |"
                         if "frechet_logits" in r else
                         f"| {s} | {steps} | {w:g} | {r['n']} | {100 * r['class_agreement']:.1f} % | "
                         f"{r['frechet']:.2f} | – | {r['seconds']:.0f} |")
    def floors(prefix):
        return "; ".join(f"{k.split('_')[-1]} images: {v:.2f}" for k, v in results.items() if k.startswith(prefix))

    lines += ["", f"Classifier test accuracy: {100 * results['classifier_test_accuracy']:.2f} %.",
              "Floor, real training images against the test set: features " + floors("floor_real_train_")
              + "; logits " + floors("floor_logits_real_train_") + "."]
    open(path, "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
