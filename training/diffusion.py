"""DDPM forward process, training loss and the samplers used for evaluation.

Notation follows the app's src/core: beta_t, alpha_t = 1 - beta_t,
alphaBar_t = prod_{s<=t} alpha_s. Timestep spacing and sampler math mirror the
TypeScript implementation so that evaluation measures what the app produces."""
import math

import numpy as np
import torch


def make_betas(kind="linear", beta_start=1e-4, beta_end=0.02, T=1000):
    """β_t in float64. linear: Ho et al. 2020; scaled-linear: LDM; cosine: Nichol & Dhariwal 2021."""
    if kind == "linear":
        return np.linspace(beta_start, beta_end, T, dtype=np.float64)
    if kind == "scaled-linear":
        return np.linspace(beta_start ** 0.5, beta_end ** 0.5, T, dtype=np.float64) ** 2
    if kind == "cosine":
        s = 0.008
        f = lambda t: math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2
        return np.array([min(1 - f(i + 1) / f(i), 0.999) for i in range(T)], dtype=np.float64)
    raise ValueError(f"schedule kind '{kind}': expected one of linear, scaled-linear, cosine")


class Schedule:
    def __init__(self, kind="linear", beta_start=1e-4, beta_end=0.02, T=1000, device="cpu"):
        betas = make_betas(kind, beta_start, beta_end, T)
        alpha_bar = np.cumprod(1.0 - betas)
        self.T = T
        self.kind, self.beta_start, self.beta_end = kind, beta_start, beta_end
        self.betas64 = betas
        self.alpha_bar64 = alpha_bar
        self.sqrt_alpha_bar = torch.tensor(np.sqrt(alpha_bar), dtype=torch.float32, device=device)
        self.sqrt_1m_alpha_bar = torch.tensor(np.sqrt(1 - alpha_bar), dtype=torch.float32, device=device)

    def q_sample(self, x0, t, eps):
        """Closed form q(x_t | x_0) = N(sqrt(ᾱ_t) x_0, (1-ᾱ_t) I)."""
        a = self.sqrt_alpha_bar[t][:, None, None, None]
        s = self.sqrt_1m_alpha_bar[t][:, None, None, None]
        return a * x0 + s * eps


def timesteps(T, n, spacing="trailing"):
    """Descending timesteps for n-step sampling, as diffusers defines the spacings."""
    if spacing == "linspace":
        ts = np.round(np.linspace(0, T - 1, n)).astype(np.int64)[::-1]
    elif spacing == "leading":
        ratio = T // n
        ts = (np.arange(0, n) * ratio).round()[::-1].astype(np.int64)
    elif spacing == "trailing":
        ratio = T / n
        ts = np.round(np.arange(T, 0, -ratio)).astype(np.int64) - 1
    else:
        raise ValueError(f"spacing '{spacing}': expected one of leading, trailing, linspace")
    return [int(t) for t in ts]


def guided_eps(model, x, t, label, w, null_label):
    """Classifier-free guidance ε = ε_u + w (ε_c − ε_u); w=0 unconditional, w=1 conditional.
    label: [N] with a scalar null_label, or [N, groups] with one null per group."""
    n = x.shape[0]
    null = torch.as_tensor(null_label, dtype=label.dtype, device=label.device).expand_as(label)
    tt = torch.full((n,), t, dtype=torch.long, device=x.device)
    if w == 0:
        return model(x, tt, null)
    if w == 1:
        return model(x, tt, label)
    out = model(torch.cat([x, x]), torch.cat([tt, tt]), torch.cat([label, null]))
    ec, eu = out[:n], out[n:]
    return eu + w * (ec - eu)


@torch.no_grad()
def sample(model, sched, shape, label, w, null_label, sampler="dpmpp-2m", steps=20, eta=0.0,
           spacing="trailing", generator=None, clip=True):
    """Samplers: 'ddpm' (ancestral, σ²=β̃), 'ddim' (η), 'dpmpp-2m' (Lu et al. 2022, data prediction)."""
    device = label.device
    x = torch.randn(shape, generator=generator, device="cpu").to(device)
    ab = sched.alpha_bar64
    ts = list(range(sched.T - 1, -1, -1)) if sampler == "ddpm" else timesteps(sched.T, steps, spacing)
    prev_x0 = None
    prev_h = None
    for i, t in enumerate(ts):
        t_prev = ts[i + 1] if i + 1 < len(ts) else -1
        ab_t = ab[t]
        ab_p = ab[t_prev] if t_prev >= 0 else 1.0
        eps = guided_eps(model, x, t, label, w, null_label)
        x0 = (x - math.sqrt(1 - ab_t) * eps) / math.sqrt(ab_t)
        if clip:
            x0 = x0.clamp(-1, 1)
            eps = (x - math.sqrt(ab_t) * x0) / math.sqrt(1 - ab_t)
        if sampler in ("ddpm", "ddim"):
            if sampler == "ddpm":
                eta_ = 1.0
            else:
                eta_ = eta
            var = (1 - ab_p) / (1 - ab_t) * (1 - ab_t / ab_p)
            sigma = eta_ * math.sqrt(max(var, 0.0))
            dir_coef = math.sqrt(max(1 - ab_p - sigma ** 2, 0.0))
            x = math.sqrt(ab_p) * x0 + dir_coef * eps
            if sigma > 0 and t_prev >= 0:
                x = x + sigma * torch.randn(shape, generator=generator, device="cpu").to(device)
        elif sampler == "dpmpp-2m":
            # λ = log(α/σ); multistep second-order update on the data prediction.
            lam = lambda a: 0.5 * math.log(a / (1 - a))
            if t_prev < 0:
                x = x0
            else:
                l_t, l_p = lam(ab_t), lam(ab_p)
                h = l_p - l_t
                if prev_x0 is None or t_prev < 0:
                    d = x0
                else:
                    r = prev_h / h
                    d = (1 + 1 / (2 * r)) * x0 - (1 / (2 * r)) * prev_x0
                sig_t, sig_p = math.sqrt(1 - ab_t), math.sqrt(1 - ab_p)
                x = (sig_p / sig_t) * x - math.sqrt(ab_p) * math.expm1(-h) * d
                prev_h = h
            prev_x0 = x0
        else:
            raise ValueError(f"sampler '{sampler}': expected one of ddpm, ddim, dpmpp-2m")
    return x.clamp(-1, 1)
