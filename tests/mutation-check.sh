#!/usr/bin/env bash
# Mutation check for the theorem suite (tests/Diffusion.Research.Theorems).
#
# Applies each deliberate break listed in tests/mutations/mutations.tsv to the framework source, one at a
# time, rebuilds, runs the theorem suite and reports which properties fail. The source is restored after
# every mutation (and on exit, whatever happens). Exit status 0 only if every mutation is caught by at
# least one property and the unmutated suite passes.
#
# Usage: tests/mutation-check.sh [mutation-name ...]     (default: all mutations)
# Needs a clean working tree for the mutated files. Takes about 1–2 minutes per mutation on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
project=tests/Diffusion.Research.Theorems
table=tests/mutations/mutations.tsv
log=$(mktemp -d)
current=""

restore() { if [ -n "$current" ]; then git checkout -- "$current"; current=""; fi; }
trap restore EXIT INT TERM

run_suite() { # $1 = label; prints failing test names to $log/$1.failed, returns dotnet test status
  if ! dotnet build "$project" -c Release -v q -nologo > "$log/$1.build" 2>&1; then
    echo "BUILD FAILED" > "$log/$1.failed"; return 2
  fi
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" > "$log/$1.test" 2>&1
  local status=$?
  grep -E '^\s+Failed Diffusion\.Research\.Theorems\.' "$log/$1.test" | sed -E 's/^\s+Failed Diffusion\.Research\.Theorems\.//; s/ \[[^]]*\]$//' > "$log/$1.failed"
  return $status
}

wanted=("$@")
selected() { [ ${#wanted[@]} -eq 0 ] && return 0; local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

echo "== baseline (no mutation)"
if ! run_suite baseline; then
  echo "The unmutated theorem suite does not pass; fix that first:"; cat "$log/baseline.failed"; exit 1
fi
echo "   all properties pass"

uncaught=0
summary=""
while IFS=$'\t' read -r name file original mutated what; do
  [ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
  selected "$name" || continue
  echo "== mutation $name: $what"
  if ! git diff --quiet -- "$file"; then echo "   $file has local changes; skipped"; uncaught=$((uncaught + 1)); continue; fi
  if ! grep -qF -- "$original" "$file"; then echo "   original text not found in $file; the table is stale"; uncaught=$((uncaught + 1)); continue; fi
  current="$file"
  ORIGINAL="$original" MUTATED="$mutated" perl -0pi -e 's/\Q$ENV{ORIGINAL}\E/$ENV{MUTATED}/' "$file"
  run_suite "$name"
  restore
  count=$(grep -c . "$log/$name.failed" || true)
  if [ "$count" -eq 0 ]; then
    echo "   NOT CAUGHT"; uncaught=$((uncaught + 1)); summary+="| $name | NOT CAUGHT |"$'\n'
  else
    sed 's/^/   caught by: /' "$log/$name.failed"
    summary+="| $name | $count: $(paste -sd ';' "$log/$name.failed" | sed 's/;/; /g') |"$'\n'
  fi
done < "$table"

echo
echo "| mutation | failing properties |"
echo "|---|---|"
printf "%s" "$summary"
rm -rf "$log"
[ "$uncaught" -eq 0 ]
