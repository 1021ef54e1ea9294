#!/usr/bin/env python3
"""Tests drawn mutants by editing the source, one at a time (scripts/mutation-score.sh --by-edit).

Stryker.NET tests mutants by compiling all of them into one assembly behind a switch that reads a mutable static
field. ILGPU refuses such reads in any code it compiles into a kernel, so kernel code cannot be tested that way
(docs/testing.md, "gpu"); and in the hot loops of core the instrumentation makes every test run minutes long. This
driver takes the same mutants (ids, spans and replacement texts from Stryker's listing pass) and tests each as a plain
source edit: write the replacement into the span, build the test projects, run the tests, restore the file. A mutant
whose edited source does not compile is a compile error (not counted); a block removal ("{}") in a method that
returns a value is retried as "{ return default!; }", which is what Stryker compiles for it. A mutant that survives the
C# suite is run through it again on the AVX2 code paths (DOTNET_EnableAVX512=0), as CI runs it.

Writes a report in Stryker's JSON schema (the fields mutation-score.sh reads), so the score is computed the same way.
The file being mutated is copied to <out>/pending/ first and restored from there if a previous run was interrupted.
"""
import argparse, json, os, shutil, signal, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("--listing", required=True, help="Stryker mutation-report.json of the listing pass")
p.add_argument("--sample", required=True, help="sample.tsv: the drawn mutant ids")
p.add_argument("--root", required=True, help="repository root")
p.add_argument("--out", required=True, help="output folder")
p.add_argument("--project", action="append", required=True, help="test project (repository-relative); repeatable")
p.add_argument("--filter", default="", help="dotnet test --filter expression")
p.add_argument("--timeout-s", type=int, default=0, help="a test run longer than this is a timeout (default: 3x the unmutated run + 60 s)")
a = p.parse_args()

os.makedirs(os.path.join(a.out, "pending"), exist_ok=True)
log = open(os.path.join(a.out, "edit-log.tsv"), "a")
env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")


def restore_pending():
    """Puts back any file left mutated by an interrupted run."""
    pending = os.path.join(a.out, "pending")
    for name in os.listdir(pending):
        if name.endswith(".path"):
            rel = open(os.path.join(pending, name)).read()
            shutil.copyfile(os.path.join(pending, name[:-5]), os.path.join(a.root, rel))
            os.remove(os.path.join(pending, name[:-5]))
            os.remove(os.path.join(pending, name))
            print(f"mutation-edit: restored {rel} left mutated by an interrupted run", flush=True)


def build():
    for proj in a.project:
        # Warnings are not errors here, as in Stryker's own compilation (an emptied if body is warning CS0642).
        r = subprocess.run(["dotnet", "build", proj, "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly", "-p:TreatWarningsAsErrors=false"],
                           cwd=a.root, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            return r.stdout[-2000:] + r.stderr[-2000:]
    return None


def run_tests(proj, timeout, label="", extra_env=None):
    """True when every test of proj passed, False when one failed, None on a timeout."""
    cmd = ["dotnet", "test", proj, "-c", "Release", "--no-build", "-nologo"] + (["--filter", a.filter] if a.filter else [])
    with open(os.path.join(a.out, "last-test-run.txt"), "w") as out:
        proc = subprocess.Popen(cmd, cwd=a.root, env=dict(env, **(extra_env or {})), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)   # the whole group: dotnet test and its test host
            proc.wait()
            return None
    summary = [l.strip() for l in open(os.path.join(a.out, "last-test-run.txt")) if l.lstrip().startswith(("Passed!", "Failed!"))]
    print("mutation-edit:   " + label + (" ".join(summary) or f"no test summary (exit status {code})"), flush=True)
    return code == 0


def test(timeout):
    """True when every test passed, False when one failed, None on a timeout."""
    for proj in a.project:
        result = run_tests(proj, timeout)
        if result is not True:
            return result
    # CI runs the C# suite a second time on the AVX2 code paths (DOTNET_EnableAVX512=0; .ci/run): a mutant in a 256-bit
    # fallback is never executed on an AVX-512 machine otherwise, so that run decides whether it is caught, as in CI.
    for proj in a.project:
        if proj.endswith("Diffusion.Research.Tests.csproj") or proj.rstrip("/").endswith("tests/Diffusion.Research.Tests"):
            result = run_tests(proj, timeout, "AVX2 paths: ", {"DOTNET_EnableAVX512": "0"})
            if result is not True:
                return result
    return True


signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # so that the finally below restores the file
restore_pending()
listing = json.load(open(a.listing))
drawn = [l.split("\t")[0] for l in open(a.sample) if l[:1].isdigit()]
mutants = {}
for path, entry in listing["files"].items():
    for m in entry["mutants"]:
        if m["id"] in drawn:
            mutants[m["id"]] = (path, m)


def locate(mid):
    """The drawn mutant's file and span in this checkout; exits when its lines differ from the listing's source."""
    path, m = mutants[mid]
    rel = path[path.index("/src/") + 1:] if "/src/" in path else path[path.index("/solvers/") + 1:]
    full = os.path.join(a.root, rel)
    raw = open(full, "rb").read()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    s, e = m["location"]["start"], m["location"]["end"]
    # The mutant's lines must read as they did in the listing (Stryker's report holds the source it mutated).
    listed = listing["files"][path].get("source")
    lines = slice(s["line"] - 1, e["line"])
    if listed is not None and listed.lstrip("\ufeff").split("\n")[lines] != text.split("\n")[lines]:
        sys.exit(f"mutation-edit: {rel} changed at mutant {mid}'s lines since the listing; list the mutants again")
    return rel, full, bom, text, starts[s["line"] - 1] + s["column"] - 1, starts[e["line"] - 1] + e["column"] - 1

for mid in drawn:
    locate(mid)

error = build()
if error:
    sys.exit("mutation-edit: the unmutated projects do not build:\n" + error)
t0 = time.time()
if test(None) is not True:
    sys.exit("mutation-edit: the unmutated tests fail; fix them first")
baseline = time.time() - t0
timeout = a.timeout_s or int(3 * baseline + 60)
print(f"mutation-edit: unmutated test run {baseline:.0f} s; a mutant's run longer than {timeout} s is a timeout", flush=True)

files = {}
for i, mid in enumerate(sorted(drawn, key=int)):
    path, m = mutants[mid]
    rel, full, bom, text, first, last = locate(mid)
    s, e = m["location"]["start"], m["location"]["end"]
    pending = os.path.join(a.out, "pending", "file")
    shutil.copyfile(full, pending)
    open(pending + ".path", "w").write(rel)
    started = time.time()
    status = None
    try:
        for replacement in [m["replacement"]] + (["{ return default!; }"] if m["replacement"] == "{}" else []):
            mutated = text[:first] + replacement + text[last:]
            open(full, "wb").write((b"\xef\xbb\xbf" if bom else b"") + mutated.encode("utf-8"))
            if build() is None:
                outcome = test(timeout)
                status = "Timeout" if outcome is None else "Survived" if outcome else "Killed"
                break
        status = status or "CompileError"
    finally:
        shutil.copyfile(pending, full)
        os.remove(pending + ".path")
        os.remove(pending)
    seconds = time.time() - started
    print(f"mutation-edit: [{i + 1}/{len(drawn)}] {mid} {rel}:{s['line']}:{s['column']} {m['mutatorName']}: {status} ({seconds:.0f} s)", flush=True)
    log.write(f"{mid}\t{rel}:{s['line']}:{s['column']}\t{m['mutatorName']}\t{status}\t{seconds:.0f}\n")
    log.flush()
    files.setdefault(path, []).append(dict(m, status=status, coveredBy=[], killedBy=[]))

# Rebuild the unmutated projects, so nothing mutated is left in bin/.
build()
os.makedirs(os.path.join(a.out, "reports"), exist_ok=True)
json.dump({"schemaVersion": "2", "thresholds": listing.get("thresholds", {}),
           "files": {p: {"language": "cs", "mutants": ms} for p, ms in files.items()}},
          open(os.path.join(a.out, "reports", "mutation-report.json"), "w"), indent=1)
