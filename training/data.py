"""Fashion-MNIST straight from the idx files (the Debian package dataset-fashion-mnist)."""
import gzip
import os
import struct

import numpy as np

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]


def _open(path):
    if os.path.exists(path):
        return open(path, "rb")
    if os.path.exists(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    raise FileNotFoundError(
        f"{path}(.gz) not found: install the Debian package dataset-fashion-mnist "
        "or pass --data DIR"
    )


def read_idx(path):
    """Reads an idx file (magic 0x0000080N, big-endian dims) into a uint8 array."""
    with _open(path) as f:
        zero, dtype, ndim = struct.unpack(">HBB", f.read(4))
        if zero != 0 or dtype != 0x08:
            raise ValueError(f"{path}: not a uint8 idx file (header {zero:#x} {dtype:#x})")
        dims = struct.unpack(">" + "I" * ndim, f.read(4 * ndim))
        data = np.frombuffer(f.read(), dtype=np.uint8)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {np.prod(dims)} values, found {data.size}")
    return data.reshape(dims)


def load(split="train", data_dir=DEFAULT_DIR, limit=None):
    """Returns (images float32 N×1×28×28 in [-1, 1], labels int64 N)."""
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte"))
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = images.astype(np.float32)[:, None] / 127.5 - 1.0
    return x, labels.astype(np.int64)
