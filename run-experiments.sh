#!/usr/bin/env bash
# Runs experiment files through the `diffusion` CLI (all logic lives in the tested CLI; this is a thin wrapper).
#   ./run-experiments.sh                                   every experiments/*.yaml
#   ./run-experiments.sh experiments/quickstart.yaml       only the files given
#   ./run-experiments.sh --force --threads 2 --shard 1/4   options are passed to `diffusion run` (also --out DIR)
# Exit code: that of `diffusion run` (0 ok, 1 a run failed, 2 invalid input). Twin: run-experiments.ps1.
set -euo pipefail
cd "$(dirname "$0")"
files=()
options=()
for arg in "$@"; do
  case "$arg" in
    *.yaml|*.yml) files+=("$arg") ;;
    *) options+=("$arg") ;;
  esac
done
if [ ${#files[@]} -eq 0 ]; then files=(experiments/*.yaml); fi
dotnet build src/Diffusion.Research.Cli/Diffusion.Research.Cli.csproj -c Release --nologo -v quiet >&2
exec dotnet src/Diffusion.Research.Cli/bin/Release/net10.0/diffusion.dll run "${files[@]}" ${options[@]+"${options[@]}"}
