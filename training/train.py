"""Trains the class-conditional ε-prediction U-Net on Fashion-MNIST (default) or on the
emoji set (--dataset emoji: 3 channels, 32×32, labels [category, style]).

Single process:   python3 training/train.py --out runs/fashion
Emoji:            python3 training/train.py --dataset emoji --out runs/emoji
Data parallel:    torchrun --nproc_per_node=N training/train.py --out runs/fashion [--device cuda]
Smoke run:        python3 training/train.py --smoke --out /tmp/smoke
New shape, warm:  python3 training/train.py --dataset emoji --up-merge 1x1 --init runs/emoji/checkpoint.pt --out R
Resumes from OUT/checkpoint.pt when it exists."""
import argparse
import copy
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import emoji_data  # noqa: E402
from batches import augment, drop_labels  # noqa: E402
from diffusion import Schedule  # noqa: E402
from model import UNet, UP_CONVS, UP_MERGES, UP_SAMPLES  # noqa: E402
from warm_start import warm_start  # noqa: E402

# Up-path options (model.UNet) and their defaults, the shipped models' shape; a checkpoint's config
# names only those that differ, so the shipped configs stay as they were.
UP_DEFAULTS = {"up_conv": "full", "up_merge": "concat", "up_sample": "conv-after", "up_top_blocks": None}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="run folder: checkpoint.pt, log.jsonl, config.json")
    p.add_argument("--dataset", default="fashion", choices=["fashion", "emoji"])
    p.add_argument("--data", default=None, help="dataset folder (default: the dataset's own)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--steps", type=int, default=20000, help="optimizer steps in total")
    p.add_argument("--minutes", type=float, default=0, help="stop (with a checkpoint) after this wall time; 0 = no limit")
    p.add_argument("--batch", type=int, default=128, help="global batch size")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=500)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--p-uncond", type=float, default=0.1, help="label dropout for classifier-free guidance")
    p.add_argument("--p-drop-group", type=float, default=0.1,
                   help="label groups (emoji): also drop each group on its own with this probability")
    p.add_argument("--augment", default=None, choices=["flip", "shift", "none"],
                   help="flip: horizontal flips (fashion's default); shift: random ±1 px translations on "
                        "white (emoji's default; flips would mirror text, arrows and clocks)")
    p.add_argument("--base", type=int, default=32)
    p.add_argument("--mults", default="1,2,2")
    p.add_argument("--blocks", type=int, default=1)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--up-conv", default="full", choices=UP_CONVS,
                   help="separable: depthwise-separable 3×3 convs on the up path (bench/ARCH-STUDY.md)")
    p.add_argument("--up-merge", default="concat", choices=UP_MERGES,
                   help="1x1: a 1×1 conv merges each skip concatenation before the block's 3×3 convs")
    p.add_argument("--up-sample", default="conv-after", choices=UP_SAMPLES,
                   help="conv-before: the upsampling's 3×3 conv runs at the lower resolution")
    p.add_argument("--up-top-blocks", type=int, default=None,
                   help="ResBlocks at full resolution on the up path (default blocks + 1)")
    p.add_argument("--schedule", default="linear", choices=["linear", "scaled-linear", "cosine"])
    p.add_argument("--beta-start", type=float, default=1e-4)
    p.add_argument("--beta-end", type=float, default=0.02)
    p.add_argument("--T", type=int, default=1000)
    p.add_argument("--ckpt-every", type=int, default=500)
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="torch threads per process; 0 = all cores / processes")
    p.add_argument("--init", default=None,
                   help="start from this checkpoint's EMA weights where names and shapes match (warm_start.py)")
    p.add_argument("--smoke", action="store_true", help="a few steps on a few hundred images")
    a = p.parse_args(argv)
    if a.data is None:
        a.data = emoji_data.DEFAULT_DIR if a.dataset == "emoji" else data.DEFAULT_DIR
    if a.augment is None:
        a.augment = "shift" if a.dataset == "emoji" else "flip"
    if a.smoke:
        a.steps, a.batch, a.warmup, a.ckpt_every, a.log_every = 6, 32, 2, 3, 1
        a.base, a.mults = 8, "1,2"
    return a


def model_config(a):
    cfg = dict(in_ch=1, base=a.base, mults=[int(m) for m in a.mults.split(",")], blocks=a.blocks,
               num_classes=len(data.CLASSES), dropout=a.dropout)
    cfg.update({k: getattr(a, k) for k, v in UP_DEFAULTS.items() if getattr(a, k) != v})
    if a.dataset == "emoji":
        index = emoji_data.read_index(a.data)
        cfg.update(in_ch=3, num_classes=0, label_groups=[len(ids) for _, _, ids, _ in emoji_data.groups(index)])
    return cfg


def build_model(cfg):
    return UNet(in_ch=cfg["in_ch"], base=cfg["base"], mults=tuple(cfg["mults"]), blocks=cfg["blocks"],
                num_classes=cfg["num_classes"], dropout=cfg.get("dropout", 0.0),
                label_groups=cfg.get("label_groups"), **{k: cfg.get(k, v) for k, v in UP_DEFAULTS.items()})


def load_data(a):
    """(images float32 N×C×H×W in [-1, 1], labels int64 [N] or [N, groups]) of the training split."""
    limit = 256 if a.smoke else None
    if a.dataset == "emoji":
        x, y = emoji_data.load("train", a.data, limit=limit)
        return emoji_data.to_model(x), y
    return data.load("train", a.data, limit=limit)


def lr_at(step, a):
    """Linear warm-up, then cosine decay to 10 %."""
    if step < a.warmup:
        return a.lr * (step + 1) / a.warmup
    progress = min(1.0, (step - a.warmup) / max(1, a.steps - a.warmup))
    return a.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def main(argv=None):
    a = parse_args(argv)
    distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
    rank, world = 0, 1
    if distributed:
        dist.init_process_group("nccl" if a.device == "cuda" else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
    if a.device == "cuda":
        local = int(os.environ.get("LOCAL_RANK", 0))
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
        torch.backends.cudnn.benchmark = True  # fixed shapes: let cuDNN pick the fastest convolutions once
    else:
        device = torch.device("cpu")
        torch.set_num_threads(a.threads or max(1, (os.cpu_count() or 1) // world))
    torch.manual_seed(a.seed + rank)
    os.makedirs(a.out, exist_ok=True)

    x_all, y_all = load_data(a)
    x_all, y_all = torch.from_numpy(x_all), torch.from_numpy(y_all)
    cfg = model_config(a)
    null = torch.tensor(cfg["label_groups"]) if cfg.get("label_groups") else cfg["num_classes"]
    model = build_model(cfg).to(device)
    ema = copy.deepcopy(model).eval()
    for p_ in ema.parameters():
        p_.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    sched = Schedule(a.schedule, a.beta_start, a.beta_end, a.T, device=device)
    step = 0
    ckpt_path = os.path.join(a.out, "checkpoint.pt")
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        ema.load_state_dict(ck["ema"])
        # A checkpoint trimmed to its weights (to move it off a GPU machine) resumes with a fresh AdamW.
        if "opt" in ck:
            opt.load_state_dict(ck["opt"])
        step = ck["step"]
        if rank == 0:
            print(f"resumed at step {step}", flush=True)
    elif a.init:
        fresh = warm_start(model, torch.load(a.init, map_location=device)["ema"])
        ema.load_state_dict(model.state_dict())
        if rank == 0:
            print(f"initialised from {a.init}; fresh: {', '.join(fresh) or 'none'}", flush=True)
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    n_params = sum(p_.numel() for p_ in model.parameters())
    if rank == 0:
        config = dict(vars(a), model=cfg, params=n_params, world=world)
        with open(os.path.join(a.out, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
        print(f"params {n_params}, world {world}, device {device}", flush=True)

    local_batch = max(1, a.batch // world)
    gen = torch.Generator().manual_seed(a.seed * 1000 + rank + step)
    t0 = time.time()
    t_log, imgs_log, loss_acc, n_acc = time.time(), 0, 0.0, 0
    log = open(os.path.join(a.out, "log.jsonl"), "a") if rank == 0 else None

    def save():
        if rank != 0:
            return
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(),
                    "step": step, "config": cfg, "args": vars(a)}, tmp)
        os.replace(tmp, ckpt_path)

    model.train()
    while step < a.steps:
        idx = torch.randint(0, x_all.shape[0], (local_batch,), generator=gen)
        x0 = augment(x_all[idx], a.augment, gen).to(device)
        y = drop_labels(y_all[idx], null, a, gen).to(device)
        t = torch.randint(0, a.T, (local_batch,), generator=gen).to(device)
        eps = torch.randn(x0.shape, generator=gen).to(device)
        loss = F.mse_loss(net(sched.q_sample(x0, t, eps), t, y), eps)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        decay = min(a.ema, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        step += 1
        loss_acc += loss.item()
        n_acc += 1
        imgs_log += local_batch * world
        if rank == 0 and (step % a.log_every == 0 or step == a.steps):
            dt = time.time() - t_log
            rec = {"step": step, "loss": loss_acc / n_acc, "lr": lr_at(step - 1, a),
                   "img_per_s": imgs_log / dt, "elapsed_s": time.time() - t0}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(json.dumps(rec), flush=True)
            t_log, imgs_log, loss_acc, n_acc = time.time(), 0, 0.0, 0
        out_of_time = a.minutes > 0 and (time.time() - t0) > a.minutes * 60
        if distributed:
            flag = torch.tensor([1 if out_of_time else 0], device=device)
            dist.all_reduce(flag)
            out_of_time = flag.item() > 0
        if step % a.ckpt_every == 0 or step == a.steps or out_of_time:
            save()
        if out_of_time:
            if rank == 0:
                print(f"time limit reached at step {step}; checkpoint saved, run again to resume", flush=True)
            break
    if log:
        log.close()
    if distributed:
        dist.destroy_process_group()
    return step


if __name__ == "__main__":
    main()
