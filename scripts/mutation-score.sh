#!/usr/bin/env bash
# Mutation score of one library project with Stryker.NET (dotnet-stryker 5.1.0, a local tool in
# .config/dotnet-tools.json), run against the C# test project and the F# theorem suite (and the GPU tests for
# the gpu project), Release build. Writes, under the results folder (default mutation/<project>/):
#   score.txt          the score, the mutant counts by status, the goal, the wall time
#   survivors.tsv      every surviving or uncovered mutant: file:line:column, mutator, replacement, status
#   stryker/           Stryker's own reports (mutation-report.json, .html) and log
# Exit status: 0 when the score reaches the goal, 1 below it, 2 for a usage error, 3 when Stryker itself fails.
#
# Usage: scripts/mutation-score.sh <solvers|core|nn|experiments|gpu> [--mutate GLOB]... [--since[=REF]]
#                                  [--goal PERCENT] [--concurrency N] [--output DIR] [--level LEVEL]
#                                  [--tests csharp|theorems|gpu]... [--test-filter EXPR] [--sample N [--by-edit]]
#        scripts/mutation-score.sh --ci [--concurrency N] [--output DIR]
#   --mutate GLOB     only mutate files matching GLOB (Stryker glob, relative to the repository root or
#                     project-relative, e.g. solvers/Diffusion.Research.Solvers/Control/PiController.cs); repeatable
#   --since[=REF]     only mutate files changed since REF (default main)
#   --goal PERCENT    minimum score (default 85 for solvers and core, 75 for the others; docs/testing.md)
#   --concurrency N   parallel test runners (default 1: the machine is usually shared; --ci: the number of cores)
#   --output DIR      results folder (default mutation/<project>, or mutation/<project>-<file> with --mutate)
#   --level LEVEL     Stryker mutation level: Basic, Standard (default), Advanced, Complete
#   --tests NAME      run only these test projects (csharp, theorems, gpu; repeatable; default csharp and theorems,
#                     plus gpu for the gpu project)
#   --test-filter EXPR  run only the tests matching EXPR (dotnet test --filter syntax; Stryker's --test-case-filter)
#   --all-failures    run every covering test of a mutant even after one fails (Stryker's --disable-bail), so the
#                     report says which tests kill each mutant (needed by --without; slower)
#   --without REGEX   also report the score the suite would have without the tests whose fully qualified names
#                     match REGEX (Python syntax), from the same run: a mutant counts as killed only if a test
#                     outside REGEX killed it (used for the before/after scores of docs/testing.md; needs
#                     --all-failures, or a kill by an excluded test can hide a kill by another)
#   --sample N        test a uniform random sample of N mutants instead of all of them (a first Stryker pass
#                     with a single unit test lists every mutant; N of those that compile and are not ignored
#                     are drawn with --seed and only their spans are mutated in the second pass). The score is
#                     then an estimate, written with its 95% Wilson interval; the sample is in sample.tsv
#   --seed S          the seed of the draw (default 1)
#   --listing FILE    with --sample: take the list of mutants from this mutation-report.json of an earlier pass 1
#                     (same source tree and Stryker version) instead of running pass 1
#   --draw FILE       with --sample: test the mutants listed in FILE (a sample.tsv, e.g. cut down to the
#                     survivors of an earlier run) instead of drawing; the score is then over those mutants only
#   --coverage MODE   Stryker's coverage analysis: perTest (default: a capture run records which tests reach each
#                     mutant, and each mutant runs only those), all, or off (every mutant runs every selected test;
#                     use it where the capture run itself is too slow, e.g. mutants in the hot loops of core)
#   --timeout-ms MS   Stryker's additional-timeout (default 10000): a mutant's test run may take MS milliseconds
#                     more than the unmutated run (times the ratio 2) before it counts as a timeout; raise it with
#                     --coverage off, where every mutant runs the whole suite through the instrumented code
#   --by-edit         with --sample: test each drawn mutant as a plain source edit (scripts/mutation-edit.py: write
#                     the replacement, build, run the tests, restore the file) instead of Stryker's pass 2; for code
#                     Stryker's instrumentation cannot run (ILGPU kernels: always so for gpu) or makes minutes slow per
#                     test run (the hot loops of core). --timeout-ms then bounds each mutant's test run (default
#                     3x the unmutated run + 60 s); --concurrency does not apply (one build at a time)
#   --report FILE     do not run Stryker: score an existing mutation-report.json (path absolute or relative to
#                     the repository root; writes score-rescored.txt beside the other outputs)
#   --ci              the CI subset (docs/testing.md): solvers/.../Control/*.cs against the C# tests of the
#                     controller and the error norm only, goal 85, results in mutation/ci-control
# The score is Stryker's: (killed + timeout) / (killed + timeout + survived + no coverage); compile errors and
# ignored mutants do not count. A full run of one project takes hours on 2 cores (see docs/testing.md).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() { sed -n '2,55p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
target=$1; shift
if [ "$target" = --ci ]; then
  # The CI subset: the step-size control of every adaptive solver (PiController, ErrorNorm, StartingStepSize,
  # ToleranceScale, StepDecision, AttemptResult), tested by the unit tests written against its formulas. The filter keeps each
  # mutant's test run to those tests instead of the whole suite (about 2.5 s a mutant instead of about 20 s).
  target=solvers
  set -- --mutate 'solvers/Diffusion.Research.Solvers/Control/*.cs' --tests csharp \
         --test-filter 'FullyQualifiedName~Diffusion.Research.Tests.Solvers.ControllerFormulaTests|FullyQualifiedName~Diffusion.Research.Tests.Solvers.ErrorNormTests|FullyQualifiedName~Diffusion.Research.Tests.Solvers.StartingStepSizeTests' \
         --goal 85 --concurrency "$(nproc 2>/dev/null || echo 1)" --output mutation/ci-control "$@"
fi
# The listing pass (--sample, pass 1) runs one short test that loads the mutated assembly but reaches little of it, so
# that Stryker's coverage capture sees the assembly (with a test that never loads it, the capture "fails" and Stryker
# runs every mutant against the test: about an hour for nn or experiments) and marks the rest "no coverage" unrun.
listing_tests=tests/Diffusion.Research.Tests/Diffusion.Research.Tests.csproj
listing_test=Diffusion.Research.Tests.Data.GaussianMixtureTests.DetectsIsotropicCase
case "$target" in
  solvers)     project=solvers/Diffusion.Research.Solvers/Diffusion.Research.Solvers.csproj; goal=85 ;;
  core)        project=src/Diffusion.Research/Diffusion.Research.csproj; goal=85 ;;
  nn)          project=src/Diffusion.Research.Nn/Diffusion.Research.Nn.csproj; goal=75
               listing_test=Diffusion.Research.Tests.Nn.NeuralModelSettingsTests.EveryDocumentedDefaultIsTheOptionsDefault ;;
  experiments) project=src/Diffusion.Research.Experiments/Diffusion.Research.Experiments.csproj; goal=75
               listing_test=Diffusion.Research.Tests.Registries.CellIdentityTests.DefaultsComeFromTheOptionTypes ;;
  gpu)         project=src/Diffusion.Research.Gpu/Diffusion.Research.Gpu.csproj; goal=75
               # Stryker.NET cannot run this assembly's mutants: its instrumentation reads mutable static fields
               # (MutantControl's switch, and CaptureCoverage even outside the mutated spans), and ILGPU refuses those in
               # any code it compiles into a kernel, on every accelerator ("Cannot load from the static field ... since it
               # is not read only"). Every test that launches a kernel then fails for every mutant: two sampled runs gave
               # 40/40 and 53/53, both artefacts (docs/testing.md, "gpu"). So gpu is scored by source edits (--by-edit):
               # Stryker lists the mutants, scripts/mutation-edit.py tests each as a plain edit of the source.
               by_edit=1
               listing_tests=tests/Diffusion.Research.Gpu.Tests/Diffusion.Research.Gpu.Tests.csproj
               listing_test=Diffusion.Research.Gpu.Tests.GuardTests.Solvers_without_a_kernel_are_refused_with_the_reason ;;
  -h|--help)   usage ;;
  *) echo "mutation-score: unknown project '$target' (expected solvers, core, nn, experiments or gpu)" >&2; exit 2 ;;
esac

by_edit=${by_edit:-0}; mutate=(); since=""; concurrency=1; output=""; level=Standard; names=(); filter=""; bail=1; without=""; existing=""; sample=0; seed=1; listed=""; given=""; coverage=perTest; timeout=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mutate) [ $# -ge 2 ] || usage; mutate+=("$2"); shift 2 ;;
    --mutate=*) mutate+=("${1#--mutate=}"); shift ;;
    --since) since=main; shift ;;
    --since=*) since=${1#--since=}; shift ;;
    --goal) [ $# -ge 2 ] || usage; goal=$2; shift 2 ;;
    --goal=*) goal=${1#--goal=}; shift ;;
    --concurrency) [ $# -ge 2 ] || usage; concurrency=$2; shift 2 ;;
    --concurrency=*) concurrency=${1#--concurrency=}; shift ;;
    --output) [ $# -ge 2 ] || usage; output=$2; shift 2 ;;
    --output=*) output=${1#--output=}; shift ;;
    --level) [ $# -ge 2 ] || usage; level=$2; shift 2 ;;
    --level=*) level=${1#--level=}; shift ;;
    --tests) [ $# -ge 2 ] || usage; names+=("$2"); shift 2 ;;
    --tests=*) names+=("${1#--tests=}"); shift ;;
    --test-filter) [ $# -ge 2 ] || usage; filter=$2; shift 2 ;;
    --test-filter=*) filter=${1#--test-filter=}; shift ;;
    --all-failures) bail=0; shift ;;
    --without) [ $# -ge 2 ] || usage; without=$2; shift 2 ;;
    --without=*) without=${1#--without=}; shift ;;
    --sample) [ $# -ge 2 ] || usage; sample=$2; shift 2 ;;
    --sample=*) sample=${1#--sample=}; shift ;;
    --timeout-ms) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
    --timeout-ms=*) timeout=${1#--timeout-ms=}; shift ;;
    --coverage) [ $# -ge 2 ] || usage; coverage=$2; shift 2 ;;
    --coverage=*) coverage=${1#--coverage=}; shift ;;
    --draw) [ $# -ge 2 ] || usage; given=$2; shift 2 ;;
    --draw=*) given=${1#--draw=}; shift ;;
    --listing) [ $# -ge 2 ] || usage; listed=$2; shift 2 ;;
    --listing=*) listed=${1#--listing=}; shift ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --seed=*) seed=${1#--seed=}; shift ;;
    --by-edit) by_edit=1; shift ;;
    --report) [ $# -ge 2 ] || usage; existing=$2; shift 2 ;;
    --report=*) existing=${1#--report=}; shift ;;
    *) echo "mutation-score: unknown option '$1'" >&2; usage ;;
  esac
done
[[ "$goal" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "mutation-score: --goal must be a percentage, got '$goal'" >&2; exit 2; }
case "$coverage" in perTest|all|off) ;; *) echo "mutation-score: --coverage must be perTest, all or off, got '$coverage'" >&2; exit 2 ;; esac
[[ -z "$timeout" || "$timeout" =~ ^[0-9]+$ ]] || { echo "mutation-score: --timeout-ms must be a whole number, got '$timeout'" >&2; exit 2; }
[[ "$sample" =~ ^[0-9]+$ ]] || { echo "mutation-score: --sample must be a whole number, got '$sample'" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "mutation-score: --seed must be a whole number, got '$seed'" >&2; exit 2; }
if [ "$by_edit" = 1 ] && [ "$sample" = 0 ] && [ -z "$existing" ]; then
  echo "mutation-score: --by-edit$([ "$target" = gpu ] && echo " (gpu is always scored by edits)") needs --sample N (each mutant is one build and one test run)" >&2; exit 2
fi
if [ "$sample" = 0 ] && [ -n "$listed$given" ]; then
  echo "mutation-score: --listing and --draw need --sample" >&2; exit 2
fi
[[ "$concurrency" =~ ^[1-9][0-9]*$ ]] || { echo "mutation-score: --concurrency must be a positive integer, got '$concurrency'" >&2; exit 2; }

if [ ${#names[@]} -eq 0 ]; then
  names=(csharp theorems); [ "$target" = gpu ] && names+=(gpu)
fi
tests=()
for n in "${names[@]}"; do
  case "$n" in
    csharp)   tests+=(tests/Diffusion.Research.Tests/Diffusion.Research.Tests.csproj) ;;
    theorems) tests+=(tests/Diffusion.Research.Theorems/Diffusion.Research.Theorems.fsproj) ;;
    gpu)      tests+=(tests/Diffusion.Research.Gpu.Tests/Diffusion.Research.Gpu.Tests.csproj) ;;
    *) echo "mutation-score: --tests must be csharp, theorems or gpu, got '$n'" >&2; exit 2 ;;
  esac
done

projdir=$(dirname "$project")
# Globs given relative to the repository root are made relative to the project folder (Stryker's base).
globs=()
for g in "${mutate[@]+"${mutate[@]}"}"; do
  neg=""; [ "${g#!}" != "$g" ] && { neg="!"; g=${g#!}; }
  case "$g" in "$projdir"/*) g="**/${g#"$projdir"/}" ;; esac
  globs+=("$neg$g")
done
if [ -z "$output" ]; then
  output=mutation/$target
  if [ ${#globs[@]} -gt 0 ]; then
    output+="-$(basename "${mutate[0]}" | sed 's/[^A-Za-z0-9._-]/_/g')"
  fi
fi
mkdir -p "$output"
output=$(cd "$output" && pwd)
# One Stryker pass: stryker OUTDIR [extra Stryker arguments]...; sets report.
stryker() {
  local dir=$1; shift
  rm -rf "$dir"
  local args=(--project "$(basename "$project")" --configuration Release --concurrency "$concurrency"
              --mutation-level "$level" --reporter json --reporter html --reporter progress
              --output "$dir" --skip-version-check --log-to-file "$@")
  (cd "$projdir" && dotnet tool run dotnet-stryker "${args[@]}")
  local status=$?
  report=$(find "$dir" -name mutation-report.json 2>/dev/null | head -n 1)
  if [ -z "$report" ]; then
    echo "mutation-score: Stryker produced no report (exit status $status); see $dir" >&2
    exit 3
  fi
}

sampled=""
if [ -n "$existing" ]; then
  [ -f "$existing" ] || { echo "mutation-score: --report: no such file '$existing'" >&2; exit 2; }
  report=$existing; seconds=-1
  [ -f "$(dirname "$existing")/../../sample.tsv" ] && sampled="$(dirname "$existing")/../../sample.tsv"
else
  extra=()
  for t in "${tests[@]}"; do extra+=(--test-project "$root/$t"); done
  [ -n "$since" ] && extra+=("--since:$since")
  [ -n "$filter" ] && extra+=(--test-case-filter "$filter")
  [ "$bail" = 0 ] && extra+=(--disable-bail)
  if [ "$coverage" != perTest ] || [ -n "$timeout" ]; then
    printf '{ "stryker-config": { "coverage-analysis": "%s"%s } }\n' "$coverage" "${timeout:+, \"additional-timeout\": $timeout}" > "$output/stryker-config.json"
    extra+=(--config-file "$output/stryker-config.json")
  fi
  start=$(date +%s)
  if [ "$sample" -gt 0 ]; then
    # Pass 1: list the mutants. One short unit test ($listing_test, above) keeps the pass to the build, the mutation,
    # the compilation and one short run per static or covered mutant (Stryker runs static ones with every selected
    # test); the statuses that matter here (CompileError, Ignored) do not depend on the tests.
    if [ -n "$listed" ]; then
      [ -f "$listed" ] || { echo "mutation-score: --listing: no such file '$listed'" >&2; exit 2; }
      report=$listed
    else
      echo "== Stryker on $project: listing the mutants (pass 1 of 2)"
      listing=(--test-project "$root/$listing_tests" --test-case-filter "FullyQualifiedName=$listing_test")
      for g in "${globs[@]+"${globs[@]}"}"; do listing+=(--mutate "$g"); done
      stryker "$output/listing" "${listing[@]}"
    fi
    sampled=$output/sample.tsv
    if [ -n "$given" ]; then
      [ -f "$given" ] || { echo "mutation-score: --draw: no such file '$given'" >&2; exit 2; }
      cp "$given" "$output/draw.tsv"; given=$output/draw.tsv
    fi
    mapfile -t spans < <(python3 - "$report" "$root/$projdir" "$sample" "$seed" "$sampled" "$given" <<'PY'
import json, os, random, re, sys
report, projdir, n, seed, out, given = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
data = json.load(open(report))
eligible = []
for path, entry in data["files"].items():
    for m in entry["mutants"]:
        if m["status"] not in ("CompileError", "Ignored"):
            eligible.append((int(m["id"]), path, m))
eligible.sort(key=lambda e: e[0])
if given:
    wanted = {l.split("\t")[0] for l in open(given) if l[:1].isdigit()}
    draw = [e for e in eligible if str(e[0]) in wanted]
    if len(draw) != len(wanted):
        sys.exit(f"mutation-score: {len(wanted) - len(draw)} mutants of {given} are not in the listing")
    header = f"{len(draw)} mutants given in {os.path.basename(given)} ({len(eligible)} compile and are not ignored)"
else:
    draw = random.Random(seed).sample(eligible, min(n, len(eligible)))
    header = f"{len(draw)} of {len(eligible)} mutants that compile and are not ignored, drawn with seed {seed}"
spans = {}
with open(out, "w") as f:
    f.write(f"# {header}\n")
    f.write("id\tfile\tline\tcolumn\tmutator\treplacement\n")
    for mid, path, m in sorted(draw, key=lambda e: e[0]):
        rel = re.search(r"/((?:src|solvers)/.*)$", path).group(1)   # repository-relative: the listing may come from another checkout
        # The spans are offsets into this checkout's file (the one pass 2 mutates). Roslyn's offsets: characters, no byte-order mark.
        text = open(os.path.join(os.path.dirname(os.path.dirname(projdir)), rel), encoding="utf-8-sig").read()
        starts = [0]
        for line in text.split("\n"):
            starts.append(starts[-1] + len(line) + 1)
        a, b = m["location"]["start"], m["location"]["end"]
        first = starts[a["line"] - 1] + a["column"] - 1
        last = starts[b["line"] - 1] + b["column"] - 1
        spans.setdefault(rel.split("/", 2)[2], []).append((first, last))   # project-relative, Stryker's base
        replacement = (m.get("replacement") or "").replace("\t", " ").replace("\n", " ")
        f.write(f'{mid}\t{rel}\t{a["line"]}\t{a["column"]}\t{m["mutatorName"]}\t{replacement}\n')
for rel, ss in sorted(spans.items()):
    print("**/" + rel + "".join(f"{{{x}..{y}}}" for x, y in sorted(ss)))
PY
)
    [ ${#spans[@]} -gt 0 ] || { echo "mutation-score: no mutants to sample" >&2; exit 3; }
    if [ "$by_edit" = 1 ]; then
      echo "== $project: $sample sampled mutants (seed $seed) in ${#spans[@]} files, each tested as a source edit (pass 2 of 2; goal $goal%${filter:+, tests: $filter})"
      edit=(--listing "$report" --sample "$sampled" --root "$root" --out "$output/edit")
      for t in "${tests[@]}"; do edit+=(--project "$t"); done
      [ -n "$filter" ] && edit+=(--filter "$filter")
      [ -n "$timeout" ] && edit+=(--timeout-s "$(( timeout / 1000 ))")
      python3 scripts/mutation-edit.py "${edit[@]}" || { echo "mutation-score: the edit pass failed; see $output/edit" >&2; exit 3; }
      report=$output/edit/reports/mutation-report.json
      seconds=$(( $(date +%s) - start ))
    else
      echo "== Stryker on $project: $sample sampled mutants (seed $seed) in ${#spans[@]} files (pass 2 of 2; goal $goal%, concurrency $concurrency${filter:+, tests: $filter})"
    fi
    for g in "${spans[@]}"; do extra+=(--mutate "$g"); done
  else
    echo "== Stryker on $project${mutate[0]:+ (${mutate[*]})} (goal $goal%, concurrency $concurrency${filter:+, tests: $filter})"
    for g in "${globs[@]+"${globs[@]}"}"; do extra+=(--mutate "$g"); done
  fi
  if [ "$by_edit" != 1 ]; then
    stryker "$output/stryker" "${extra[@]}"
    seconds=$(( $(date +%s) - start ))
  fi
fi

python3 - "$report" "$output" "$goal" "$seconds" "$target" "$root" "$without" "$sampled" <<'PY'
import json, os, re, sys
report, output, goal, seconds, target, root, without, sampled = sys.argv[1:9]
goal, seconds = float(goal), int(seconds)
data = json.load(open(report))
names = {t["id"]: t["name"] for f in data.get("testFiles", {}).values() for t in f.get("tests", [])}
excluded = re.compile(without) if without else None
# With --sample, only the drawn mutants count (other mutants on the same spans are tested too, and ignored here).
drawn = {}
if sampled:
    for line in open(sampled):
        if line.startswith("#") or line.startswith("id\t"):
            continue
        mid, _, ln, col = line.split("\t")[:4]
        drawn[mid] = (int(ln), int(col))
found = set()
DETECTED, UNDETECTED = ("Killed", "Timeout"), ("Survived", "NoCoverage")

def score(d, u):
    return 100.0 * d / (d + u) if d + u else float("nan")

counts, rows, files = {}, [], []
before = {"detected": 0, "undetected": 0, "unattributed": 0}
for path, entry in sorted(data["files"].items()):
    within = re.search(r"/((?:src|solvers)/.*)$", path)         # repository-relative, wherever the run was
    rel = within.group(1) if within else path
    fd = fu = 0
    for m in entry["mutants"]:
        if drawn:
            if m["id"] not in drawn:
                continue
            where = (m["location"]["start"]["line"], m["location"]["start"]["column"])
            if where != drawn[m["id"]]:
                sys.exit(f"mutation-score: mutant {m['id']} is at {where} in this run but at {drawn[m['id']]} in the listing")
            found.add(m["id"])
        status = m["status"]
        counts[status] = counts.get(status, 0) + 1
        fd += status in DETECTED; fu += status in UNDETECTED
        if status in UNDETECTED:
            start = m["location"]["start"]
            replacement = (m.get("replacement") or "").replace("\t", " ").replace("\n", " ")
            rows.append(f'{rel}:{start["line"]}:{start["column"]}\t{m["mutatorName"]}\t{replacement}\t{status}')
        if excluded and (status in DETECTED or status in UNDETECTED):
            killers = m.get("killedBy") or []
            if status == "Killed" and not killers:
                before["unattributed"] += 1          # killed, but the report names no test: counted as detected
                before["detected"] += 1
            elif status == "Killed":
                kept = [k for k in killers if not excluded.search(names.get(k, k))]
                before["detected" if kept else "undetected"] += 1
            else:
                before["detected" if status == "Timeout" else "undetected"] += 1
    if fd + fu:
        files.append(f"{rel}\t{fd}\t{fu}\t{score(fd, fu):.2f}")
if drawn and found != set(drawn):
    sys.exit(f"mutation-score: {len(set(drawn) - found)} drawn mutants are missing from the report (e.g. {sorted(set(drawn) - found)[:5]})")
detected = sum(counts.get(k, 0) for k in DETECTED)
undetected = sum(counts.get(k, 0) for k in UNDETECTED)
s = score(detected, undetected)

def wilson(d, u, z=1.96):
    n = d + u
    if not n:
        return float("nan"), float("nan")
    p = d / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5 / (1 + z * z / n)
    return 100 * (c - h), 100 * (c + h)
with open(os.path.join(output, "survivors.tsv"), "w") as f:
    f.write("location\tmutator\treplacement\tstatus\n")
    f.writelines(r + "\n" for r in rows)
with open(os.path.join(output, "files.tsv"), "w") as f:
    f.write("file\tdetected\tundetected\tscore\n")
    f.writelines(r + "\n" for r in files)
lines = [f"project\t{target}", f"score\t{s:.2f}", f"goal\t{goal:g}", f"detected\t{detected}", f"undetected\t{undetected}"]
if drawn:
    lo, hi = wilson(detected, undetected)
    lines[1:1] = [f"sampled\t{len(drawn)} ({open(sampled).readline()[2:].strip()})", f"score_95\t{lo:.1f} {hi:.1f}"]
lines += [f"{k}\t{v}" for k, v in sorted(counts.items())]
if excluded:
    lo, hi = wilson(before["detected"], before["undetected"])
    lines += [f"without\t{without}", f"score_without\t{score(before['detected'], before['undetected']):.2f}",
              f"score_without_95\t{lo:.1f} {hi:.1f}",
              f"detected_without\t{before['detected']}", f"undetected_without\t{before['undetected']}",
              f"killed_unattributed\t{before['unattributed']}"]
if seconds >= 0:
    lines.append(f"seconds\t{seconds}")
open(os.path.join(output, "score.txt" if seconds >= 0 else "score-rescored.txt"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
print(f"survivors: {os.path.join(output, 'survivors.tsv')} ({len(rows)}); per file: {os.path.join(output, 'files.tsv')}")
sys.exit(0 if s == s and s >= goal else 1)
PY
