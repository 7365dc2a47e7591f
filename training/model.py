"""A small DDPM U-Net predicting ε (Ho et al. 2020): ResNet blocks with GroupNorm
and SiLU, a sinusoidal timestep embedding added in every block, and a class
embedding with an extra null class for classifier-free guidance (one class
label, or several label groups whose embeddings are summed)."""
import math

import torch
from torch import nn
import torch.nn.functional as F


def timestep_embedding(t, dim):
    """Sinusoidal embedding of integer timesteps (Vaswani et al. 2017, as in DDPM)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


def norm(ch):
    return nn.GroupNorm(min(8, ch), ch)


# Up-path shapes (UNet's up_conv, up_merge, up_sample); the first of each is the shipped models' shape.
UP_CONVS = ("full", "separable")
UP_MERGES = ("concat", "1x1")
UP_SAMPLES = ("conv-after", "conv-before")


def choice(name, value, valid):
    if value not in valid:
        raise ValueError(f"UNet {name}: {value!r} is not one of {', '.join(map(repr, valid))}")
    return value


def conv3x3(cin, cout, kind="full"):
    """A 3×3 convolution; "separable": a depthwise 3×3 then a pointwise 1×1 (MobileNet, Howard et al. 2017),
    about cin·(9 + cout) instead of 9·cin·cout multiply-adds per pixel."""
    if choice("conv", kind, UP_CONVS) == "full":
        return nn.Conv2d(cin, cout, 3, padding=1)
    return nn.Sequential(nn.Conv2d(cin, cin, 3, padding=1, groups=cin), nn.Conv2d(cin, cout, 1))


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb_dim, dropout=0.0, conv="full"):
        super().__init__()
        self.norm1 = norm(cin)
        self.conv1 = conv3x3(cin, cout, conv)
        self.emb = nn.Linear(emb_dim, cout)
        self.norm2 = norm(cout)
        self.drop = nn.Dropout(dropout)
        self.conv2 = conv3x3(cout, cout, conv)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(F.silu(emb))[:, :, None, None]
        h = self.conv2(self.drop(F.silu(self.norm2(h))))
        return h + self.skip(x)


class MergeResBlock(ResBlock):
    """An up-path block whose input (the upsampled path concatenated with a skip) is first merged to cout
    channels by a 1×1 conv, so its 3×3 convs and its residual read cout channels instead of cin."""

    def __init__(self, cin, cout, emb_dim, dropout=0.0, conv="full"):
        super().__init__(cout, cout, emb_dim, dropout, conv)
        self.merge = nn.Conv2d(cin, cout, 1)

    def forward(self, x, emb):
        return super().forward(self.merge(x), emb)


class Attention(nn.Module):
    """Single-head self-attention over the spatial positions of the lowest level."""

    def __init__(self, ch):
        super().__init__()
        self.norm = norm(ch)
        self.qkv = nn.Conv2d(ch, ch * 3, 1)
        self.out = nn.Conv2d(ch, ch, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(b, 3, c, h * w).unbind(1)
        attn = torch.softmax(torch.einsum("bci,bcj->bij", q, k) / math.sqrt(c), dim=-1)
        y = torch.einsum("bij,bcj->bci", attn, v).reshape(b, c, h, w)
        return x + self.out(y)


class UNet(nn.Module):
    """Levels at 28, 14, 7 px for 28×28 inputs (32, 16, 8 for 32×32); `mults` scales `base` per level.

    Labels: `num_classes` > 0 takes y of shape [B] (one class); `label_groups` (sizes, e.g. [8, 3])
    takes y of shape [B, len(label_groups)], one embedding table per group, summed. In each table
    the index equal to the group's size is its null label ("any"), so guidance can drop any group.

    Up-path shapes for CPU speed (bench/ARCH-STUDY.md); the defaults are the shipped models' shape:
    `up_conv` "separable" makes the up path's 3×3 convs depthwise-separable; `up_merge` "1x1" merges each
    skip concatenation with a 1×1 conv before the block's 3×3 convs; `up_sample` "conv-before" runs the
    upsampling's 3×3 conv at the lower resolution (a quarter of the work), then upsamples; `up_top_blocks`
    (default blocks + 1) is the number of ResBlocks at full resolution on the up path, where fewer leave
    the earliest skips unused."""

    def __init__(self, in_ch=1, base=32, mults=(1, 2, 2), blocks=1, num_classes=10, dropout=0.0, attn=True,
                 label_groups=None, up_conv="full", up_merge="concat", up_sample="conv-after", up_top_blocks=None):
        super().__init__()
        choice("up_conv", up_conv, UP_CONVS)
        choice("up_merge", up_merge, UP_MERGES)
        choice("up_sample", up_sample, UP_SAMPLES)
        up_top_blocks = blocks + 1 if up_top_blocks is None else up_top_blocks
        if not 1 <= up_top_blocks <= blocks + 1:
            raise ValueError(f"UNet up_top_blocks: {up_top_blocks} is not in 1..{blocks + 1} (blocks + 1)")
        self.num_classes = num_classes
        self.label_groups = list(label_groups or [])
        self.base = base
        emb_dim = base * 4
        self.time_mlp = nn.Sequential(nn.Linear(base, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        # index num_classes is the null label used for the unconditional branch
        self.label_emb = nn.Embedding(num_classes + 1, emb_dim) if num_classes > 0 else None
        self.group_embs = nn.ModuleList(nn.Embedding(n + 1, emb_dim) for n in self.label_groups)
        self.inp = nn.Conv2d(in_ch, base, 3, padding=1)
        chans = [base * m for m in mults]
        self.down = nn.ModuleList()
        skips = [base]
        ch = base
        for i, c in enumerate(chans):
            for _ in range(blocks):
                self.down.append(ResBlock(ch, c, emb_dim, dropout))
                ch = c
                skips.append(ch)
            if i < len(chans) - 1:
                self.down.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
                skips.append(ch)
        self.mid1 = ResBlock(ch, ch, emb_dim, dropout)
        self.mid_attn = Attention(ch) if attn else nn.Identity()
        self.mid2 = ResBlock(ch, ch, emb_dim, dropout)
        self.up = nn.ModuleList()
        up_block = MergeResBlock if up_merge == "1x1" else ResBlock
        for i, c in reversed(list(enumerate(chans))):
            for _ in range(blocks + 1 if i > 0 else up_top_blocks):
                self.up.append(up_block(ch + skips.pop(), c, emb_dim, dropout, up_conv))
                ch = c
            if i > 0:
                upsample = [nn.Upsample(scale_factor=2, mode="nearest"), conv3x3(ch, ch, up_conv)]
                self.up.extend(upsample if up_sample == "conv-after" else upsample[::-1])
        self.out_norm = norm(ch)
        self.out = nn.Conv2d(ch, in_ch, 3, padding=1)

    def forward(self, x, t, y=None):
        emb = self.time_mlp(timestep_embedding(t, self.base))
        if self.label_emb is not None:
            if y is None:
                y = torch.full((x.shape[0],), self.num_classes, dtype=torch.long, device=x.device)
            emb = emb + self.label_emb(y)
        if self.label_groups:
            if y is None:
                y = torch.tensor(self.label_groups, dtype=torch.long, device=x.device).expand(x.shape[0], -1)
            for g, table in enumerate(self.group_embs):
                emb = emb + table(y[:, g])
        h = self.inp(x)
        hs = [h]
        for m in self.down:
            h = m(h, emb) if isinstance(m, ResBlock) else m(h)
            hs.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        pending_upsample = False
        for m in self.up:
            if isinstance(m, ResBlock):
                skip = hs.pop()
                if skip.shape[-1] != h.shape[-1]:
                    # 7 -> 14 -> 28: nearest upsampling of odd sizes needs no crop here,
                    # but 28 -> 14 -> 7 stride-2 convs keep sizes exact.
                    raise RuntimeError(f"skip {tuple(skip.shape)} vs {tuple(h.shape)}")
                h = m(torch.cat([h, skip], dim=1), emb)
            else:
                h = m(h)
        return self.out(F.silu(self.out_norm(h)))
