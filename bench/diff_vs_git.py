#!/usr/bin/env python3
"""`cueline diff` against `git diff --stat` over the same repository, in one run.

The whole corpus is copied into a temporary git repository and committed; then 41 files get
the kind of fix the Talk Python repository takes (one name changed in a cue, as the
"Matt McKay" -> "Matt Makai" commit did in 41 episodes). Both commands then answer "what
changed since HEAD" over the whole work tree:

  cueline diff            vs  git diff --stat        goal: at most 2x
  cueline diff --json     vs  git diff --stat

Each command runs BENCH_RUNS times (default 15) after a warm-up; p50 and p95 are printed with
the machine's load average. Needs ../shared/corpus (or CUELINE_CORPUS) and a release
`target/release/cueline` (`make bench-diff` builds it).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get("CUELINE_CORPUS", os.path.join(ROOT, "..", "shared", "corpus"))
CUELINE = os.path.join(ROOT, "target", "release", "cueline")
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
GIT_ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")


def git(repo, *args):
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, stdout=subprocess.DEVNULL, env=GIT_ENV)


def times(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=GIT_ENV)
    out = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=GIT_ENV)
        out.append(time.perf_counter() - t)
    out.sort()
    return statistics.median(out), out[min(len(out) - 1, int(len(out) * 0.95))]


def main():
    if not os.path.isdir(CORPUS):
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    if not os.path.exists(CUELINE):
        print(f"no {CUELINE}: run `cargo build --release -p cueline-cli`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        # plain copies, writable like a checkout (the shared corpus is read-only)
        shutil.copytree(CORPUS, repo, copy_function=shutil.copyfile)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "corpus")
        changed = 0
        word = re.compile(r"\b([A-Z][a-z]{3,})\b")
        for dirpath, _, names in sorted(os.walk(repo)):
            if ".git" in dirpath.split(os.sep):
                continue
            for name in sorted(names):
                if changed == 41 or not name.endswith((".vtt", ".txt")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="surrogateescape") as f:
                    text = f.read()
                # a name fixed in one cue near the middle of the episode
                m = word.search(text, len(text) // 2)
                if not m:
                    continue
                text = text[: m.start()] + m.group(1) + "x" + text[m.end():]
                with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(text)
                changed += 1
        listed = subprocess.run([CUELINE, "diff", "--json"], cwd=repo, check=True,
                                capture_output=True, env=GIT_ENV).stdout
        files = listed.count(b'"path"')
        load = os.getloadavg()
        print(f"cueline diff over the corpus in git: {changed} files changed, {files} listed; "
              f"{RUNS} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        peer = times(["git", "diff", "--stat"], repo)
        for label, cmd in [("cueline diff", [CUELINE, "diff"]),
                           ("cueline diff --json", [CUELINE, "diff", "--json"])]:
            ours = times(cmd, repo)
            print(f"{label:<22} p50 {ours[0] * 1000:7.1f} ms  p95 {ours[1] * 1000:7.1f} ms   "
                  f"git diff --stat p50 {peer[0] * 1000:7.1f} ms  p95 {peer[1] * 1000:7.1f} ms   "
                  f"ratio {ours[0] / peer[0]:5.2f}x (goal: at most 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
