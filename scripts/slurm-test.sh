#!/usr/bin/env bash
# End-to-end test of `diffusion submit --slurm` on a real (one-node, local) Slurm cluster: starts it with
# scripts/slurm-local.sh, submits experiments/quickstart.yaml as a 4-task job array plus its merge job, waits (at most
# SLURM_TEST_TIMEOUT seconds, default 240) and checks that the merged table.md equals the single-process table
# (results/quickstart/table.md, which CI's quickstart check reproduces) byte for byte; then resubmits and checks that
# every shard reran nothing. Needs the Release build of the CLI (dotnet build -c Release). Exit 0 on success.
set -uo pipefail
cd "$(dirname "$0")/.."
fail() { echo "slurm-test: FAILED: $*" >&2; exit 1; }
timeout_s=${SLURM_TEST_TIMEOUT:-240}
cli=src/Diffusion.Research.Cli/bin/Release/net10.0/diffusion.dll
[ -f "$cli" ] || fail "$cli is missing; build first: dotnet build Diffusion.Research.sln -c Release"

bash scripts/slurm-local.sh || fail "could not start the local Slurm cluster (scripts/slurm-local.sh)"

out=$(mktemp -d /tmp/slurm-test.XXXXXX)
wait_for() { # job ids...
  local start=$(date +%s)
  while [ -n "$(squeue -h -j "$(IFS=,; echo "$*")" 2>/dev/null)" ]; do
    [ $(( $(date +%s) - start )) -lt "$timeout_s" ] || { squeue; scancel "$@"; fail "jobs $* still queued or running after ${timeout_s} s"; }
    sleep 2
  done
}
submit() {
  dotnet "$cli" submit experiments/quickstart.yaml --slurm --tasks 4 --cpus 1 --time 00:10:00 --out "$out" >"$out/submit.log" 2>&1 \
    || { cat "$out/submit.log" >&2; fail "diffusion submit"; }
  cat "$out/submit.log"
  grep -o 'job array [0-9]*\|merge job [0-9]*' "$out/submit.log" | awk '{print $NF}' | tr '\n' ' '
}

dotnet "$cli" submit experiments/quickstart.yaml --slurm --tasks 4 --out "$out" --dry-run >"$out/dry-run.txt" || fail "submit --dry-run"
grep -q -- '--shard "$shard/4"' "$out/dry-run.txt" || fail "the dry run's array script does not run --shard i/4"
[ ! -e "$out/quickstart" ] || fail "--dry-run wrote files"

ids=$(submit | tail -1)
echo "slurm-test: submitted jobs $ids; waiting (at most ${timeout_s} s)"
# shellcheck disable=SC2086
wait_for $ids
for f in "$out"/quickstart/slurm/logs/*.out; do echo "== $f"; tail -3 "$f"; done
[ -f "$out/quickstart/table.md" ] || fail "no merged table (see the logs above)"
diff results/quickstart/table.md "$out/quickstart/table.md" || fail "the merged table differs from results/quickstart/table.md"
echo "slurm-test: merged table of 4 shards equals results/quickstart/table.md byte for byte"

# Resubmitting the same command reruns only missing cells: here none.
ids=$(submit | tail -1)
# shellcheck disable=SC2086
wait_for $ids
for k in 1 2 3 4; do
  grep -q 'quickstart: 0 run, 6 skipped' "$out/quickstart/slurm/logs/shard-$((k - 1)).out" || { cat "$out/quickstart/slurm/logs/shard-$((k - 1)).out"; fail "shard $k reran cells on resubmission"; }
done
diff results/quickstart/table.md "$out/quickstart/table.md" || fail "the table changed on resubmission"
echo "slurm-test: resubmission reran nothing and kept the table"
rm -rf "$out"
echo "slurm-test: passed"
