"""JAX peer of the fused ILGPU Euler-Maruyama kernel with the whole loop under jit (lax.fori_loop; see common.py).

usage: python3 jax_em.py --n 1000000 --steps 1000 --dtype float64 --out result.json
The timed call is the second one (the first compiles).
"""
import argparse
import time

import common


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--model", choices=["mixture", "mlp"], default="mixture")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    import jax
    if a.dtype == "float64":
        jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    dtype = jnp.float64 if a.dtype == "float64" else jnp.float32
    means = jnp.asarray(common.means(), dtype=dtype)
    h = (common.T_EPS - common.T) / a.steps
    sched = jnp.asarray([(dt, beta, alpha, s2, common.T + i * h) for i, (dt, beta, alpha, s2) in enumerate(common.schedule(a.steps))],
                        dtype=dtype)  # steps x (dt, beta, alpha, sigma^2, t)
    wkey = jax.random.PRNGKey(3)
    keys = jax.random.split(wkey, 2 + common.MLP_LAYERS)
    freq = jax.random.normal(keys[0], (common.MLP_FREQUENCIES,), dtype)
    sizes = [2 + 2 * common.MLP_FREQUENCIES] + [common.MLP_WIDTH] * common.MLP_LAYERS
    layers = [(jax.random.uniform(k, (m, n), dtype, -1, 1) / m ** 0.5, jnp.zeros((n,), dtype))
              for k, m, n in zip(keys[1:], sizes[:-1], sizes[1:])]
    w_out = jax.random.uniform(keys[-1], (common.MLP_WIDTH, 2), dtype, -1, 1) / common.MLP_WIDTH ** 0.5

    def mlp_score(x, t, sigma):
        angle = freq * t
        emb = jnp.broadcast_to(jnp.concatenate([jnp.sin(angle), jnp.cos(angle)]), (x.shape[0], 2 * common.MLP_FREQUENCIES))
        hid = jnp.concatenate([x, emb], axis=1)
        for w, b in layers:
            hid = jax.nn.silu(hid @ w + b)
        return -(hid @ w_out) / sigma

    def score(x, alpha, sigma2):
        lam = alpha * alpha * common.VAR + sigma2
        diff = x[:, None, :] - alpha * means[None, :, :]
        logits = -0.5 * jnp.sum(diff * diff, axis=-1) / lam
        r = jax.nn.softmax(logits, axis=1)
        return -jnp.sum(r[:, :, None] * diff, axis=1) / lam

    @jax.jit
    def solve(x, key):
        def body(i, carry):
            x, key = carry
            dt, beta, alpha, sigma2 = sched[i, 0], sched[i, 1], sched[i, 2], sched[i, 3]
            s = mlp_score(x, sched[i, 4], jnp.sqrt(sigma2)) if a.model == "mlp" else score(x, alpha, sigma2)
            drift = -0.5 * beta * x - beta * s
            key, sub = jax.random.split(key)
            z = jax.random.normal(sub, x.shape, dtype)
            return x + drift * dt + jnp.sqrt(beta * jnp.abs(dt)) * z, key
        x, _ = jax.lax.fori_loop(0, sched.shape[0], body, (x, key))
        return x

    key = jax.random.PRNGKey(0)
    x = jax.random.normal(key, (a.n, 2), dtype)
    solve(x, key).block_until_ready()  # compile
    t0 = time.perf_counter()
    y = solve(x, jax.random.PRNGKey(1)).block_until_ready()
    seconds = time.perf_counter() - t0
    common.write(a.out, {
        "implementation": "jax-jit" + ("-mlp" if a.model == "mlp" else ""), "device": str(jax.devices()[0]), "jax": jax.__version__, "dtype": a.dtype,
        "particles": a.n, "steps": a.steps, "seconds": seconds, "particle_steps_per_second": a.n * a.steps / seconds,
        "mean_x0": float(y[:, 0].mean()), "mean_radius": float(jnp.mean(jnp.linalg.norm(y, axis=1))),
    })


if __name__ == "__main__":
    main()
