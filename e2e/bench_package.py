"""Launch -> first cue painted: the packaged release app beside the debug build, in one run.

Run by `make bench-package` (through e2e/run.sh --script). Env:
  CUELINE_PACKAGE_APP  the cueline-desktop extracted from the .deb
  CUELINE_DEBUG_APP    target/debug/cueline-desktop
  BENCH_RUNS           launches of each (default 5), alternated so that a change in machine load
                       does not favour one of them
The transcript is the 5,536-cue corpus file when ../shared/corpus is there, else the demo
episode (said in the output). Measurement: bench_editor.measure_launch (process start to the
first animation frame after the first cue row appears).
"""

from __future__ import annotations

import os
import pathlib
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from bench_editor import measure_launch, pctl  # noqa: E402
from conftest import OUT, REPO  # noqa: E402
from editor import LARGEST  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
APPS = {
    "packaged release": os.environ["CUELINE_PACKAGE_APP"],
    "debug build": os.environ["CUELINE_DEBUG_APP"],
}


def main() -> int:
    source = LARGEST if LARGEST.is_file() else REPO / "demo" / "demo-episode.vtt"
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="cueline-bench-package-"))
    path = tmp / source.name
    shutil.copyfile(source, path)
    lines: list[str] = []

    def out(s: str = "") -> None:
        print(s, flush=True)
        lines.append(s)

    out(f"Launch -> first cue painted: {source.name}, {RUNS} launches of each app, alternated")
    out(f"   load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    times: dict[str, list[float]] = {name: [] for name in APPS}
    for i in range(RUNS):
        for name, app in APPS.items():
            os.environ["CUELINE_APP"] = app  # conftest.app_binary() reads it on every launch
            r = measure_launch(path)
            ms = r["from_process_ms"] if r["from_process_ms"] is not None else r["from_request_ms"]
            times[name].append(ms)
            out(f"   run {i + 1} {name:17} {ms:6.0f} ms")
    for name, xs in times.items():
        out(f"   {name:17} p50 {pctl(xs, 50):6.0f} ms  p95 {pctl(xs, 95):6.0f} ms  ({APPS[name]})")
    ratio = statistics.median(times["packaged release"]) / statistics.median(times["debug build"])
    out(f"   packaged release / debug build (median): {ratio:.2f}x")
    out(f"   load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench-package.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
