#!/usr/bin/env python3
"""Benchmarks Cueline against named peers in one run and prints the ratios.

  cueline check (whole corpus)       vs  rg -c -- '-->'                 goal: at most 2x rg
  parse every corpus .vtt (Rust)     vs  webvtt-py                      goal: at least 20x faster
  cueline replace --word (corpus)    vs  rg -l0 -F | xargs -0 sed -i    goal: at most 1.5x, same bytes

Each command runs several times; the median wall-clock time is reported. Run it through
`make bench`, which builds the release binaries and the webvtt-py virtualenv first.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("CUELINE_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
CUELINE = os.path.join(ROOT, "target", "release", "cueline")
PARSE_DIR = os.path.join(ROOT, "target", "release", "examples", "parse_vtt_dir")
PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def timed(cmd, runs=RUNS, setup=None, **kw):
    times = []
    for _ in range(runs):
        if setup:
            setup()
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def row(name, ours, peer, peer_name, goal, speedup=False):
    ratio = f"{peer / ours:7.1f}x faster" if speedup else f"ratio {ours / peer:5.2f}x"
    print(f"{name:<38} {ours * 1000:9.1f} ms   {peer_name:<28} {peer * 1000:9.1f} ms   {ratio}   ({goal})")


def check_vs_rg():
    # warm the page cache, then compare
    subprocess.run(["rg", "-c", "--", "-->", CORPUS], stdout=subprocess.DEVNULL)
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        r = subprocess.run([CUELINE, "check", CORPUS], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
        if r.returncode not in (0, 1):
            sys.exit(f"cueline check failed with exit code {r.returncode}")
    ours = statistics.median(times)
    rg = timed(["rg", "-c", "--", "-->", CORPUS])
    row("cueline check, whole corpus", ours, rg, "rg -c -- '-->'", "goal: at most 2x")


def parse_vs_webvtt_py():
    out = subprocess.run([PARSE_DIR, CORPUS], check=True, capture_output=True, text=True).stdout.split()
    py = subprocess.run([PYTHON, os.path.join(ROOT, "bench", "webvtt_py.py"), CORPUS], check=True,
                        capture_output=True, text=True).stdout.split()
    ours = statistics.median(
        float(subprocess.run([PARSE_DIR, CORPUS], check=True, capture_output=True, text=True).stdout.split()[2])
        for _ in range(RUNS))
    peer = float(py[2])
    print(f"  ({out[0]} files: Cueline {out[1]} cues, webvtt-py {py[1]} cues)")
    row("parse every corpus .vtt (in-process)", ours, peer, "webvtt-py 0.6 (Python)", "goal: at least 20x faster", speedup=True)


def replace_vs_sed():
    work = tempfile.mkdtemp(prefix="cueline-bench-")
    a, b = os.path.join(work, "a"), os.path.join(work, "b")

    def fresh(dst):
        def setup():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(CORPUS, dst)
        return setup

    try:
        ours = timed([CUELINE, "replace", "--word", "Matt Makai", "Matt McKay", a], setup=fresh(a))
        sed = "rg -l0 -F 'Matt Makai' . | xargs -0 -r sed -i 's/\\bMatt Makai\\b/Matt McKay/g'"
        peer_times = []
        for _ in range(RUNS):
            fresh(b)()
            t = time.perf_counter()
            subprocess.run(["bash", "-c", sed], cwd=b, check=True)
            peer_times.append(time.perf_counter() - t)
        peer = statistics.median(peer_times)
        same = subprocess.run(["diff", "-r", "-q", a, b], capture_output=True, text=True)
        row("cueline replace --word, whole corpus", ours, peer, "rg -l0 -F | xargs -0 sed -i", "goal: at most 1.5x")
        print("  same resulting bytes:", "yes" if same.returncode == 0 else "NO\n" + same.stdout[:2000])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    if not os.path.isdir(CORPUS):
        sys.exit(f"corpus not found at {CORPUS} (set CUELINE_CORPUS)")
    print(f"corpus: {os.path.realpath(CORPUS)}; median of {RUNS} runs; {os.cpu_count()} cores")
    check_vs_rg()
    parse_vs_webvtt_py()
    replace_vs_sed()


if __name__ == "__main__":
    main()
