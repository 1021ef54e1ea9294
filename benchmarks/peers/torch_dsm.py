"""Eager PyTorch CPU peer of one DSM training step (tests/Diffusion.Research.Benchmarks/Throughput/TrainingRate.cs).

The same problem as the C# train-rate harness, written as a researcher would write it in PyTorch: float64, batch 512,
D = 2 data from a two-component isotropic Gaussian mixture (weights 0.5/0.5, means +-(1, 1), variance 0.1), VP SDE with
linear beta(t) = 0.1 + 19.9 t (Song et al. 2021; 003 section 4.3.2), t ~ U[1e-5, 1], x_t = alpha_t x0 + sigma_t eps
(003 Lemma 4.4.1), an MLP on [x_t, Gaussian Fourier features of t (16 frequencies, sin and cos)] with 3 hidden layers of
width 128 and SiLU and an epsilon output, the DSM loss with lambda(t) = sigma_t^2 (000 DSM; 002 eq 3), which for an
epsilon-output network is 1/2 |eps_theta - eps|^2 averaged over the batch, and torch.optim.Adam (lr 1e-3).
Each step: sample, forward, backward, Adam, as the C# TrainingSession.Step.

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_dsm.py --threads 1 [--repeats 15 --steps 20]
prints: RESULT threads=1 best_s=... median_s=... flops=...   (seconds per step; flops per step as the C# harness counts)
"""
import argparse
import math
import os
import sys
import time

BATCH, DIM, WIDTH, LAYERS, FREQUENCIES = 512, 2, 128, 3, 16


def flops_per_step():
    """GEMMs 2mnk (forward, dW every layer, dX every layer but the first) + nominal elementwise, as TrainingRate.cs."""
    inputs = DIM + 2 * FREQUENCIES
    per_row = inputs * WIDTH + (LAYERS - 1) * WIDTH * WIDTH + WIDTH * DIM
    forward = 2.0 * BATCH * per_row
    input_gradients = 2.0 * BATCH * ((LAYERS - 1) * WIDTH * WIDTH + WIDTH * DIM)
    hidden = BATCH * WIDTH * LAYERS
    parameters = inputs * WIDTH + WIDTH + (LAYERS - 1) * (WIDTH * WIDTH + WIDTH) + WIDTH * DIM + DIM
    elementwise = hidden * 16 + BATCH * DIM * 2.0 + 13 * parameters
    return 2 * forward + input_gradients + elementwise


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import torch  # after the environment: OpenBLAS reads its thread count when it loads

    torch.set_num_threads(args.threads)
    dtype = torch.float64
    torch.manual_seed(0)
    means = torch.tensor([[1.0, 1.0], [-1.0, -1.0]], dtype=dtype)
    std = math.sqrt(0.1)
    beta_min, beta_max, t_eps = 0.1, 20.0, 1e-5
    frequencies = 2 * math.pi * torch.randn(FREQUENCIES, dtype=dtype)

    model = torch.nn.Sequential(
        torch.nn.Linear(DIM + 2 * FREQUENCIES, WIDTH), torch.nn.SiLU(),
        torch.nn.Linear(WIDTH, WIDTH), torch.nn.SiLU(),
        torch.nn.Linear(WIDTH, WIDTH), torch.nn.SiLU(),
        torch.nn.Linear(WIDTH, DIM)).to(dtype)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        component = torch.randint(0, 2, (BATCH,))
        x0 = means[component] + std * torch.randn(BATCH, DIM, dtype=dtype)
        t = t_eps + (1 - t_eps) * torch.rand(BATCH, 1, dtype=dtype)
        big_b = t * (beta_min + 0.5 * t * (beta_max - beta_min))
        alpha = torch.exp(-0.5 * big_b)
        sigma = torch.sqrt(-torch.expm1(-big_b))
        eps = torch.randn(BATCH, DIM, dtype=dtype)
        xt = alpha * x0 + sigma * eps
        angle = t * frequencies
        features = torch.cat([xt, torch.sin(angle), torch.cos(angle)], dim=1)
        loss = 0.5 * ((model(features) - eps) ** 2).sum(dim=1).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        return loss.item()

    for _ in range(30):
        step()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        times.append((time.perf_counter() - start) / args.steps)
    times.sort()
    best, median = times[0], times[len(times) // 2]
    flops = flops_per_step()
    print(f"torch {torch.__version__} ({'MKL' if torch.backends.mkl.is_available() else 'no MKL'}), threads = {args.threads}: "
          f"best {best * 1e3:.3f} ms ({1 / best:.0f} steps/s, {flops / best / 1e9:.1f} GFLOP/s); median {median * 1e3:.3f} ms")
    print(f"RESULT threads={args.threads} best_s={best!r} median_s={median!r} flops={flops!r}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
