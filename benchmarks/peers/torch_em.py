"""Eager PyTorch peer of the fused ILGPU Euler-Maruyama kernel (see common.py for the algorithm).

usage: python3 torch_em.py --n 1000000 --steps 1000 --dtype float64 --device cuda --out result.json
"""
import argparse
import math
import time

import torch

import common

sched_times = []


def score(x, means, alpha, sigma2):
    # Exact score of the noised mixture: sum_k r_k (alpha mu_k - x) / lambda with lambda = alpha^2 var + sigma^2;
    # equal weights and variances make the log-normalisers equal, so they cancel in the softmax.
    lam = alpha * alpha * common.VAR + sigma2
    diff = x[:, None, :] - alpha * means[None, :, :]            # N x K x D
    logits = -0.5 * (diff * diff).sum(-1) / lam                  # N x K
    r = torch.softmax(logits, dim=1)
    return -(r[:, :, None] * diff).sum(1) / lam


class Mlp:
    """The MLP score of common.py in plain tensor operations (eager)."""

    def __init__(self, dtype, dev, generator):
        def uniform(rows, cols):
            bound = 1.0 / math.sqrt(rows)
            return (2 * torch.rand(rows, cols, dtype=dtype, device=dev, generator=generator) - 1) * bound
        self.freq = torch.randn(common.MLP_FREQUENCIES, dtype=dtype, device=dev, generator=generator)
        sizes = [2 + 2 * common.MLP_FREQUENCIES] + [common.MLP_WIDTH] * common.MLP_LAYERS
        self.layers = [(uniform(a, b), uniform(1, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        self.out = (uniform(common.MLP_WIDTH, 2), uniform(1, 2))

    def __call__(self, x, t, sigma):
        angle = self.freq * t
        emb = torch.cat([torch.sin(angle), torch.cos(angle)]).expand(x.shape[0], -1)
        h = torch.cat([x, emb], dim=1)
        for w, b in self.layers:
            h = torch.nn.functional.silu(h @ w + b)
        return -(h @ self.out[0] + self.out[1]) / sigma


def solve(x, means, sched, generator, mlp=None):
    for i, (dt, beta, alpha, sigma2) in enumerate(sched):
        s = score(x, means, alpha, sigma2) if mlp is None else mlp(x, sched_times[i], math.sqrt(sigma2))
        drift = -0.5 * beta * x - beta * s                        # f x - (1 + l^2)/2 g^2 s with l = 1
        z = torch.randn(x.shape, dtype=x.dtype, device=x.device, generator=generator)
        x = x + drift * dt + math.sqrt(beta * abs(dt)) * z
    return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--device", default="cuda")
    p.add_argument("--model", choices=["mixture", "mlp"], default="mixture")
    p.add_argument("--threads", type=int, default=0, help="CPU: torch.set_num_threads (0: torch's default)")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    dtype = getattr(torch, a.dtype)
    dev = torch.device(a.device)
    means = torch.tensor(common.means(), dtype=dtype, device=dev)
    sched = common.schedule(a.steps)
    h = (common.T_EPS - common.T) / a.steps
    sched_times.extend(common.T + i * h for i in range(a.steps))
    gen = torch.Generator(device=dev)
    gen.manual_seed(0)
    mlp = Mlp(dtype, dev, gen) if a.model == "mlp" else None
    solve(torch.randn(1024, 2, dtype=dtype, device=dev, generator=gen), means, sched[:5], gen, mlp)  # warm-up
    x = torch.randn(a.n, 2, dtype=dtype, device=dev, generator=gen)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    x = solve(x, means, sched, gen, mlp)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    common.write(a.out, {
        "implementation": "torch-eager" + ("-mlp" if mlp else ""), "device": torch.cuda.get_device_name() if dev.type == "cuda" else "cpu",
        "torch": torch.__version__, "threads": torch.get_num_threads(), "dtype": a.dtype, "particles": a.n, "steps": a.steps, "seconds": seconds,
        "particle_steps_per_second": a.n * a.steps / seconds, "mean_x0": float(x[:, 0].mean()),
        "mean_radius": float(x.norm(dim=1).mean()),
    })


if __name__ == "__main__":
    main()
