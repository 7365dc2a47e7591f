"""The U-Net shapes of bench/ARCH-STUDY.md: trains each on Fashion-MNIST with one fixed short budget,
exports it (plus graph-level variants of the baseline: GroupNormalization, fp16 and int8 weights) and
measures its Fréchet distance on the judge's features. Timing is bench/arch-study.ts.

/usr/bin/python3 bench/arch_study.py train [NAME ...]   # resumable: train.py resumes its checkpoint
/usr/bin/python3 bench/arch_study.py export             # runs/arch-study/models/NAME/{model.onnx,model.json}
/usr/bin/python3 bench/arch_study.py fd [NAME ...]      # runs/arch-study/eval/NAME/results.json (--seed S: again
                                                        # from other noise, eval/NAME-sampling-seedS)
/usr/bin/python3 bench/arch_study.py fd-app [NAME ...]  # the same with the app's sampler on the ONNX file
/usr/bin/python3 bench/arch_study.py pixels             # graph variants' pixels against base16's (WASM)
node --import tsx bench/arch-study.ts                   # timing: runs/arch-study/timing.json
/usr/bin/python3 bench/arch_study.py table              # the table of bench/ARCH-STUDY.md
Everything goes under runs/arch-study/ (not committed); each step skips what is already done."""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "runs", "arch-study")
PY = "/usr/bin/python3"

# The same budget for every trained shape: steps, batch, lr, warm-up, EMA and seed.
BUDGET = ["--batch", "64", "--steps", "600", "--lr", "2e-3", "--warmup", "100", "--ema", "0.99", "--seed", "0",
          "--threads", "1", "--ckpt-every", "100", "--log-every", "50"]
BASE = ["--base", "16", "--mults", "1,2,4"]  # fashion-28's shape (package.json "train")

# name → train.py flags after BASE and BUDGET (later flags win).
SHAPES = {
    "base16": [],
    "base8": ["--base", "8"],
    "base24": ["--base", "24"],
    "up-merge-1x1": ["--up-merge", "1x1"],
    "up-separable": ["--up-conv", "separable"],
    "up-conv-before": ["--up-sample", "conv-before"],
    "up-top-1": ["--up-top-blocks", "1"],
    "up-merge-1x1+conv-before": ["--up-merge", "1x1", "--up-sample", "conv-before"],
    # base16 again from another seed: how far training noise alone moves the FD (and timing noise the ms)
    "base16-seed1": ["--seed", "1"],
}
REPEATS = {"base16-seed1": "base16"}  # repeats of a shape: rows of their own, but not candidates on the front
# name → (trained shape, export.py flags): the same weights as the shape, another graph.
GRAPHS = {
    "base16-groupnorm-18": ("base16", ["--norm", "groupnorm-18"]),
    "base16-groupnorm-21": ("base16", ["--norm", "groupnorm-21"]),
    "base16-fp16-weights": ("base16", ["--weights", "fp16"]),
    "base16-int8-dynamic": ("base16", ["--weights", "int8-dynamic"]),
}
# The quality setting: fashion-28's default sampler and guidance, 500 samples (50 per class), seed 0.
FD_SETTING, FD_N = "dpmpp-2m-20-w1.5", 500


def run_dir(name):
    return os.path.join(OUT, "train", name)


def trained(name):
    """Whether the shape's run has finished its budget: its log's last step is BUDGET's --steps, and the
    checkpoint (which train.py saves after logging that step) is newer than the log."""
    log, ckpt = os.path.join(run_dir(name), "log.jsonl"), os.path.join(run_dir(name), "checkpoint.pt")
    if not (os.path.exists(log) and os.path.exists(ckpt)) or os.path.getmtime(ckpt) < os.path.getmtime(log):
        return False
    last = [json.loads(line) for line in open(log).read().split("\n") if line.strip()][-1:]
    return bool(last) and last[0]["step"] == int(BUDGET[BUDGET.index("--steps") + 1])


def names(args, valid):
    for n in args:
        if n not in valid:
            raise SystemExit(f"arch_study: {n!r} is not one of {', '.join(valid)}")
    return args or list(valid)


def train(which):
    for name in names(which, SHAPES):
        cmd = [PY, os.path.join(ROOT, "training", "train.py"), "--out", run_dir(name), *BASE, *BUDGET, *SHAPES[name]]
        print(" ".join(cmd[1:]), flush=True)
        subprocess.run(cmd, check=True, cwd=ROOT)


def export(which):
    for name in names(which, {**SHAPES, **GRAPHS}):
        shape, flags = GRAPHS.get(name, (name, []))
        out = os.path.join(OUT, "models", name)
        ckpt = os.path.join(run_dir(shape), "checkpoint.pt")
        if os.path.exists(os.path.join(out, "model.json")) or not trained(shape):
            continue
        subprocess.run([PY, os.path.join(ROOT, "training", "export.py"), "--ckpt", ckpt, "--out", out,
                        "--id", name, "--name", name, *flags], check=True, cwd=ROOT)


def fd(which, seed=0):
    """FD with the PyTorch sampler; seed > 0 draws other noise (eval/NAME-sampling-seedS), to see the
    sampling spread."""
    judge = os.path.join(ROOT, "runs", "classifier.pt")
    for name in names(which, SHAPES):
        if not trained(name):
            print(f"arch_study fd: {name} has not finished training; skipped", flush=True)
            continue
        out = os.path.join(OUT, "eval", name + (f"-sampling-seed{seed}" if seed else ""))
        subprocess.run([PY, os.path.join(ROOT, "training", "eval", "evaluate.py"), "--ckpt",
                        os.path.join(run_dir(name), "checkpoint.pt"), "--classifier", judge, "--seed", str(seed),
                        "--out", out, "--only", FD_SETTING, "--n", str(FD_N)], check=True, cwd=ROOT)


def fd_app(which):
    """FD of the ONNX files through the app's own sampler (onnxruntime-node), for the graph variants,
    whose weights PyTorch does not have; base16 is their reference."""
    judge = os.path.join(ROOT, "runs", "classifier.pt")
    for name in names(which, ["base16", *GRAPHS]):
        subprocess.run([PY, os.path.join(ROOT, "training", "eval", "evaluate.py"), "--impl", "app", "--model-dir",
                        os.path.join(OUT, "models", name), "--classifier", judge, "--threads", "1",
                        "--out", os.path.join(OUT, "eval-app", name), "--only", FD_SETTING, "--n", str(FD_N)],
                       check=True, cwd=ROOT)


# The short sampling whose pixels the graph variants must reproduce: fashion-28's default sampler and
# guidance, PIXEL_N images of every class, on the app's default engine (onnxruntime-web WASM, 1 thread).
PIXEL_N = 4


def app_pixels(model_dir, c):
    """PIXEL_N images of class c (seed c) from the CLI, as uint8 N×H×W×C."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["node", "--import", "tsx", os.path.join(ROOT, "src", "cli", "generate.ts"), "--model", model_dir,
                        "--class", str(c), "--n", str(PIXEL_N), "--sampler", "dpmpp-2m", "--steps", "20",
                        "--guidance", "1.5", "--seed", str(c), "--engine", "web", "--threads", "1",
                        "--out", os.path.join(tmp, "g.png"), "--npy", os.path.join(tmp, "g.npy")],
                       check=True, cwd=ROOT, capture_output=True)
        return np.load(os.path.join(tmp, "g.npy"))


def pixels(which):
    path = os.path.join(OUT, "pixels.json")
    done = json.load(open(path)) if os.path.exists(path) else {}
    ref = np.concatenate([app_pixels(os.path.join(OUT, "models", "base16"), c) for c in range(10)]).astype(int)
    for name in names(which, GRAPHS):
        if name in done:
            continue
        got = np.concatenate([app_pixels(os.path.join(OUT, "models", name), c) for c in range(10)]).astype(int)
        diff = np.abs(got - ref)
        done[name] = {"images": len(got), "max_diff": int(diff.max()), "share_over_1": float((diff > 1).mean()),
                      "mean_diff": float(diff.mean())}
        print(name, done[name], flush=True)
        json.dump(done, open(path, "w"), indent=1)


def read(path):
    return json.load(open(path)) if os.path.exists(path) else None


def conv_flops(onnx_path):
    out = subprocess.run([PY, os.path.join(HERE, "conv_flops.py"), onnx_path], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)["convFlops"]


def shape_facts(name):
    """Parameters, Conv FLOPs per image, the last logged training loss and the step count of a trained shape."""
    import torch  # only here: the other steps run without loading PyTorch in this process
    ck = torch.load(os.path.join(run_dir(name), "checkpoint.pt"), map_location="cpu")
    log = [json.loads(line) for line in open(os.path.join(run_dir(name), "log.jsonl"))]
    return {"params": sum(v.numel() for v in ck["ema"].values() if v.dtype.is_floating_point),
            "flops": conv_flops(os.path.join(OUT, "models", name, "model.onnx")), "loss": log[-1]["loss"],
            "steps": ck["step"]}


def ms(s):
    return f"{s['median']:.2f} [{s['q1']:.2f}–{s['q3']:.2f}]"


def ratio(s):
    return f"{s['median']:.2f}× [{s['q1']:.2f}–{s['q3']:.2f}]"


def fd_of(folder, name):
    r = read(os.path.join(OUT, folder, name, "results.json"))
    return (r[FD_SETTING], r[f"floor_real_train_{FD_N}"]) if r and FD_SETTING in r else (None, None)


def table(_):
    """runs/arch-study/table.md: the trained shapes, then the graph variants of base16's weights. A shape is
    on the front when no other shape has both a lower WASM time and a lower FD."""
    timing = read(os.path.join(OUT, "timing.json"))
    if not timing:
        raise SystemExit("arch_study table: no runs/arch-study/timing.json (node --import tsx bench/arch-study.ts)")
    rows = {r["name"]: r for r in timing["rows"]}
    shapes = [n for n in SHAPES if n in rows]
    facts = {n: shape_facts(n) for n in shapes}
    fds = {n: fd_of("eval", n) for n in shapes}
    candidates = [n for n in shapes if n not in REPEATS and fds[n][0]]
    front = {n for n in candidates if not any(
        rows[o]["web"]["median"] < rows[n]["web"]["median"] and fds[o][0]["frechet"] < fds[n][0]["frechet"]
        for o in candidates)}
    floor = next((f for _, f in fds.values() if f is not None), None)
    lines = ["| shape | train.py flags | parameters | Conv MFLOP / image | onnxruntime-node ms | onnxruntime-web WASM ms "
             "| web ÷ node | web ÷ base16 | FD (features) | class agreement | loss at the end | front |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for n in shapes:
        r, f, (q, _) = rows[n], facts[n], fds[n]
        fd = f"{q['frechet']:.1f}" if q else "–"
        agree = f"{100 * q['class_agreement']:.1f} %" if q else "–"
        label = f"{n} (repeat of {REPEATS[n]})" if n in REPEATS else n
        lines.append(f"| {label} | {' '.join(SHAPES[n]) or '(fashion-28)'} | {f['params']:,} | {f['flops'] / 1e6:.1f} | "
                     f"{ms(r['node'])} | {ms(r['web'])} | {ratio(r['webOverNode'])} | {ratio(r['webVsBaseline'])} | "
                     f"{fd} | {agree} | {f['loss']:.3f} | {'yes' if n in front else ''} |")
    lines += ["", f"FD floor (500 real training images against the 10,000 test images): {floor:.1f}."
              if floor is not None else ""]
    for n in shapes:
        again = fd_of("eval", f"{n}-sampling-seed1")[0]
        if again and fds[n][0]:
            lines.append(f"{n} sampled again from other noise (seed 1): FD {again['frechet']:.1f} "
                         f"(seed 0: {fds[n][0]['frechet']:.1f}), class agreement {100 * again['class_agreement']:.1f} %.")
    lines.append("")
    pix = read(os.path.join(OUT, "pixels.json")) or {}
    app_base = fd_of("eval-app", "base16")[0]
    lines += ["| graph (base16's weights) | export.py flags | file KB | onnxruntime-node ms | onnxruntime-web WASM ms "
              "| web ÷ node | web ÷ base16 | max pixel difference from base16 (of 255) | pixels off by more than 1 "
              "| FD (app sampler) |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for n in ["base16", *GRAPHS]:
        if n not in rows:
            continue
        r = rows[n]
        size = read(os.path.join(OUT, "models", n, "model.json"))["file"]["bytes"]
        p = pix.get(n)
        q = fd_of("eval-app", n)[0] if n != "base16" else app_base
        flags = " ".join(GRAPHS[n][1]) if n in GRAPHS else "(as exported)"
        max_diff = str(p["max_diff"]) if p else ("0 (reference)" if n == "base16" else "–")
        off = f"{100 * p['share_over_1']:.2f} %" if p else "–"
        fd = f"{q['frechet']:.1f}" if q else "–"
        lines.append(f"| {n} | {flags} | {size / 1024:.0f} | {ms(r['node'])} | {ms(r['web'])} | "
                     f"{ratio(r['webOverNode'])} | {ratio(r['webVsBaseline'])} | {max_diff} | {off} | {fd} |")
    m = timing["method"]
    lines += ["", f"Timing: {timing['date'][:16].replace('T', ' ')} UTC, {timing['machine']}, {timing['versions']}; "
              f"load average (1, 5, 15 min) {timing['loadBefore']} before and {timing['loadAfter']} after; batch "
              f"{m['batch']}, {m['threads']} thread, warm-up ≥ {m['warmMs'] / 1000:g} s and ≥ {m['warmCalls']} calls "
              f"per instance, {m['repeats']} interleaved repeats of ≥ {m['blockMs']} ms blocks, median [IQR]."]
    text = "\n".join(lines) + "\n"
    open(os.path.join(OUT, "table.md"), "w").write(text)
    print(text)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("step", choices=["train", "export", "fd", "fd-app", "pixels", "table", "list"])
    p.add_argument("names", nargs="*")
    p.add_argument("--seed", type=int, default=0, help="fd: the sampling seed (0 is the table's)")
    a = p.parse_args(argv)
    if a.step == "fd":
        return fd(a.names, a.seed)
    if a.step == "list":
        print(json.dumps({"shapes": SHAPES, "graphs": GRAPHS, "budget": BUDGET, "base": BASE}))
        return
    {"train": train, "export": export, "fd": fd, "fd-app": fd_app, "pixels": pixels, "table": table}[a.step](a.names)


if __name__ == "__main__":
    main()
