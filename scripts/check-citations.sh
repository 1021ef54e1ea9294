#!/usr/bin/env bash
# Lists the comment lines under src/, solvers/ and tests/ that cite one of the teaching documents 000-004
# (docs/references.md) without a published source beside them: an outside reader cannot resolve "001 eq 9",
# so every such citation also names the paper, e.g. "(001 eq 9; Hyvarinen 2005, Thm 1)".
#
# Heuristic: a citation is 000-004 as a word in a comment (C#/F# // and /* */ or (* *) comments, Python # comments
# and docstrings), not part of a number ("0.001", "100 000", "1_000"). It counts as sourced when its line or its
# comment block (the run of adjacent comment lines around it) names a year 19xx/20xx or a known author.
#
# Usage: scripts/check-citations.sh [--all] [--strict] [--count] [PATH...]   (default paths: src solvers tests)
#   --all    also check the citations outside comments: F# test names (``... (001 eq 9)``), sourced by the doc
#            comment block right above the test, and string literals (registry descriptions, messages)
#   --strict the source must sit on the citation's line or the comment line just before or after it
#   --count  print only the number of unsourced citations
# Exit status: 0 when every citation has a source, 1 otherwise, 2 for a usage error.
set -uo pipefail
cd "$(dirname "$0")/.."

all=0 count=0 strict=0 paths=()
for a in "$@"; do
  case "$a" in
    --all) all=1 ;;
    --count) count=1 ;;
    --strict) strict=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-citations: unknown option $a" >&2; exit 2 ;;
    *) paths+=("$a") ;;
  esac
done
[ ${#paths[@]} -gt 0 ] || paths=(src solvers tests)

exec python3 - "$all" "$count" "$strict" "${paths[@]}" <<'PY'
import os, re, subprocess, sys

check_all, count_only, strict, paths = sys.argv[1] == "1", sys.argv[2] == "1", sys.argv[3] == "1", sys.argv[4:]
files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *paths],
                       capture_output=True, text=True, check=True).stdout.split()
files = [f for f in files if f.endswith((".cs", ".fs", ".fsx", ".py")) and os.path.isfile(f)]

# 000-004 as a word, not inside a number: not after a digit, '.', '_' or a digit-group space, not before a digit.
CITE = re.compile(r"(?<![\w.])(?<!\d[ ,\u00a0\u202f])00[0-4](?![\w])(?!\.\d)")
# authors, not the concepts named after people ("Tweedie's formula", "Stein's identity", "Hutchinson probes")
AUTHORS = ("Hyvärinen|Hyvarinen|Vincent|Anderson|Robbins|Efron|Song|Ermon|Ho et al|Karras|Kingma|Lipman|Nichol|"
           "Dhariwal|Risken|Kloeden|Platen|Grathwohl|Lu et al|Zhang|Jolicoeur|Dormand|Hairer|Chung|Särkkä|Sarkka|"
           "Øksendal|Oksendal|Gardiner|Pavliotis|Sohl-Dickstein|Salimans|Lai et al")
SOURCE = re.compile(r"\b(19|20)\d\d\b|\b(" + AUTHORS + r")\b")

def comment_part(line, ext, state):
    """The comment text of one line (or None) and the new block-comment state."""
    s = line.strip()
    if ext == ".py":
        if state:
            if '"""' in s:
                return s, False
            return s, True
        if s.startswith('"""'):
            return s, (s.count('"""') == 1)
        i = code_index(line, "#")
        return (line[i:] if i >= 0 else None), False
    if state:
        end = "*)" if ext != ".cs" and state == "(*" else "*/"
        return s, (state if end not in s else False)
    if s.startswith("/*"):
        return s, ("/*" if "*/" not in s else False)
    if ext != ".cs" and s.startswith("(*") and not s.startswith("(*)"):
        return s, ("(*" if "*)" not in s else False)
    i = code_index(line, "//")
    return (line[i:] if i >= 0 else None), False

def code_index(line, marker):
    """Index of a comment marker outside string literals (simple scan: "...", '.', @"..." are enough here)."""
    quote, i = None, 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 2
                continue
            if c == quote:
                quote = None
        elif c == '"':
            quote = '"'
        elif line.startswith(marker, i):
            if marker == "//" and i > 0 and line[i - 1] == ":":  # a URL, not a comment
                i += 2
                continue
            return i
        i += 1
    return -1

problems = []
for path in sorted(files):
    ext = os.path.splitext(path)[1]
    try:
        lines = open(path, encoding="utf-8").read().split("\n")
    except UnicodeDecodeError:
        continue
    state, comments = False, []
    for line in lines:
        part, state = comment_part(line, ext, state)
        comments.append(part)
    # comment blocks: runs of adjacent lines that carry a comment
    block = [0] * len(lines)
    b = 0
    for i, part in enumerate(comments):
        if part is None:
            b += 1
        elif i > 0 and comments[i - 1] is None:
            b += 1
        block[i] = b
    text_of = {}
    for i, part in enumerate(comments):
        if part is not None:
            text_of.setdefault(block[i], []).append(part)
    for i, part in enumerate(comments):
        if part is not None and CITE.search(part):
            if strict:
                near = [comments[j] for j in (i - 1, i, i + 1)
                        if 0 <= j < len(lines) and comments[j] is not None and block[j] == block[i]]
                if SOURCE.search(" ".join(near)):
                    continue
            elif SOURCE.search(part) or SOURCE.search(" ".join(text_of[block[i]])):
                continue
            problems.append((path, i + 1, "comment", lines[i].strip()))
        elif check_all and CITE.search(lines[i]):
            code = lines[i] if part is None else lines[i][: lines[i].find(part)]
            if not CITE.search(code):
                continue
            if SOURCE.search(code):
                continue
            # an F# test name is sourced by the comment block right above it (attributes in between)
            j = i - 1
            while j >= 0 and comments[j] is None and lines[j].strip().startswith(("[<", "[")):
                j -= 1
            if j >= 0 and comments[j] is not None and SOURCE.search(" ".join(text_of[block[j]])):
                continue
            kind = "test name" if "``" in code else "string"
            problems.append((path, i + 1, kind, lines[i].strip()))

if count_only:
    print(len(problems))
else:
    for path, n, kind, text in problems:
        print(f"{path}:{n}: [{kind}] {text[:160]}")
    print(f"check-citations: {len(problems)} citation(s) of 000-004 without a published source", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
