#!/usr/bin/env python3
"""Golden outputs of dpm-solver's discrete noise schedule (LuChengTHU/dpm-solver, dpm_solver_pytorch.py:
NoiseScheduleVP('discrete', betas=...)), for tests/.../DiscreteScheduleGoldenTests.cs: alpha_t and sigma_t at times in
[1/N, 1] (the knots t_i = (i + 1)/N and times between them) for a few beta arrays, in float64. The betas are written
with the values, so the C# test builds its schedule from exactly these betas.

Upstream (as of the mirror's commit) clips the half-log-SNR at -5.1 (NoiseScheduleVP.numerical_clip_alpha): it drops
the last steps whose lambda lies below and spaces t over the steps kept, so for a schedule that reaches lambda < -5.1
(the squared cosine) its time axis differs from the framework's, which keeps all N steps unless the SDE kind is given
clip_lambda. The file records how many steps upstream kept ("kept"); the test compares the unclipped cases with the
framework's defaults and the cosine case with clip_lambda: -5.1.

Usage: /usr/bin/python3 tests/golden/generate_discrete_schedules.py   (needs python3-torch and the dpm-solver mirror)
"""
import json
import math
import os
import subprocess
import sys
import types

import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
MIRROR = "/work/.mirror/LuChengTHU+dpm-solver/repo"


def upstream():
    commit = subprocess.check_output(["git", "--git-dir", MIRROR, "rev-parse", "HEAD"], text=True).strip()
    text = subprocess.check_output(["git", "--git-dir", MIRROR, "show", f"{commit}:dpm_solver_pytorch.py"], text=True)
    module = types.ModuleType("dpm_solver_pytorch")
    sys.modules["dpm_solver_pytorch"] = module
    exec(compile(text, "<upstream dpm_solver_pytorch>", "exec"), module.__dict__)
    return commit, module


def linear(n, start, end):
    return [start + (end - start) * i / (n - 1) for i in range(n)]


def scaled_linear(n, start, end):
    a, b = math.sqrt(start), math.sqrt(end)
    return [(a + (b - a) * i / (n - 1)) ** 2 for i in range(n)]


def squared_cosine(n, s=0.008, max_beta=0.999):
    f = lambda i: math.cos((i / n + s) / (1 + s) * math.pi / 2) ** 2
    return [min(1 - f(i + 1) / f(i), max_beta) for i in range(n)]


def main():
    commit, dpm = upstream()
    cases = {
        "linear-1000": linear(1000, 1e-4, 0.02),
        "linear-37": linear(37, 3e-4, 0.037),
        "scaled-linear-1000": scaled_linear(1000, 0.00085, 0.012),
        "scaled-linear-41": scaled_linear(41, 0.00085, 0.052),
        "squared-cosine-1000": squared_cosine(1000),
    }
    out = {"source": f"LuChengTHU/dpm-solver@{commit} dpm_solver_pytorch.py NoiseScheduleVP('discrete', betas=...)", "cases": {}}
    for name, betas in cases.items():
        n = len(betas)
        ns = dpm.NoiseScheduleVP("discrete", betas=torch.tensor(betas, dtype=torch.float64), dtype=torch.float64)
        kept = ns.total_N
        times = [(i + 1) / n for i in (0, 1, n // 3, n // 2, n - 2, n - 1)]
        times += [1 / n + f * (1 - 1 / n) for f in (0.0137, 0.2113, 0.5, 0.71, 0.9377, 0.999)]
        t = torch.tensor(times, dtype=torch.float64)
        out["cases"][name] = {
            "betas": betas,
            "kept": kept,
            "times": times,
            "alpha": ns.marginal_alpha(t).tolist(),
            "sigma": ns.marginal_std(t).tolist(),
        }
    with open(os.path.join(HERE, "discrete-schedules.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print({k: v["kept"] for k, v in out["cases"].items()})


if __name__ == "__main__":
    main()
