#!/usr/bin/env bash
# The device check of issue 8 / docs/gpu.md, in two halves because the GPU machine has no .NET:
#
#   scripts/gpu-check.sh --publish [--baseline REV]
#                                          (here, with the .NET SDK) publishes src/Diffusion.Research.Gpu.Check
#                                          self-contained for linux-x64 into publish/gpu-check (git-ignored) and packs
#                                          it as publish/gpu-check.tar.gz (about 37 MB: carry that one file). With
#                                          --baseline REV it also publishes the check as of commit REV and packs the files
#                                          that differ (its own assemblies, a few MB) as publish/gpu-check-baseline.tar.gz:
#                                          carry it too, and the run times REV's kernels beside this tree's in the same run.
#   scripts/gpu-check.sh OUTDIR            (on the GPU machine) unpacks the tarball if needed, prints the device, runs the
#                                          GPU-vs-CPU agreement cases on CUDA and the fused EM kernel at N = 1e6 and 1e7
#                                          (1000 steps, float64; the MLP 3x128 score with calibrated steps), then the
#                                          eager PyTorch (float64, float32) and JAX-jit peers of benchmarks/peers/, and writes OUTDIR/gpu-check.json, gpu-check.md and
#                                          log.txt. Stays within 7 minutes (ILGPU part 240 s at most; no peer starts after 300 s, each has 120 s).
#   scripts/gpu-check.sh --smoke OUTDIR    (here) the same run on ILGPU's CPU accelerator with tiny sizes, peers on CPU
#                                          where torch/jax are importable (PYTHON=/path/to/python3 picks the interpreter):
#                                          checks the script end to end without a GPU.
#
# Device tool: carry ["publish/gpu-check.tar.gz"], command "bash scripts/gpu-check.sh \$OUT", timeout_s 450.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

publish_check() { # SOURCE_DIR OUTPUT_DIR
  dotnet publish "$1/src/Diffusion.Research.Gpu.Check" -c Release -r linux-x64 --self-contained -p:DebugType=none -p:GenerateDocumentationFile=false -o "$2"
}
if [ "${1:-}" = "--publish" ]; then
  set -e
  rm -rf publish/gpu-check publish/gpu-check.tar.gz publish/gpu-check-baseline publish/gpu-check-baseline.tar.gz
  publish_check . publish/gpu-check
  tar czf publish/gpu-check.tar.gz -C publish gpu-check
  if [ "${2:-}" = "--baseline" ]; then
    rev=$(git rev-parse --short "${3:?--baseline needs a commit}")
    src=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check-baseline.XXXXXX")
    git archive "$rev" | tar -x -C "$src"
    publish_check "$src" "$src/out"
    # The overlay: the files of REV's publish that differ from this tree's (the runtime and packages are the same).
    mkdir -p publish/gpu-check-baseline
    (cd "$src/out" && for f in *; do cmp -s "$f" "$root/publish/gpu-check/$f" || cp "$f" "$root/publish/gpu-check-baseline/"; done)
    echo "$rev" > publish/gpu-check-baseline/BASELINE
    tar czf publish/gpu-check-baseline.tar.gz -C publish gpu-check-baseline
    rm -rf "$src"
    ls publish/gpu-check-baseline
  fi
  du -sh publish/gpu-check publish/gpu-check*.tar.gz
  exit 0
fi

smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
out=${1:?usage: scripts/gpu-check.sh --publish | [--smoke] OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
parts=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")
log="$out/log.txt"
start=$(date +%s)
elapsed() { echo $(( $(date +%s) - start )); }
say() { echo "[gpu-check $(elapsed)s] $*" | tee -a "$log"; }
: > "$log"

bin="$root/publish/gpu-check/gpu-check"
if [ ! -x "$bin" ] && [ -f "$root/publish/gpu-check.tar.gz" ]; then
  say "unpacking publish/gpu-check.tar.gz"
  tar xzf "$root/publish/gpu-check.tar.gz" -C "$root/publish" 2>>"$log"
fi
if [ ! -x "$bin" ]; then say "error: $bin missing; run scripts/gpu-check.sh --publish first (where .NET is installed)"; exit 2; fi

# The driver's folder on the lent machines (DeviceContext also falls back to libcuda.so.1 by itself).
[ -d /usr/local/nvidia/lib64 ] && export LD_LIBRARY_PATH="/usr/local/nvidia/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee -a "$log"

# 1. The ILGPU program: device, agreement cases on the device, fused EM throughput (float64).
if [ $smoke = 1 ]; then
  args=(--emulated --sizes 2000,8000 --steps 50); peer_n=(2000 8000); peer_steps=50; peer_dev=cpu
else
  args=(); peer_n=(1000000 10000000); peer_steps=1000; peer_dev=cuda
fi
say "ILGPU device check ${args[*]:-}"
DOTNET_TieredCompilation=0 timeout 240 "$bin" "$parts" "${args[@]}" 2>&1 | tee -a "$log"
status=${PIPESTATUS[0]}
say "ILGPU check exit code $status"

# 1b. The baseline's kernels (scripts/gpu-check.sh --publish --baseline REV), benchmark only, in the same run.
if [ -f "$root/publish/gpu-check-baseline.tar.gz" ]; then
  base="$root/publish/gpu-check-at-baseline"
  rm -rf "$base" "$root/publish/gpu-check-baseline"
  cp -r "$root/publish/gpu-check" "$base"
  tar xzf "$root/publish/gpu-check-baseline.tar.gz" -C "$root/publish" 2>>"$log"
  cp "$root/publish/gpu-check-baseline/"* "$base/"
  mkdir -p "$parts/baseline"
  say "baseline $(cat "$base/BASELINE"): benchmark only"
  DOTNET_TieredCompilation=0 timeout 120 "$base/gpu-check" "$parts/baseline" "${args[@]}" --bench-only --no-mlp 2>&1 | tee -a "$log"
  say "baseline exit code ${PIPESTATUS[0]}"
  cp "$base/BASELINE" "$parts/baseline/"
fi

# 2. Peers: eager PyTorch (float64, float32) and JAX with the loop under jit, same algorithm (benchmarks/peers/common.py).
export PYTHONUNBUFFERED=1
peer() { # name timeout script args...
  local name=$1 limit=$2; shift 2
  if [ "$(elapsed)" -gt 300 ]; then say "skip $name (time budget)"; return; fi
  say "peer $name"
  if ! timeout "$limit" "${PYTHON:-python3}" "$@" --out "$parts/peer-$name.json" >"$parts/$name.log" 2>&1; then
    cp "$parts/$name.log" "$parts/peer-$name.failed"; say "peer $name failed: $(tail -c 300 "$parts/$name.log")"
  fi
  cat "$parts/$name.log" >> "$log"
}
[ "$peer_dev" = cpu ] && export JAX_PLATFORMS=cpu
em_peers() { # N
  for dtype in float64 float32; do
    peer "torch-$dtype-$1" 120 benchmarks/peers/torch_em.py --n "$1" --steps "$peer_steps" --dtype "$dtype" --device "$peer_dev"
  done
  for dtype in float64 float32; do
    peer "jax-$dtype-$1" 120 benchmarks/peers/jax_em.py --n "$1" --steps "$peer_steps" --dtype "$dtype"
  done
}
# The first size, then the MLP 3x128 peers (first size only, 100 steps: eager PyTorch is slow there; rates are per
# particle-step), then the second size, whose JAX float64 run was the slowest peer (67 s on the H200), so that a run
# that reaches the time budget loses the least.
em_peers "${peer_n[0]}"
mlp_steps=$(( peer_steps < 100 ? peer_steps : 100 ))
for dtype in float64 float32; do
  peer "torch-mlp-$dtype-${peer_n[0]}" 120 benchmarks/peers/torch_em.py --model mlp --n "${peer_n[0]}" --steps "$mlp_steps" --dtype "$dtype" --device "$peer_dev"
done
peer "jax-mlp-float64-${peer_n[0]}" 120 benchmarks/peers/jax_em.py --model mlp --n "${peer_n[0]}" --steps "$mlp_steps" --dtype float64
for n in "${peer_n[@]:1}"; do em_peers "$n"; done

# 3. Report.
"${PYTHON:-python3}" benchmarks/peers/report.py "$parts" "$out" >> "$log" 2>&1 || say "report failed"
say "done: $out/gpu-check.md"
rm -rf "$parts"
exit "$status"
