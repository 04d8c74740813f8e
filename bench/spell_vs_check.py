#!/usr/bin/env python3
"""`cueline spell` against `cueline check` over the whole corpus, in one run.

Issue 11's goal: `cueline spell --no-suggest` over every transcript of the corpus (1,368 files)
under 2 s and within 3x of `cueline check` over the same files; the time with dictionary
suggestions is printed beside it. Also printed: the flags per 1,000 cues, by kind, with no
project words (the corpus has no `.cueline/words.txt`; the flags per 1,000 cues with the show's
names are `crates/cli/tests/spell.rs`'s corpus test).

  cueline spell --no-suggest   vs  cueline check      goal: at most 3x, under 2 s
  cueline spell (suggestions)  vs  cueline check      printed, one run, with BENCH_SUGGEST=1

Each command runs BENCH_RUNS times (default 7) after a warm-up; p50 and p95 are printed with
the machine's load average. Needs ../shared/corpus (or CUELINE_CORPUS), a release
`target/release/cueline` (`make bench-spell` builds it) and the en_US Hunspell dictionary.
"""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("CUELINE_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
CUELINE = os.path.join(ROOT, "target", "release", "cueline")
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def run(cmd, cwd):
    # spell exits 1 when something is flagged: that is its answer, not a failure
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.decode()[:500]}")
    return p.stdout


def times(cmd, cwd, runs=RUNS):
    run(cmd, cwd)
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        run(cmd, cwd)
        out.append(time.perf_counter() - t)
    out.sort()
    return statistics.median(out), out[min(len(out) - 1, int(len(out) * 0.95))]


def main():
    transcripts = os.path.join(CORPUS, "transcripts")
    if not os.path.isdir(transcripts):
        print(f"bench-spell: no corpus at {CORPUS}; skipped")
        return
    if not os.access(CUELINE, os.X_OK):
        sys.exit(f"bench-spell: build {CUELINE} first (make bench-spell)")
    load = os.getloadavg()
    check = times([CUELINE, "check", "."], transcripts)
    quick = times([CUELINE, "spell", "--no-suggest", "."], transcripts)
    # dictionary suggestions for every distinct unknown word of the corpus take minutes: once
    full = times([CUELINE, "spell", "."], transcripts, runs=1) if os.environ.get("BENCH_SUGGEST") else None
    flags = json.loads(run([CUELINE, "spell", "--no-suggest", "--json", "."], transcripts))
    cues = sum(
        json.loads(line)["cues"]
        for line in run([CUELINE, "check", "--json", "."], transcripts).decode().splitlines()
        if line.startswith("{") and '"cues"' in line
    )
    by_kind = {}
    for f in flags:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + 1
    print(f"cueline spell over the corpus ({transcripts}), {RUNS} runs each, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"  cueline check                 p50 {check[0]*1000:7.0f} ms  p95 {check[1]*1000:7.0f} ms")
    print(f"  cueline spell --no-suggest    p50 {quick[0]*1000:7.0f} ms  p95 {quick[1]*1000:7.0f} ms"
          f"  {quick[0]/check[0]:.2f}x check  (goal: under 2 s and at most 3x)")
    if full:
        print(f"  cueline spell (suggestions)   one run {full[0]*1000:7.0f} ms  {full[0]/check[0]:.2f}x check")
    else:
        print("  cueline spell (suggestions)   not run (BENCH_SUGGEST=1 runs it once: minutes)")
    per = {k: v * 1000 / cues for k, v in sorted(by_kind.items())}
    print(f"  flags in the corpus, no project words (every name is unknown): {len(flags)} in {cues:,} cues = "
          + ", ".join(f"{k} {v:.1f}" for k, v in per.items()) + " per 1,000 cues")


if __name__ == "__main__":
    main()
