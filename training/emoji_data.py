"""The emoji-32 set that `npm run dataset:emoji` builds: images.bin (uint8 N×32×32×3 RGB) and
index.json (labels, split, licences). Labels are two groups: category and style."""
import json
import os

import numpy as np

DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".cache", "emoji")
SIZE = 32


def read_index(data_dir=DEFAULT_DIR):
    path = os.path.join(data_dir, "index.json")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} not found: run `npm run dataset:emoji` first or pass --data DIR")
    with open(path) as f:
        return json.load(f)


def groups(index):
    """The label groups as the manifest names them: [(name, title, ids, titles)]."""
    return [("category", "Category", [c["id"] for c in index["categories"]], [c["title"] for c in index["categories"]]),
            ("style", "Style", [s["id"] for s in index["styles"]], [s["title"] for s in index["styles"]])]


def load(split="train", data_dir=DEFAULT_DIR, limit=None):
    """Returns (images uint8 N×32×32×3, labels int64 N×2 [category, style]) of one split."""
    index = read_index(data_dir)
    images = np.fromfile(os.path.join(data_dir, "images.bin"), dtype=np.uint8).reshape(-1, SIZE, SIZE, 3)
    items = index["items"]
    if images.shape[0] != len(items):
        raise ValueError(f"{data_dir}: images.bin holds {images.shape[0]} images, index.json lists {len(items)}")
    keep = np.array([it["split"] == split for it in items])
    labels = np.array([[it["category"], it["style"]] for it in items], dtype=np.int64).reshape(-1, 2)
    x, y = images[keep], labels[keep]
    if limit is not None:
        x, y = x[:limit], y[:limit]
    return x, y


def to_model(images):
    """uint8 N×H×W×3 -> float32 N×3×H×W in [-1, 1]."""
    return images.transpose(0, 3, 1, 2).astype(np.float32) / 127.5 - 1.0
