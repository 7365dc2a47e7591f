"""What each training batch sees besides the data: augmentation, and label dropout for classifier-free guidance."""
import torch
import torch.nn.functional as F


def augment(x0, kind, gen):
    if kind == "flip":
        if torch.rand(1, generator=gen).item() < 0.5:
            x0 = torch.flip(x0, dims=[3])  # horizontal flip keeps every Fashion-MNIST class
    elif kind == "shift":
        # Each image moves by up to 1 px each way; the uncovered edge is white, the emoji's background.
        b, _, h, w = x0.shape
        padded = F.pad(x0, (1, 1, 1, 1), value=1.0)
        dx = torch.randint(0, 3, (b,), generator=gen).tolist()
        dy = torch.randint(0, 3, (b,), generator=gen).tolist()
        x0 = torch.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(b)])
    return x0


def drop_labels(y, null, a, gen):
    """Replaces labels by their null index for classifier-free guidance. One class: with
    p_uncond. Groups: all together with p_uncond (the unconditional branch), and besides
    each group on its own with p_drop_group, so guidance can also leave out one group."""
    if y.dim() == 1:
        drop = torch.rand(y.shape[0], generator=gen) < a.p_uncond
        return torch.where(drop, torch.full_like(y, null), y)
    drop = (torch.rand(y.shape[0], 1, generator=gen) < a.p_uncond) | \
        (torch.rand(y.shape, generator=gen) < a.p_drop_group)
    return torch.where(drop, null.expand_as(y), y)
