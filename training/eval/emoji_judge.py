"""The emoji-32 judge: one small CNN with a category head and a style head, trained
on the training split only. Its held-out accuracy is the yardstick for the
samples' category and style agreement, and its penultimate features are the
space of the Fréchet distance (a domain FD, like the Fashion classifier's).

python3 training/eval/emoji_judge.py --out runs/emoji-judge.pt   (writes also runs/emoji-judge.json)"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import emoji_data  # noqa: E402

FEATURES = 128


def block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]


class Judge(nn.Module):
    def __init__(self, categories=8, styles=3):
        super().__init__()
        self.conv = nn.Sequential(
            *block(3, 32), *block(32, 32), nn.MaxPool2d(2),     # 16 px
            *block(32, 64), *block(64, 64), nn.MaxPool2d(2),    # 8 px
            *block(64, 128), nn.MaxPool2d(2),                   # 4 px
        )
        self.fc = nn.Linear(128 * 4 * 4, FEATURES)
        self.drop = nn.Dropout(0.3)
        self.category = nn.Linear(FEATURES, categories)
        self.style = nn.Linear(FEATURES, styles)

    def features(self, x):
        """Penultimate-layer activations (after ReLU), the space of the Fréchet distance."""
        return F.relu(self.fc(self.conv(x).flatten(1)))

    def forward(self, x):
        f = self.drop(self.features(x))
        return self.category(f), self.style(f)


@torch.no_grad()
def predict(model, x, batch=500):
    """Returns (category logits, style logits, features), on the CPU, for images N×3×32×32 in [-1, 1]."""
    model.eval()
    device = next(model.parameters()).device
    cat, sty, feats = [], [], []
    for i in range(0, x.shape[0], batch):
        f = model.features(x[i:i + batch].to(device))
        feats.append(f.cpu())
        cat.append(model.category(f).cpu())
        sty.append(model.style(f).cpu())
    return torch.cat(cat), torch.cat(sty), torch.cat(feats)


def load(path):
    state = torch.load(path, map_location="cpu")
    model = Judge(state["category.weight"].shape[0], state["style.weight"].shape[0])
    model.load_state_dict(state)
    return model.eval()


def augment(x, gen):
    """Random shifts of up to 2 px on white and horizontal flips: neither changes an emoji's
    category or style (the judge is not sampled from, so a mirrored clock does no harm)."""
    b, _, h, w = x.shape
    padded = F.pad(x, (2, 2, 2, 2), value=1.0)
    dx = torch.randint(0, 5, (b,), generator=gen).tolist()
    dy = torch.randint(0, 5, (b,), generator=gen).tolist()
    x = torch.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(b)])
    flip = torch.rand(b, generator=gen) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(3), x)


def accuracy(model, x, y):
    cat, sty, _ = predict(model, x)
    return (cat.argmax(1) == y[:, 0]).float().mean().item(), (sty.argmax(1) == y[:, 1]).float().mean().item()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="weights (.pt); the accuracies go beside it as .json")
    p.add_argument("--data", default=emoji_data.DEFAULT_DIR)
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    index = emoji_data.read_index(a.data)
    x, y = emoji_data.load("train", a.data)
    xt, yt = emoji_data.load("test", a.data)
    x, xt = torch.from_numpy(emoji_data.to_model(x)), torch.from_numpy(emoji_data.to_model(xt))
    y, yt = torch.from_numpy(y), torch.from_numpy(yt)
    model = Judge(len(index["categories"]), len(index["styles"])).to(a.device)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=5e-4)
    per_epoch = x.shape[0] // a.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=a.epochs * per_epoch)
    t0 = time.time()
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(x.shape[0], generator=gen)
        for i in range(per_epoch):
            idx = perm[i * a.batch:(i + 1) * a.batch]
            cat, sty = model(augment(x[idx], gen).to(a.device))
            yb = y[idx].to(a.device)
            loss = F.cross_entropy(cat, yb[:, 0]) + F.cross_entropy(sty, yb[:, 1])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        if (epoch + 1) % 5 == 0 or epoch + 1 == a.epochs:
            acc_c, acc_s = accuracy(model, xt, yt)
            print(f"epoch {epoch + 1}: held-out accuracy category {acc_c:.4f}, style {acc_s:.4f} "
                  f"({time.time() - t0:.0f} s)", flush=True)
    train_c, train_s = accuracy(model, x, y)
    acc_c, acc_s = accuracy(model, xt, yt)
    # Per-category held-out accuracy: the gate compares samples per (category, style).
    cat_pred = predict(model, xt)[0].argmax(1)
    per_cat = {c["id"]: float((cat_pred[yt[:, 0] == i] == i).float().mean())
               for i, c in enumerate(index["categories"])}
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.save(model.cpu().state_dict(), a.out)
    report = {"held_out": {"category": acc_c, "style": acc_s, "n": int(xt.shape[0]), "category_by_class": per_cat},
              "train": {"category": train_c, "style": train_s, "n": int(x.shape[0])},
              "epochs": a.epochs, "device": a.device, "seconds": round(time.time() - t0)}
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump(report, f, indent=2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
