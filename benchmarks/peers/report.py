"""Merges the device check's parts into OUTDIR/gpu-check.json and OUTDIR/gpu-check.md.

usage: python3 report.py PARTS_DIR OUTDIR
PARTS_DIR holds dotnet.json (the ILGPU program), peer-*.json (torch_em.py, jax_em.py) and, when the check carried one,
baseline/dotnet.json (the ILGPU program of an earlier commit, benchmark only: scripts/gpu-check.sh --publish --baseline
REV); missing or failed parts are reported as such. The float64 vector peak used for the flop fraction: 34 TFLOP/s for H100 SXM and H200 (NVIDIA H100
Tensor Core GPU datasheet, "FP64 34 teraFLOPS" SXM / 26 PCIe; NVIDIA H200 datasheet, "FP64 34 TFLOPS").
"""
import glob
import json
import os
import sys

PEAKS = [("H200", 34e12, "NVIDIA H200 datasheet: FP64 34 TFLOPS"),
         ("H100 PCIe", 26e12, "NVIDIA H100 datasheet: FP64 26 TFLOPS (PCIe)"),
         ("H100", 34e12, "NVIDIA H100 datasheet: FP64 34 TFLOPS (SXM)")]


def peak(device):
    for name, value, source in PEAKS:
        if name in (device or ""):
            return value, source
    return None, "unknown device: no peak on record"


def main():
    parts, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    dotnet = {}
    path = os.path.join(parts, "dotnet.json")
    if os.path.exists(path):
        with open(path) as f:
            dotnet = json.load(f)
    peers = []
    for p in sorted(glob.glob(os.path.join(parts, "peer-*.json"))):
        with open(p) as f:
            peers.append(json.load(f))
    failed = []
    for p in sorted(glob.glob(os.path.join(parts, "peer-*.failed"))):
        with open(p) as f:
            failed.append({"part": os.path.basename(p)[:-7], "log_tail": f.read()[-2000:]})
    fp64_peak, peak_source = peak(dotnet.get("device"))
    rows = []
    for b in dotnet.get("bench", []):
        rows.append(dict(b))
    rows.extend(peers)
    # The baseline commit's ILGPU rows, renamed so that they are never taken as this tree's.
    baseline_rev = None
    bpath = os.path.join(parts, "baseline", "dotnet.json")
    if os.path.exists(bpath):
        with open(bpath) as f:
            baseline = json.load(f)
        rpath = os.path.join(parts, "baseline", "BASELINE")
        baseline_rev = open(rpath).read().strip() if os.path.exists(rpath) else "baseline"
        for b in baseline.get("bench", []):
            r = dict(b)
            r["implementation"] = f"baseline {baseline_rev}: {b['implementation']}"
            rows.append(r)
    def family(r):
        name = r.get("implementation", "")
        return "mlp" if name.endswith("-mlp") or "-mlp-" in name else "mixture"
    # Speed-ups are taken against the device-resident ILGPU rows (particles already on the GPU, as in the peers), not
    # the -host rows that also copy the particles to the device and back.
    # (-general rows time the score's general path for comparison with the default one; they are no reference either.)
    ours = {(family(r), r["particles"]): r for r in dotnet.get("bench", []) if r["implementation"] in ("ilgpu-fused", "ilgpu-fused-mlp")}
    for r in rows:
        mine = ours.get((family(r), r["particles"]))
        if mine and not r.get("implementation", "").startswith(("ilgpu", "baseline")):
            r["ilgpu_speedup"] = mine["particle_steps_per_second"] / r["particle_steps_per_second"]
        if r.get("implementation", "").startswith(("ilgpu", "baseline")) and fp64_peak and r.get("flop_rate"):
            r["fp64_peak_fraction"] = r["flop_rate"] / fp64_peak
    result = {"device": dotnet.get("device"), "driver": dotnet.get("driver"), "ilgpu": dotnet.get("ilgpu"),
              "utc": dotnet.get("utc"), "agreement_pass": dotnet.get("agreement_pass"),
              "agreement": dotnet.get("agreement", []), "fp64_peak": fp64_peak, "fp64_peak_source": peak_source,
              "bench": rows, "baseline": baseline_rev, "failed_parts": failed, "error": dotnet.get("error")}
    with open(os.path.join(out, "gpu-check.json"), "w") as f:
        json.dump(result, f, indent=1)
    lines = [f"# GPU check: {result['device']} ({result['driver']}; ILGPU {result['ilgpu']}), {result['utc']}", ""]
    if result["error"]:
        lines += [f"**error:** {result['error']}", ""]
    n_ok = sum(1 for a in result["agreement"] if a["pass"])
    lines += [f"Agreement with the CPU twins: {n_ok}/{len(result['agreement'])} cases within tolerance.", ""]
    lines += ["| solver | sde | data | l | max rel. diff | tolerance | ok |", "|---|---|---|---|---|---|---|"]
    for a in result["agreement"]:
        worst = a.get("max_relative_difference")
        shown = f"{worst:.2e}" if worst is not None else f"failed: {a.get('error') or 'no value'}"
        lines.append(f"| {a['solver']} | {a['sde']} | {a['data']} | {a['lambda']} | {shown} | {a['tolerance']:.0e} | {'yes' if a['pass'] else 'NO'} |")
    lines += ["", "Reverse-SDE Euler-Maruyama on VP linear (benchmarks/peers/common.py) with the exact 8gaussians score, or with an",
              "MLP 3x128 score (-mlp rows; steps calibrated to the time budget), particle-steps per second. ILGPU rows time",
              "GpuSolver.Solve on particles resident on the device, as the peers are timed; -host rows also copy the particles",
              "from and back to host memory; -general rows run the mixture score's general isotropic path instead of its",
              "two-dimensional one (same bits); -mlp-per-particle rows run the MLP one thread per particle instead of the group",
              "kernel with tiled dense layers (same values). Speed-ups compare the device-resident ILGPU row of the same score and N:", ""]
    lines += ["| implementation | dtype | N | steps | seconds | particle-steps/s | ILGPU speed-up | TFLOP/s (fp64 peak %) | mean radius |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        flops = ""
        if r.get("flop_rate"):
            frac = r.get("fp64_peak_fraction")
            flops = f"{r['flop_rate'] / 1e12:.2f}" + (f" ({100 * frac:.1f}%)" if frac else "")
        speed = f"{r['ilgpu_speedup']:.1f}x" if r.get("ilgpu_speedup") else ""
        lines.append(f"| {r['implementation']} | {r['dtype']} | {r['particles']:.0e} | {r['steps']} | {r['seconds']:.3f} | {r['particle_steps_per_second']:.3e} | {speed} | {flops} | {r.get('mean_radius', float('nan')):.4f} |")
    for n in sorted({r["particles"] for r in rows}):
        default = next((r for r in rows if r.get("implementation") == "ilgpu-fused" and r["particles"] == n), None)
        before = next((r for r in rows if r.get("implementation") == f"baseline {baseline_rev}: ilgpu-fused" and r["particles"] == n), None)
        if default and before:
            lines += ["", f"This tree against the baseline {baseline_rev} (device-resident, same run) at N = {n:.0e}: {default['particle_steps_per_second'] / before['particle_steps_per_second']:.2f}x."]
        tiled = next((r for r in rows if r.get("implementation") == "ilgpu-fused-mlp" and r["particles"] == n), None)
        per_particle = next((r for r in rows if r.get("implementation") == "ilgpu-fused-mlp-per-particle" and r["particles"] == n), None)
        if tiled and per_particle:
            lines += ["", f"MLP: group kernel with tiled dense layers against one thread per particle at N = {n:.0e}: {tiled['particle_steps_per_second'] / per_particle['particle_steps_per_second']:.2f}x."]
        for r in (default, tiled):
            if r and r.get("kernel_particle_steps_per_second"):
                rate = r["kernel_particle_steps_per_second"]
                share = 1 - r["kernel_seconds"] / r["seconds"]
                frac = f", {100 * rate * r['flops_per_particle_step'] / fp64_peak:.1f}% of the fp64 peak" if fp64_peak else ""
                lines += ["", f"Kernel alone (`{r['implementation']}`, timing markers around the launch) at N = {n:.0e}: {rate:.3e} particle-steps/s{frac}; the host's share of the device-resident solve {100 * share:.1f}%."]
        general = next((r for r in rows if r.get("implementation") == "ilgpu-fused-general" and r["particles"] == n), None)
        if default and general:
            lines += ["", f"Two-dimensional score path against the general one at N = {n:.0e}: {default['particle_steps_per_second'] / general['particle_steps_per_second']:.2f}x."]
    scan = []
    for w in (16, 32, 64):
        t = next((r for r in rows if r.get("implementation") == f"ilgpu-fused-mlp-w{w}"), None)
        q = next((r for r in rows if r.get("implementation") == f"ilgpu-fused-mlp-per-particle-w{w}"), None)
        if t and q:
            scan.append(f"width {w}: {t['particle_steps_per_second'] / q['particle_steps_per_second']:.2f}x")
    if scan:
        lines += ["", "MLP 3 x W, group kernel against one thread per particle (-w rows; GpuSolver.TiledMlpWidth = 32 makes the group kernel the default from width 32): " + ", ".join(scan) + "."]
    lines += ["", f"fp64 peak: {peak_source}. Flops per particle-step: FlopModel.EulerMaruyamaIsotropic and, for -mlp rows, FlopModel.MlpScore + the EM step (arithmetic as written, exp and log by instruction count). The -mlp peers use random weights of the same architecture (throughput only)."]
    for e in dotnet.get("bench_errors", []):
        lines += ["", f"Benchmark `{e['implementation']}` failed: {e['error']}"]
    for f_ in failed:
        lines += ["", f"Part `{f_['part']}` failed:", "```", f_["log_tail"], "```"]
    with open(os.path.join(out, "gpu-check.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
