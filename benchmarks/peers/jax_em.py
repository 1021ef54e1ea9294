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
    p.add_argument("--out", required=True)
    a = p.parse_args()
    import jax
    if a.dtype == "float64":
        jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    dtype = jnp.float64 if a.dtype == "float64" else jnp.float32
    means = jnp.asarray(common.means(), dtype=dtype)
    sched = jnp.asarray(common.schedule(a.steps), dtype=dtype)  # steps x (dt, beta, alpha, sigma^2)

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
            drift = -0.5 * beta * x - beta * score(x, alpha, sigma2)
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
        "implementation": "jax-jit", "device": str(jax.devices()[0]), "jax": jax.__version__, "dtype": a.dtype,
        "particles": a.n, "steps": a.steps, "seconds": seconds, "particle_steps_per_second": a.n * a.steps / seconds,
        "mean_x0": float(y[:, 0].mean()), "mean_radius": float(jnp.mean(jnp.linalg.norm(y, axis=1))),
    })


if __name__ == "__main__":
    main()
