"""NumPy peer of the exact-score Euler-Maruyama benchmark (see common.py for the algorithm), written as a researcher
would: vectorised over particles, float64, numpy.random.Generator normals.

usage: python3 numpy_em.py --n 100000 --steps 1000 --out result.json
"""
import argparse
import time

import numpy as np

import common


def score(x, means, alpha, sigma2):
    # Exact score of the noised mixture (equal weights and variances: the log-normalisers cancel in the softmax).
    lam = alpha * alpha * common.VAR + sigma2
    diff = x[:, None, :] - alpha * means[None, :, :]           # N x K x D
    logits = -0.5 * (diff * diff).sum(-1) / lam                 # N x K
    logits -= logits.max(axis=1, keepdims=True)
    r = np.exp(logits)
    r /= r.sum(axis=1, keepdims=True)
    return -(r[:, :, None] * diff).sum(1) / lam


def solve(x, means, sched, rng):
    for dt, beta, alpha, sigma2 in sched:
        drift = -0.5 * beta * x - beta * score(x, means, alpha, sigma2)   # f x - g^2 s (reverse SDE, l = 1)
        x = x + drift * dt + np.sqrt(beta * abs(dt)) * rng.standard_normal(x.shape)
    return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    means = np.array(common.means())
    sched = common.schedule(a.steps)
    rng = np.random.default_rng(0)
    solve(rng.standard_normal((1024, 2)), means, sched[:5], rng)  # warm-up
    x = rng.standard_normal((a.n, 2))
    t0 = time.perf_counter()
    x = solve(x, means, sched, rng)
    seconds = time.perf_counter() - t0
    common.write(a.out, {
        "implementation": "numpy", "device": "cpu", "numpy": np.__version__, "dtype": "float64", "particles": a.n,
        "steps": a.steps, "seconds": seconds, "particle_steps_per_second": a.n * a.steps / seconds,
        "mean_x0": float(x[:, 0].mean()), "mean_radius": float(np.linalg.norm(x, axis=1).mean()),
    })


if __name__ == "__main__":
    main()
