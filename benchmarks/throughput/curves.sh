#!/usr/bin/env bash
# Throughput curves (issue 9; docs/performance.md): particle-steps/s and peak working set of the exact-score samplers
# from N = 10^3 to 10^7 particles, 1 and 2 threads, one process per point. Not a CI test.
# usage: bash benchmarks/throughput/curves.sh [OUTDIR] [SOLVERS]    (default SOLVERS: "em heun")
# Steps shrink as N grows (N x steps between 10^8 and 10^9 beyond N = 10^5) so that every point takes seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/throughput-curves}
solvers=${2:-em heun}
mkdir -p "$out"
rm -f "$out"/curve-*.json
run() { dotnet run -c Release "$root/benchmarks/throughput/throughput.cs" -- "$@"; }
run --solver em --n 1000 --steps 2 --threads 1 > /dev/null   # build once
dotnet build-server shutdown > /dev/null 2>&1 || true   # the compiler servers stay busy after a build
sleep 3
for solver in $solvers; do
  for threads in 1 2; do
    for n in 1000 10000 100000 1000000 10000000; do
      case $n in 1000|10000|100000) steps=1000 ;; 1000000) steps=200 ;; *) steps=50 ;; esac
      echo "$solver N=$n steps=$steps threads=$threads" >&2
      run --solver "$solver" --n "$n" --steps "$steps" --threads "$threads" > "$out/curve-$solver-$threads-$n.json"
    done
  done
done
python3 - "$out" <<'PY' | tee "$out/curves.md"
import glob, json, os, sys
rows = [json.load(open(p)) for p in glob.glob(os.path.join(sys.argv[1], "curve-*.json"))]
rows.sort(key=lambda r: (r["solver"], r["threads"], r["particles"]))
print("| method | threads | N | steps | particle-steps/s | peak working set |")
print("|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['solver']} | {r['threads']} | {r['particles']:,} | {r['steps']} | {r['particle_steps_per_second'] / 1e6:.1f} M | {r['peak_working_set_mib']:.0f} MiB |")
PY
