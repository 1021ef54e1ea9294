#!/usr/bin/env python3
"""Golden outputs of the upstream reference samplers (issue 10), for tests/.../GoldenSamplerTests.cs.

Runs the upstream code itself, loaded from the mirrors of its repositories (never copied here):
  k-diffusion  (crowsonkb/k-diffusion, k_diffusion/sampling.py)
  dpm-solver   (LuChengTHU/dpm-solver, dpm_solver_pytorch.py)
  UniPC        (wl-zhao/UniPC, uni_pc.py)
  diffusers    (huggingface/diffusers, src/diffusers/schedulers/scheduling_pndm.py: PNDMScheduler,
                scheduling_ipndm.py: IPNDMScheduler, scheduling_deis_multistep.py: DEISMultistepScheduler)
  Restart      (Newbeeer/diffusion_restart_sampling, benchmarks/generate_restart.py: restart_sampler)
(dpm-solver also gives the adaptive DPM-Solver-12/23 cases, DPM_Solver.sample(method="adaptive"))
in float64 on the committed starting batch below, with the exact denoiser of a Gaussian mixture, and writes
tests/golden/samplers.json. Stochastic samplers get the normals of tests/golden/normals.json (written by the C#
test GoldenNormals from the framework's NoiseSource: step i uses stream i), so both sides see the same noise.

Usage: /usr/bin/python3 tests/golden/generate_samplers.py   (needs python3-torch, python3-scipy; the mirrors below)
"""
import contextlib
import inspect
import io
import json
import math
import os
import subprocess
import sys
import types

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
MIRRORS = {
    "crowsonkb/k-diffusion": "/work/.mirror/crowsonkb+k-diffusion/repo",
    "LuChengTHU/dpm-solver": "/work/.mirror/LuChengTHU+dpm-solver/repo",
    "wl-zhao/UniPC": "/work/.mirror/wl-zhao+UniPC/repo",
    "huggingface/diffusers": "/work/.mirror/huggingface+diffusers/repo",
    "Newbeeer/diffusion_restart_sampling": "/work/.mirror/Newbeeer+diffusion_restart_sampling/repo",
}


def upstream_source(repo, path):
    git = MIRRORS[repo]
    commit = subprocess.check_output(["git", "--git-dir", git, "rev-parse", "HEAD"], text=True).strip()
    text = subprocess.check_output(["git", "--git-dir", git, "show", f"{commit}:{path}"], text=True)
    return commit, text


def load_module(name, source, package=None):
    module = types.ModuleType(name)
    module.__package__ = package
    sys.modules[name] = module
    exec(compile(source, f"<upstream {name}>", "exec"), module.__dict__)
    return module


# k-diffusion's sampling.py imports modules unused by the samplers run here; shim them (no numerics in the shims).
def shim_k_diffusion():
    tqdm = types.ModuleType("tqdm.auto")
    tqdm.trange = lambda n, disable=None: range(n)
    tqdm.tqdm = lambda it, **_: it
    sys.modules.setdefault("tqdm", types.ModuleType("tqdm"))
    sys.modules["tqdm.auto"] = tqdm
    for name in ["torchdiffeq", "torchsde"]:
        m = types.ModuleType(name)
        m.odeint = None
        m.BrownianTree = None
        sys.modules[name] = m
    package = types.ModuleType("k_diffusion")
    package.__path__ = []
    sys.modules["k_diffusion"] = package
    utils = types.ModuleType("k_diffusion.utils")

    def append_dims(x, target_dims):  # broadcasting shape helper (our own one-liner)
        return x.reshape(tuple(x.shape) + (1,) * (target_dims - x.ndim))

    utils.append_dims = append_dims
    sys.modules["k_diffusion.utils"] = utils
    package.utils = utils


# scheduling_pndm.py imports diffusers' config and scheduler base classes; shim them (bookkeeping only, no numerics):
# register_to_config stores the constructor's arguments (with their defaults) as self.config.
def shim_diffusers():
    package = types.ModuleType("diffusers")
    package.__path__ = []
    sys.modules["diffusers"] = package
    schedulers = types.ModuleType("diffusers.schedulers")
    schedulers.__path__ = []
    sys.modules["diffusers.schedulers"] = schedulers
    config = types.ModuleType("diffusers.configuration_utils")

    class ConfigMixin:
        pass

    def register_to_config(init):
        def wrapped(self, *args, **kwargs):
            bound = inspect.signature(init).bind(self, *args, **kwargs)
            bound.apply_defaults()
            self.config = types.SimpleNamespace(**{k: v for k, v in bound.arguments.items() if k != "self"})
            init(self, *args, **kwargs)
        return wrapped

    config.ConfigMixin = ConfigMixin
    config.register_to_config = register_to_config
    sys.modules["diffusers.configuration_utils"] = config
    utils = types.ModuleType("diffusers.schedulers.scheduling_utils")

    class SchedulerOutput:
        def __init__(self, prev_sample):
            self.prev_sample = prev_sample

    utils.SchedulerOutput = SchedulerOutput
    utils.SchedulerMixin = type("SchedulerMixin", (), {})
    utils.KarrasDiffusionSchedulers = []
    sys.modules["diffusers.schedulers.scheduling_utils"] = utils


# The data: a three-component isotropic Gaussian mixture in 2-D at generic values (C#: GaussianMixture.Isotropic).
WEIGHTS = [0.5, 0.3, 0.2]
MEANS = [[1.2, -0.4], [-1.5, 0.8], [0.3, 2.1]]
VARIANCES = [0.09, 0.25, 0.04]


def denoiser(xhat, sigma):
    """Exact E[x0 | x0 + sigma z = xhat] of the mixture (posterior mean; 003 §3, Tweedie; Efron 2011; Karras et al. 2022,
    eq (3)), per row."""
    w = torch.tensor(WEIGHTS)
    mu = torch.tensor(MEANS)
    v = torch.tensor(VARIANCES)
    s2 = sigma.reshape(-1, 1) ** 2 if torch.is_tensor(sigma) else torch.full((xhat.shape[0], 1), float(sigma) ** 2)
    total = v.reshape(1, -1) + s2  # (n, K)
    diff = xhat.unsqueeze(1) - mu.unsqueeze(0)  # (n, K, d)
    d = xhat.shape[1]
    logp = torch.log(w).reshape(1, -1) - 0.5 * (diff ** 2).sum(-1) / total - 0.5 * d * torch.log(2 * math.pi * total)
    gamma = torch.softmax(logp, dim=1)  # responsibilities
    post = mu.unsqueeze(0) + (v.reshape(1, -1) / total).unsqueeze(-1) * diff  # component posterior means
    return (gamma.unsqueeze(-1) * post).sum(1)


# Starting batch (in the EDM scaled state x̂ = x/α_T) and kernels.
START = [[3.1, -7.4], [-12.0, 4.4], [0.5, 9.7], [8.8, 8.1], [-4.2, -10.3]]
VE_SIGMA_MIN, VE_SIGMA_MAX = 0.01, 10.0
VP_BETA_MIN, VP_BETA_MAX = 0.1, 20.0


def ve_sigma(t):  # 001 eq 67 (Song et al. 2021, eq (29)), as VeSde.Sigma
    return VE_SIGMA_MIN * math.sqrt(math.expm1(2 * t * math.log(VE_SIGMA_MAX / VE_SIGMA_MIN)))


def vp_sigma_hat(t):  # sigma_t/alpha_t of the linear VP SDE: sqrt(e^{B(t)} − 1), B = β0 t + (β1 − β0) t²/2
    return math.sqrt(math.expm1(VP_BETA_MIN * t + 0.5 * (VP_BETA_MAX - VP_BETA_MIN) * t * t))


def main():
    shim_k_diffusion()
    kd_commit, kd_source = upstream_source("crowsonkb/k-diffusion", "k_diffusion/sampling.py")
    kd = load_module("k_diffusion.sampling", kd_source, package="k_diffusion")
    dpm_commit, dpm_source = upstream_source("LuChengTHU/dpm-solver", "dpm_solver_pytorch.py")
    dpm = load_module("dpm_solver_pytorch", dpm_source)

    with open(os.path.join(HERE, "normals.json")) as f:
        normals = json.load(f)  # normals[step][particle][draw]

    class Noise:
        def __init__(self):
            self.step = 0

        def __call__(self, sigma, sigma_next):
            z = torch.tensor(normals["values"][self.step])
            self.step += 1
            return z

    cases = []
    x_start = torch.tensor(START)
    times = [1.0 - (1.0 - 0.05) * i / 8 for i in range(9)]  # 8 steps, uniform in t from 1 to 0.05

    def model(xhat, sigma):
        return denoiser(xhat, sigma)

    kd_runs = [
        ("dpmpp_2m", "dpmpp_2m", {}, False),
        ("dpmpp_3m_sde", "dpmpp_3m_sde", {"eta": 0.0}, False),
        ("dpmpp_2s_ancestral", "dpmpp_2s_ancestral", {"eta": 0.0}, False),
        ("dpm_2", "dpm_2", {}, False),
        ("lms", "lms", {"order": 4}, False),
        ("euler_ancestral", "euler_ancestral", {"eta": 0.7}, True),
        ("dpm_2_ancestral", "dpm_2_ancestral", {"eta": 1.0}, True),
        ("dpmpp_2s_ancestral_eta", "dpmpp_2s_ancestral", {"eta": 0.8}, True),
        ("dpmpp_2m_sde", "dpmpp_2m_sde", {"eta": 1.0, "solver_type": "midpoint"}, True),
        ("dpmpp_3m_sde_eta", "dpmpp_3m_sde", {"eta": 0.6}, True),
    ]
    for sde, sigma_of in [("ve", ve_sigma), ("vp", vp_sigma_hat)]:
        sigmas = torch.tensor([sigma_of(t) for t in times])
        x0 = x_start * sigmas[0] / 10.0  # typical for the start level
        for case, fn, kwargs, stochastic in kd_runs:
            f = getattr(kd, "sample_" + fn)
            # every sampler that takes a noise sampler gets ours (deterministic ones with eta = 0 never call it)
            extra = {"noise_sampler": Noise()} if "noise_sampler" in inspect.signature(f).parameters else {}
            out = f(model, x0.clone(), sigmas, disable=True, **kwargs, **extra)
            cases.append({"source": "k-diffusion", "function": "sample_" + fn, "case": case, "sde": sde, "kwargs": kwargs,
                          "times": times, "sigmas": sigmas.tolist(), "start_hat": x0.tolist(), "end_hat": out.tolist()})

    # dpm_solver_pytorch on the continuous linear VP schedule (its own alpha, sigma, lambda, inverse_lambda).
    ns = dpm.NoiseScheduleVP(schedule="linear", continuous_beta_0=VP_BETA_MIN, continuous_beta_1=VP_BETA_MAX)

    def x_start_model(x, t, **_):
        alpha = ns.marginal_alpha(t).reshape(-1, 1)
        sigma = ns.marginal_std(t).reshape(-1, 1)
        return denoiser(x / alpha, (sigma / alpha).reshape(-1))  # x0 prediction D(x/α; σ/α)

    model_fn = dpm.model_wrapper(x_start_model, ns, model_type="x_start", guidance_type="uncond")
    x_vp = torch.tensor(START) / 10.0
    dpm_runs = []
    for algorithm in ["dpmsolver", "dpmsolver++"]:
        for order in [1, 2, 3]:
            dpm_runs.append((algorithm, "multistep", order, "time_uniform", 8, True))
        dpm_runs.append((algorithm, "multistep", 2, "time_uniform", 12, True))   # >= 10 steps: no lower-order final
        dpm_runs.append((algorithm, "multistep", 3, "logSNR", 7, False))
        for order in [1, 2, 3]:
            dpm_runs.append((algorithm, "singlestep_fixed", order, "logSNR", 3 * order, False))
    for algorithm, method, order, skip, steps, lof in dpm_runs:
        solver = dpm.DPM_Solver(model_fn, ns, algorithm_type=algorithm)
        t_end = 1e-2
        if method == "multistep":
            grid = solver.get_time_steps(skip, 1.0, t_end, steps, "cpu")
        else:
            grid = solver.get_time_steps(skip, 1.0, t_end, steps // order, "cpu")
        out = solver.sample(x_vp.clone(), steps=steps, t_start=1.0, t_end=t_end, order=order, skip_type=skip, method=method,
                            lower_order_final=lof, solver_type="dpmsolver")
        cases.append({"source": "dpm-solver", "function": "DPM_Solver.sample", "case": f"{algorithm}-{method}-{order}-{skip}-{steps}",
                      "sde": "vp", "kwargs": {"algorithm_type": algorithm, "method": method, "order": order, "skip_type": skip,
                                              "steps": steps, "lower_order_final": lof, "solver_type": "dpmsolver"},
                      "times": grid.tolist(), "start": x_vp.tolist(), "end": out.tolist()})

    # dpm_solver_pytorch's adaptive DPM-Solver-12/23 (Lu et al. 2022 Alg. 4/5), at its defaults (h_init 0.05, theta 0.9,
    # t_err 1e-5) and two tolerance pairs. Its step proposal is rounded to float32 (.float()); our float32_step=1 does the same.
    for algorithm in ["dpmsolver", "dpmsolver++"]:
        for order in [2, 3]:
            for atol, rtol in [(0.0078, 0.05), (1e-4, 1e-4)]:
                solver = dpm.DPM_Solver(model_fn, ns, algorithm_type=algorithm)
                with contextlib.redirect_stdout(io.StringIO()):  # it prints its NFE
                    out = solver.sample(x_vp.clone(), steps=20, t_start=1.0, t_end=1e-2, order=order, method="adaptive", atol=atol, rtol=rtol,
                                        solver_type="dpmsolver")
                cases.append({"source": "dpm-solver", "function": "DPM_Solver.sample", "case": f"{algorithm}-adaptive-{order}-{atol}-{rtol}",
                              "sde": "vp", "kwargs": {"algorithm_type": algorithm, "method": "adaptive", "order": order, "atol": atol, "rtol": rtol,
                                                      "solver_type": "dpmsolver"},
                              "times": [1.0, 1e-2], "start": x_vp.tolist(), "end": out.tolist()})

    # UniPC's own implementation (same NoiseScheduleVP conventions as dpm_solver_pytorch).
    unipc_commit, unipc_source = upstream_source("wl-zhao/UniPC", "uni_pc.py")
    up = load_module("uni_pc", unipc_source)
    ns_u = up.NoiseScheduleVP(schedule="linear", continuous_beta_0=VP_BETA_MIN, continuous_beta_1=VP_BETA_MAX)

    # uni_pc.py's model_wrapper broadcasts alpha_t of shape (batch,) against x for x_start models, which fails for
    # (batch, dim) data, so this model returns the noise prediction eps = (x − α D(x/α; σ/α))/σ itself.
    # Its updates also contract image-shaped (batch, c, h, w) tensors, so the 2-D points travel as (batch, 2, 1, 1).
    def noise_model_u(x4, t, **_):
        x = x4.reshape(x4.shape[0], -1)
        alpha = ns_u.marginal_alpha(t).reshape(-1, 1)
        sigma = ns_u.marginal_std(t).reshape(-1, 1)
        return ((x - alpha * denoiser(x / alpha, (sigma / alpha).reshape(-1))) / sigma).reshape(x4.shape)

    model_fn_u = up.model_wrapper(noise_model_u, ns_u, model_type="noise", guidance_type="uncond")
    unipc_runs = []
    for variant in ["bh1", "bh2"]:
        for algorithm in ["data_prediction", "noise_prediction"]:
            for order in [1, 2, 3]:
                unipc_runs.append((variant, algorithm, order, "time_uniform", 8, True))
            unipc_runs.append((variant, algorithm, 3, "logSNR", 6, False))
    for variant, algorithm, order, skip, steps, lof in unipc_runs:
        solver = up.UniPC(model_fn_u, ns_u, algorithm_type=algorithm, variant=variant)
        grid = solver.get_time_steps(skip, 1.0, 1e-2, steps, "cpu")
        with contextlib.redirect_stdout(io.StringIO()):  # uni_pc.py prints in every step
            out = solver.sample(x_vp.clone().reshape(5, 2, 1, 1), steps=steps, t_start=1.0, t_end=1e-2, order=order, skip_type=skip, method="multistep",
                                lower_order_final=lof)
        cases.append({"source": "UniPC", "function": "UniPC.sample", "case": f"{variant}-{algorithm}-{order}-{skip}-{steps}-{lof}",
                      "sde": "vp", "kwargs": {"variant": variant, "algorithm_type": algorithm, "order": order, "skip_type": skip,
                                              "steps": steps, "lower_order_final": lof},
                      "times": grid.tolist(), "start": x_vp.tolist(), "end": out.reshape(5, 2).tolist()})

    # diffusers' PNDMScheduler (Liu et al. 2022 PRK start + PLMS). Its table alphas_cumprod[k] is replaced by the continuous
    # linear VP value alpha(t_k)^2 at t_k = (k + 1)/1000 (float64; the C# side uses VpSde.Linear() on the grid of these t_k),
    # and the model is the exact noise prediction at t_k. 20 inference steps, leading spacing: PRK 950 -> 900 -> 850 -> 800
    # (midpoints 925, 875, 825), then PLMS 800 -> 750 -> ... -> 0. diffusers' own timestep list follows the PRK phase with
    # 850, 800, ... (its first PLMS step evaluates the model at 850 on the sample already at 800 and transfers it 850 -> 800
    # again; docs/errata.md), so the step function is driven here with the consistent list; the last PLMS step 0 -> -50
    # (alpha_prod_prev = alphas_cumprod[0] with set_alpha_to_one=False, a step of length zero) is left out.
    shim_diffusers()
    pndm_commit, pndm_source = upstream_source("huggingface/diffusers", "src/diffusers/schedulers/scheduling_pndm.py")
    pndm = load_module("diffusers.schedulers.scheduling_pndm", pndm_source, package="diffusers.schedulers")

    def vp_alpha_bar(t):  # alpha_t^2 of the linear VP SDE: exp(−B(t))
        return math.exp(-(VP_BETA_MIN * t + 0.5 * (VP_BETA_MAX - VP_BETA_MIN) * t * t))

    for n_inference in [20, 10]:
        sched = pndm.PNDMScheduler(num_train_timesteps=1000, skip_prk_steps=False, set_alpha_to_one=False, steps_offset=0,
                                   timestep_spacing="leading")
        sched.set_timesteps(n_inference)
        sched.alphas_cumprod = torch.tensor([vp_alpha_bar((k + 1) / 1000) for k in range(1000)], dtype=torch.float64)
        ratio = 1000 // n_inference
        plms = list(range(1000 - 4 * ratio, 0, -ratio))
        steps_list = [int(v) for v in sched.prk_timesteps] + plms
        sample = x_vp.clone()
        for ts in steps_list:
            t = (ts + 1) / 1000
            ab = vp_alpha_bar(t)
            alpha, sigma = math.sqrt(ab), math.sqrt(1 - ab)
            eps = (sample - alpha * denoiser(sample / alpha, torch.full((5,), sigma / alpha))) / sigma
            sample = sched.step(eps, ts, sample).prev_sample
        grid = [(ts + 1) / 1000 for ts in range(1000 - ratio, -1, -ratio)]
        cases.append({"source": "diffusers", "function": "PNDMScheduler.step", "case": f"pndm-{n_inference}", "sde": "vp",
                      "kwargs": {"num_inference_steps": n_inference, "skip_prk_steps": False, "timestep_spacing": "leading",
                                 "timesteps": steps_list},
                      "times": grid, "start": x_vp.tolist(), "end": sample.tolist()})

    # diffusers' IPNDMScheduler (iPNDM, Zhang & Chen 2022: Adams-Bashforth 1-4 warm-up on eps, then the DDIM transfer).
    # It is written for the v-prediction cosine schedule (its table `betas` holds sigma_t, `alphas` alpha_t, with
    # alpha^2 + sigma^2 = 1); both tables are replaced after set_timesteps by the linear VP alpha(t_k), sigma(t_k) in float64
    # on a time-uniform grid 1 -> 1e-2, its timestep list by the step indices 0..n-1, and the model output is the v of the
    # exact noise prediction, v = (eps − sigma x)/alpha, so that its ets = sigma x + alpha v is eps.
    ipndm_commit, ipndm_source = upstream_source("huggingface/diffusers", "src/diffusers/schedulers/scheduling_ipndm.py")
    assert ipndm_commit == pndm_commit
    ipndm = load_module("diffusers.schedulers.scheduling_ipndm", ipndm_source, package="diffusers.schedulers")
    for n_inference in [10, 6]:
        sched = ipndm.IPNDMScheduler(num_train_timesteps=1000)
        sched.set_timesteps(n_inference)
        grid = [1.0 + (1e-2 - 1.0) * k / n_inference for k in range(n_inference + 1)]
        b = [VP_BETA_MIN * t + 0.5 * (VP_BETA_MAX - VP_BETA_MIN) * t * t for t in grid]
        sched.alphas = torch.tensor([math.exp(-0.5 * v) for v in b], dtype=torch.float64)
        sched.betas = torch.tensor([math.sqrt(-math.expm1(-v)) for v in b], dtype=torch.float64)
        sched.timesteps = torch.arange(n_inference, dtype=torch.float64)
        sample = x_vp.clone()
        for k in range(n_inference):
            alpha, sigma = float(sched.alphas[k]), float(sched.betas[k])
            eps = (sample - alpha * denoiser(sample / alpha, torch.full((5,), sigma / alpha))) / sigma
            v = (eps - sigma * sample) / alpha
            sample = sched.step(v, sched.timesteps[k], sample).prev_sample
        cases.append({"source": "diffusers", "function": "IPNDMScheduler.step", "case": f"ipndm-{n_inference}", "sde": "vp",
                      "kwargs": {"num_inference_steps": n_inference, "order": 4},
                      "times": grid, "start": x_vp.tolist(), "end": sample.tolist()})

    # diffusers' DEISMultistepScheduler: the "log-rho" DEIS (eps interpolated by Lagrange polynomials in log rho, integrated
    # in rho, rho = sigma/alpha), which is not our tAB `deis`; ours is `deis_logrho`. After set_timesteps its sigma table
    # (rho) is replaced by the linear VP rho(t_k) in float64 on a time-uniform grid 1 -> 1e-2 and its timestep list by the step
    # indices 0..n-1; the model output is the exact noise prediction. lower_order_final applies below 15 steps only.
    # scheduling_deis_multistep.py also imports diffusers.utils (deprecate, is_scipy_available): shimmed, no numerics.
    dutils = types.ModuleType("diffusers.utils")
    dutils.deprecate = lambda *args, **kwargs: None
    dutils.is_scipy_available = lambda: False
    sys.modules["diffusers.utils"] = dutils
    deis_commit, deis_source = upstream_source("huggingface/diffusers", "src/diffusers/schedulers/scheduling_deis_multistep.py")
    assert deis_commit == pndm_commit
    deis = load_module("diffusers.schedulers.scheduling_deis_multistep", deis_source, package="diffusers.schedulers")
    for n_inference, order, lof in [(10, 3, True), (6, 2, True), (10, 3, False)]:
        sched = deis.DEISMultistepScheduler(num_train_timesteps=1000, solver_order=order, lower_order_final=lof)
        sched.set_timesteps(n_inference)
        grid = [1.0 + (1e-2 - 1.0) * k / n_inference for k in range(n_inference + 1)]
        sched.sigmas = torch.tensor([vp_sigma_hat(t) for t in grid], dtype=torch.float64)
        sched.timesteps = torch.arange(n_inference, dtype=torch.float64)
        sample = x_vp.clone()
        for k in range(n_inference):
            t = grid[k]
            ab = vp_alpha_bar(t)
            alpha, sigma = math.sqrt(ab), math.sqrt(1 - ab)
            eps = (sample - alpha * denoiser(sample / alpha, torch.full((5,), sigma / alpha))) / sigma
            sample = sched.step(eps, sched.timesteps[k], sample).prev_sample
        cases.append({"source": "diffusers", "function": "DEISMultistepScheduler.step", "case": f"deis-logrho-{order}-{n_inference}-{lof}",
                      "sde": "vp", "kwargs": {"num_inference_steps": n_inference, "order": order, "lower_order_final": lof},
                      "times": grid, "start": x_vp.tolist(), "end": sample.tolist()})

    # The authors' Restart sampler (Newbeeer/diffusion_restart_sampling, benchmarks/generate_restart.py: restart_sampler),
    # VE (alpha = 1, sigma-hat = sigma). Its module-level imports (click, tqdm, PIL, dnnlib, torch_utils, torchvision) are
    # shimmed with inert stand-ins (no numerics; dist.print0 prints nothing). Two deliberate interventions, both recorded
    # in docs/errata.md: (1) its get_steps builds the restart levels from arange(dtype=torch.float), i.e. in float32;
    # the module's `torch` is replaced by a proxy whose torch.float is float64 (everything else is torch itself);
    # (2) its main grid always ends at sigma = 0 with an Euler last step, whose result is the denoiser at the last level,
    # D(x, sigma_{N-1}); the C# side runs our `restart` on the grid without the 0 and applies D (case flag final_denoise).
    # The restart interval: t_min the main level with index 2 (ours: sigma_min just above it), 2 restarts, 4 levels
    # (3 Heun steps) up to sigma = 1. randn_like returns, per call, our NoiseSource normals for the forward jumps
    # (stream i + k n, i the step landing at t_min, n the main steps) and for the zero-weighted churn draws any value
    # (they are multiplied by sqrt(t_hat^2 - t^2) = 0).
    class _Inert:
        def __call__(self, *args, **kwargs):
            return args[0] if len(args) == 1 and callable(args[0]) and not kwargs else _Inert()

        def __getattr__(self, name):
            return _Inert()

    for name in ["click", "tqdm", "PIL", "PIL.Image", "dnnlib", "torch_utils", "torch_utils.distributed", "torch_utils.misc",
                 "torchvision", "torchvision.utils"]:
        module = types.ModuleType(name)
        module.__getattr__ = lambda attribute: _Inert()
        module.__path__ = []
        sys.modules[name] = module
    sys.modules["torch_utils"].distributed = sys.modules["torch_utils.distributed"]
    sys.modules["torch_utils"].misc = sys.modules["torch_utils.misc"]
    sys.modules["torch_utils.distributed"].print0 = lambda *args, **kwargs: None
    restart_commit, restart_source = upstream_source("Newbeeer/diffusion_restart_sampling", "benchmarks/generate_restart.py")
    restart = load_module("generate_restart", restart_source)

    class Float64Torch:
        float = torch.float64

        def __getattr__(self, name):
            return getattr(torch, name)

    restart.torch = Float64Torch()

    class VeNet:
        sigma_min, sigma_max, img_channels, img_resolution = 0.0, float("inf"), 1, 1

        def round_sigma(self, sigma):
            return torch.as_tensor(sigma)

        def __call__(self, x, sigma, class_labels=None):
            return denoiser(x, torch.full((x.shape[0],), float(sigma), dtype=torch.float64))

    n_main, k_restarts, restart_levels, restart_top = 4, 2, 4, 1.0
    main_max, main_min, rho = 8.0, 0.05, 7.0
    levels = [(main_max ** (1 / rho) + k / n_main * (main_min ** (1 / rho) - main_max ** (1 / rho))) ** rho for k in range(n_main + 1)]
    idx = 2
    t_min_level = (torch.tensor(main_max, dtype=torch.float64) ** (1 / rho) + torch.arange(n_main + 1, dtype=torch.float64)[idx] / n_main
                   * (main_min ** (1 / rho) - main_max ** (1 / rho))) ** rho
    for case_id in ["restart-ve"]:
        latents = torch.tensor(START, dtype=torch.float64) / 10.0
        calls = []
        for i in range(n_main):
            calls.append(None)
            if i + 1 == idx:
                for k in range(k_restarts):
                    calls.append(i + k * n_main)
                    calls.extend([None] * (restart_levels - 1))
        calls.extend([None] * 4)

        def randn_like(x, _calls=iter(calls)):
            stream = next(_calls)
            return torch.tensor(normals["values"][stream if stream is not None else 0], dtype=torch.float64)

        restart_info = json.dumps({"0": [restart_levels, k_restarts, float(t_min_level), restart_top]})
        out = restart.restart_sampler(VeNet(), latents, randn_like=randn_like, num_steps=n_main + 1, sigma_min=main_min,
                                      sigma_max=main_max, rho=rho, S_noise=1.0, restart_info=restart_info)
        start = latents * torch.tensor(levels[0], dtype=torch.float64)
        l_ve = math.log(VE_SIGMA_MAX / VE_SIGMA_MIN)
        times = [math.log1p((v / VE_SIGMA_MIN) ** 2) / (2 * l_ve) for v in levels]  # inverse of ve_sigma
        cases.append({"source": "restart", "function": "restart_sampler", "case": case_id, "sde": "ve",
                      "kwargs": {"sigma_min": float(t_min_level) * (1 + 1e-9), "sigma_max": restart_top, "restarts": k_restarts,
                                 "restart_steps": restart_levels - 1, "final_denoise": True, "levels": levels},
                      "times": times, "start": start.tolist(), "end": out.tolist()})

    golden = {
        "upstream": {"crowsonkb/k-diffusion": kd_commit, "LuChengTHU/dpm-solver": dpm_commit, "wl-zhao/UniPC": unipc_commit,
                     "huggingface/diffusers": pndm_commit, "Newbeeer/diffusion_restart_sampling": restart_commit,
                     "torch": torch.__version__},
        "mixture": {"weights": WEIGHTS, "means": MEANS, "variances": VARIANCES},
        "ve": {"sigma_min": VE_SIGMA_MIN, "sigma_max": VE_SIGMA_MAX},
        "vp": {"beta_min": VP_BETA_MIN, "beta_max": VP_BETA_MAX},
        "normals_seed": normals["seed"],
        "cases": cases,
    }
    with open(os.path.join(HERE, "samplers.json"), "w") as f:
        json.dump(golden, f, indent=1)
    print(f"{len(cases)} cases written")


if __name__ == "__main__":
    main()
