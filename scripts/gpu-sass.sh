#!/usr/bin/env bash
# The machine code (SASS) of the benchmark kernels for sm_90 without a GPU, for performance work between GPU sessions
# (docs/gpu.md, "Reading the machine code without a GPU"):
#
#   dotnet build src/Diffusion.Research.Gpu.Check -c Release && scripts/gpu-sass.sh [OUTDIR]     (default publish/sass)
#
# 1. ptxas and cuobjdump of CUDA 12.4, from the non-free package nvidia-cuda-toolkit of Debian 13 (trixie): downloaded
#    once with apt-get (a private source list and package index under publish/cuda-12.4, so the machine's apt sources
#    stay as they are; needs the Debian mirror and root) and unpacked into publish/cuda-12.4/root;
# 2. the PTX of the benchmark kernels from the check program (gpu-check --ptx);
# 3. per kernel: ptxas -v (registers, stack frame, spills), the SASS, and its loops with their instruction counts
#    (scripts/sass-loops.py), into OUTDIR.
# Why 12.4 and not Debian 12's own 11.8: the newer ptxas keeps the kernel parameter's math constants in uniform
# registers across the loops, where 11.8 reloads each at its use (about 100 instructions per particle-step of the
# exact-score EM kernel; docs/gpu-data/2026-11-28-sass). The GPU machine's driver (CUDA 13) compiles the PTX with a newer
# ptxas still: counts differ in detail from what runs there, so compare two versions of a kernel with this same tool,
# and time them on a GPU. ILGPU 1.5.3 writes PTX ISA 8.0, which 12.4 reads (up to 8.4).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-publish/sass}
cuda=publish/cuda-12.4
check=src/Diffusion.Research.Gpu.Check/bin/Release/net10.0/gpu-check.dll
[ -f "$check" ] || { echo "gpu-sass: build the check program first: dotnet build src/Diffusion.Research.Gpu.Check -c Release" >&2; exit 2; }
if [ ! -x "$cuda/root/usr/bin/ptxas" ]; then
  echo "gpu-sass: fetching ptxas and cuobjdump (Debian 13 non-free nvidia-cuda-toolkit 12.4, about 87 MB) into $cuda"
  mkdir -p "$cuda/lists/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie non-free" > "$cuda/sources.list"
  apt=(apt-get -q -o Dir::Etc::SourceList="$PWD/$cuda/sources.list" -o Dir::Etc::SourceParts=/nonexistent
       -o Dir::State::Lists="$PWD/$cuda/lists")
  "${apt[@]}" update > "$cuda/apt.log" 2>&1
  (cd "$cuda" && "${apt[@]}" download nvidia-cuda-toolkit >> apt.log 2>&1)
  dpkg-deb -x "$cuda"/nvidia-cuda-toolkit_*.deb "$cuda/root"
fi
export PATH="$PWD/$cuda/root/usr/bin:$PATH"
rm -rf "$out" && mkdir -p "$out"
dotnet "$check" --ptx "$out" > /dev/null
summary="$out/summary.txt"
: > "$summary"
ptxas --version | grep -m1 release >> "$summary"
for ptx in "$out"/*.ptx; do
  name=$(basename "$ptx" .ptx)
  { echo "== $name"; ptxas -arch=sm_90 -v -o "$out/$name.cubin" "$ptx" 2>&1 | grep -E "stack frame|registers"; } >> "$summary"
  cuobjdump --dump-sass "$out/$name.cubin" > "$out/$name.sass"
  python3 scripts/sass-loops.py "$out/$name.sass" > "$out/$name.loops.txt"
  cat "$out/$name.loops.txt" >> "$summary"
done
cat "$summary"
