"""Shared definition of the peer benchmark (docs/gpu.md): the same algorithm as the fused ILGPU kernel.

Reverse SDE (l = 1) of the VP SDE with linear beta(t) = 0.1 + 19.9 t on [0, 1] (Song et al. 2021; 003 section 4.3.2),
exact score of the noised 8gaussians mixture (8 equal-weight isotropic components on the circle of radius 4/1.414,
std 0.5/1.414; 003 section 4.4), Euler-Maruyama on the uniform grid from T = 1 to t_eps = 1e-3 (004 section 10.1):
    x <- x + [f x - g^2 s(x, t)] dt + g sqrt(|dt|) z,  f = -beta/2, g^2 = beta,
prior N(0, I). The schedule scalars (beta, alpha_t, sigma_t^2) are computed on the host per step, as the C# solver does.
"""
import json
import math

RADIUS = 4.0 / 1.414
STD = 0.5 / 1.414
VAR = STD * STD
K = 8
BETA_MIN, BETA_MAX = 0.1, 20.0
T, T_EPS = 1.0, 1e-3


def means():
    return [[RADIUS * math.cos(k * math.pi / 4.0), RADIUS * math.sin(k * math.pi / 4.0)] for k in range(K)]


def schedule(steps):
    """Per step: (dt, beta(t), alpha(t), sigma^2(t)) at t = t_i of the uniform grid."""
    h = (T_EPS - T) / steps
    out = []
    for i in range(steps):
        t = T + i * h
        t_next = T_EPS if i == steps - 1 else T + (i + 1) * h
        beta = BETA_MIN + t * (BETA_MAX - BETA_MIN)
        big_b = t * (BETA_MIN + 0.5 * t * (BETA_MAX - BETA_MIN))
        out.append((t_next - t, beta, math.exp(-0.5 * big_b), -math.expm1(-big_b)))
    return out


def write(path, record):
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
    print(json.dumps(record))


# The MLP score of the -mlp variants (throughput only; random weights): Gaussian Fourier features of t with 16 frequencies
# (sin, cos), 3 hidden layers of width 128 with SiLU, epsilon output converted to a score s = -eps / sigma_t
# (as Diffusion.Research.Nn MlpScoreModel with its defaults; 001 eqs 37-38).
MLP_WIDTH, MLP_LAYERS, MLP_FREQUENCIES = 128, 3, 16
