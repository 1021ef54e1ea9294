#!/usr/bin/env bash
# Hardware profile of the fused Euler–Maruyama kernels on a GPU machine (docs/gpu.md, "Measured on an NVIDIA H200"), for performance work:
#
#   scripts/gpu-check.sh --publish && scripts/gpu-profile.sh --ptx     (here) publishes the check program and writes
#                                                                     the kernels' PTX to publish/ptx/
#   device tool: carry ["publish/gpu-check.tar.gz", "publish/ptx"], command "bash scripts/gpu-profile.sh $OUT", timeout_s 240
#
# On the GPU machine it writes OUTDIR/ptxas.txt (registers, stack, spills of each PTX under sm_90), the SASS of each
# kernel with a count of its opcodes (sass-summary.txt), and Nsight Compute's full section set for one launch of the
# exact-mixture EM kernel (N = 10^6, 200 steps; ncu-mixture.txt), the same with the score's general isotropic path
# instead of its two-dimensional one (ncu-mixture-general.txt; GPU_PROFILE_GENERAL=0 skips it) and one launch of the
# MLP 3x128 EM kernel on the group kernel with tiled dense layers and on one thread per particle (N = 10^5, 20 steps;
# ncu-mlp.txt, ncu-mlp-per-particle.txt; GPU_PROFILE_MLP=0 skips them).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--ptx" ]; then
  set -e
  publish/gpu-check/gpu-check --ptx publish/ptx
  ls -la publish/ptx
  exit 0
fi

out=${1:?usage: scripts/gpu-profile.sh --ptx | OUTDIR}
mkdir -p "$out"
if [ ! -x publish/gpu-check/gpu-check ]; then tar xzf publish/gpu-check.tar.gz -C publish; fi
[ -d /usr/local/nvidia/lib64 ] && export LD_LIBRARY_PATH="/usr/local/nvidia/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$PATH:/usr/local/cuda/bin"
ncu=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$out/ptxas.txt"
: > "$out/sass-summary.txt"
for f in publish/ptx/*.ptx; do
  name=$(basename "$f" .ptx)
  echo "== $name" >> "$out/ptxas.txt"
  ptxas -arch=sm_90 -v -o "/tmp/$name.cubin" "$f" >> "$out/ptxas.txt" 2>&1
  cuobjdump --dump-sass "/tmp/$name.cubin" > "$out/$name.sass" 2>&1
  echo "SASS instructions: $(grep -c '^        /\*[0-9a-f]*\*/' "$out/$name.sass")" >> "$out/ptxas.txt"
  # Opcode counts (static): moves of constant halves, local memory and fp64 work at a glance.
  { echo "== $name"; sed -nE 's#^ +/\*[0-9a-f]+\*/ +(@!?U?P[0-9T] +)?([A-Z0-9_.]+).*#\2#p' "$out/$name.sass" | sort | uniq -c | sort -rn | head -30; } >> "$out/sass-summary.txt"
done
cat "$out/sass-summary.txt"
cat "$out/ptxas.txt"
run=(publish/gpu-check/gpu-check /tmp/gpu-profile --bench-only)
# Launches of the check (gpu-check's Program.cs): 0 the probe of the timing markers (64 particles, 2 steps), 1 the
# warm-up, 2 the default path at the first size, 3 the general path at that size.
DOTNET_TieredCompilation=0 timeout 100 "$ncu" --clock-control none -k regex:EulerMaruyama --launch-skip 2 --launch-count 1 --set full \
  "${run[@]}" --sizes 1000000 --steps 200 --no-mlp > "$out/ncu-mixture.txt" 2>&1
echo "ncu mixture exit $?"; grep -E "Duration|Registers|Achieved Occupancy|Theoretical Occupancy|Compute \(SM\) Throughput|Issue Slots Busy|Executed Instructions  |Local" "$out/ncu-mixture.txt" | head -20
if [ "${GPU_PROFILE_GENERAL:-1}" != 0 ]; then
  DOTNET_TieredCompilation=0 timeout 100 "$ncu" --clock-control none -k regex:EulerMaruyama --launch-skip 3 --launch-count 1 --set full \
    "${run[@]}" --sizes 1000000 --steps 200 --no-mlp > "$out/ncu-mixture-general.txt" 2>&1
  echo "ncu mixture (general path) exit $?"; grep -E "Duration|Registers|Issue Slots Busy|Executed Instructions  " "$out/ncu-mixture-general.txt" | head -10
fi
[ "${GPU_PROFILE_MLP:-1}" = 0 ] && exit 0
# With --no-mixture the launches are 0 the probe of the timing markers (the mixture kernel), then the MLP's: 1 the
# compile, 2 the probe, 3 the benchmark of the group kernel with tiled dense layers (its PTX entry is
# Kernel_SolveGrouped), then 4, 5, 6 the same for one thread per particle.
DOTNET_TieredCompilation=0 timeout 100 "$ncu" --clock-control none -k regex:'EulerMaruyama|SolveGrouped' --launch-skip 3 --launch-count 1 --set full \
  "${run[@]}" --sizes 100000 --steps 20 --no-mixture > "$out/ncu-mlp.txt" 2>&1
echo "ncu mlp (tiled) exit $?"; grep -E "Duration|Registers|Shared Memory Configuration Size|Achieved Occupancy|Theoretical Occupancy|Compute \(SM\) Throughput|Issue Slots Busy|Executed Instructions  " "$out/ncu-mlp.txt" | head -12
DOTNET_TieredCompilation=0 timeout 100 "$ncu" --clock-control none -k regex:'EulerMaruyama|SolveGrouped' --launch-skip 6 --launch-count 1 --set full \
  "${run[@]}" --sizes 100000 --steps 20 --no-mixture > "$out/ncu-mlp-per-particle.txt" 2>&1
echo "ncu mlp (per particle) exit $?"; grep -E "Duration|Registers|Achieved Occupancy|Compute \(SM\) Throughput|Issue Slots Busy" "$out/ncu-mlp-per-particle.txt" | head -10
