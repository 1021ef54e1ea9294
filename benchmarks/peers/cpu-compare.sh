#!/usr/bin/env bash
# CPU throughput side by side (issue 9; docs/performance.md): our exact-score samplers and the same Euler-Maruyama
# written in eager PyTorch (float64, 1 and 2 threads, best taken) and NumPy, back to back on this machine.
# Not a CI test. usage: bash benchmarks/peers/cpu-compare.sh [OUTDIR]   (env: N=100000 STEPS=1000)
# PyTorch comes from Debian's python3-torch (with libopenblas0-pthread); where it is missing, that peer is skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/cpu-compare}
n=${N:-100000}
steps=${STEPS:-1000}
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$out"
rm -f "$out"/*.json
ours() { dotnet run -c Release "$root/benchmarks/throughput/throughput.cs" -- "$@"; }
ours --solver drift --n 1000 --steps 2 --threads 1 > /dev/null   # build once
dotnet build-server shutdown > /dev/null 2>&1 || true   # the compiler servers stay busy after a build
sleep 3
for threads in 1 2; do
  for solver in drift em euler heun rk4 dpm_solver_2; do
    echo "ours: $solver, $threads thread(s)" >&2
    ours --solver "$solver" --n "$n" --steps "$steps" --threads "$threads" > "$out/ours-$solver-$threads.json"
  done
done
cd "$root/benchmarks/peers"
if "$python" -c "import torch" 2> /dev/null; then
  for threads in 1 2; do
    echo "torch: $threads thread(s)" >&2
    OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads "$python" torch_em.py --device cpu --threads "$threads" --n "$n" \
      --steps "$steps" --out "$out/peer-torch-$threads.json" > /dev/null
  done
else
  echo "python3-torch is not installed: the PyTorch peer is skipped (apt-get install python3-torch libopenblas0-pthread)" >&2
fi
if "$python" -c "import numpy" 2> /dev/null; then
  echo "numpy" >&2
  OPENBLAS_NUM_THREADS=1 "$python" numpy_em.py --n "$n" --steps "$steps" --out "$out/peer-numpy-1.json" > /dev/null
else
  echo "numpy is not installed: the NumPy peer is skipped" >&2
fi
"$python" cpu_report.py "$out" | tee "$out/cpu-compare.md"
