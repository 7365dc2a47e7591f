"""A Fashion-MNIST classifier used only to judge samples: its accuracy on the
test set, and its penultimate-layer features for a Fréchet distance made for
this domain (an FID whose feature extractor knows clothes, not ImageNet).

python3 training/eval/classifier.py --out runs/classifier.pt"""
import argparse
import os
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import data  # noqa: E402

FEATURES = 128


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.fc = nn.Linear(64 * 7 * 7, FEATURES)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(FEATURES, 10)

    def features(self, x):
        """Penultimate-layer activations (after ReLU), the space of the Fréchet distance."""
        return F.relu(self.fc(self.conv(x).flatten(1)))

    def forward(self, x):
        return self.head(self.drop(self.features(x)))


@torch.no_grad()
def predict(model, x, batch=500):
    """Returns (logits, features) for images in [-1, 1]."""
    model.eval()
    logits, feats = [], []
    for i in range(0, x.shape[0], batch):
        f = model.features(x[i:i + batch])
        feats.append(f)
        logits.append(model.head(f))
    return torch.cat(logits), torch.cat(feats)


def load(path):
    model = Classifier()
    model.load_state_dict(torch.load(path, map_location="cpu"))
    return model.eval()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--data", default=data.DEFAULT_DIR)
    a = p.parse_args(argv)
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    x, y = (torch.from_numpy(v) for v in data.load("train", a.data))
    xt, yt = (torch.from_numpy(v) for v in data.load("test", a.data))
    model = Classifier()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = a.epochs * (x.shape[0] // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    t0 = time.time()
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(x.shape[0])
        for i in range(x.shape[0] // 128):
            idx = perm[i * 128:(i + 1) * 128]
            xb = x[idx]
            flip = torch.rand(xb.shape[0]) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = F.cross_entropy(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        logits, _ = predict(model, xt)
        acc = (logits.argmax(1) == yt).float().mean().item()
        print(f"epoch {epoch + 1}: test accuracy {acc:.4f} ({time.time() - t0:.0f} s)", flush=True)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.save(model.state_dict(), a.out)


if __name__ == "__main__":
    main()
