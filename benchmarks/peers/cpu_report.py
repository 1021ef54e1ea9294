"""Prints the CPU comparison table (Markdown) from the JSON records of cpu-compare.sh.

usage: python3 cpu_report.py DIR
"""
import glob
import json
import os
import platform
import subprocess
import sys
import time


def load(d):
    records = []
    for path in sorted(glob.glob(os.path.join(d, "*.json"))):
        with open(path) as f:
            records.append(json.load(f))
    return records


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def dotnet_version():
    try:
        return subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "n/a"


def main():
    records = load(sys.argv[1])
    ours = {(r["solver"], r["threads"]): r for r in records if r["implementation"] == "diffusion-research"}
    torch = [r for r in records if r["implementation"] == "torch-eager"]
    numpy = [r for r in records if r["implementation"] == "numpy"]
    best_torch = max(torch, key=lambda r: r["particle_steps_per_second"]) if torch else None
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {cpu_model()}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f} at the end; .NET SDK {dotnet_version()}"
          + (f", PyTorch {best_torch['torch']}" if best_torch else ", PyTorch not installed")
          + (f", NumPy {numpy[0]['numpy']}" if numpy else "") + ".")
    any_record = next(iter(ours.values()), None)
    if any_record:
        print(f"\nN = {any_record['particles']:,} particles, D = 2, {any_record['steps']} steps, float64 "
              "(8gaussians, exact score, linear VP SDE; benchmarks/peers/common.py).\n")
    print("| implementation | method | threads | particle-steps/s | score evaluations/s | solver overhead on the score | vs eager PyTorch EM (best threads) |")
    print("|---|---|---|---|---|---|---|")
    for (solver, threads), r in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        drift = ours.get(("drift", threads))
        overhead = "" if solver == "drift" or not drift else \
            f"{drift['score_evaluations_per_second'] / r['score_evaluations_per_second'] - 1:+.1%}"
        ratio = f"{r['particle_steps_per_second'] / best_torch['particle_steps_per_second']:.1f}x" if best_torch and solver == "em" else ""
        label = "score + drift only" if solver == "drift" else solver
        print(f"| Diffusion.Research | {label} | {threads} | {r['particle_steps_per_second'] / 1e6:.1f} M | "
              f"{r['score_evaluations_per_second'] / 1e6:.1f} M | {overhead} | {ratio} |")
    for r in torch + numpy:
        threads = r.get("threads", 1)
        ratio = f"{r['particle_steps_per_second'] / best_torch['particle_steps_per_second']:.2f}x" if best_torch else ""
        print(f"| {r['implementation']} | em | {threads} | {r['particle_steps_per_second'] / 1e6:.2f} M | "
              f"{r['particle_steps_per_second'] / 1e6:.2f} M |  | {ratio} |")


if __name__ == "__main__":
    main()
