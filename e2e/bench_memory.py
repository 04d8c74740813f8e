"""Memory of the editor with the largest file open, beside its floor and a peer (issue 13;
`make bench-memory`, through e2e/run.sh --script so the app runs in the harness's Xvfb).

Per launch, once the window has settled (BENCH_SETTLE_S, default 5 s after the first cue is
painted), PSS of every process of the app's tree (`cueline-desktop`, WebKitWebProcess,
WebKitNetworkProcess) is read from /proc/PID/smaps_rollup; RSS and USS (private pages) are
printed beside it. Launches, alternating, BENCH_RUNS times each (default 3), medians printed:

1. the app on the 5,536-cue file (the corpus's largest, else e2e/fixtures.py's generated one);
2. the app on the 25-cue demo episode;
3. WebKit's floor: the app on the demo, then its window navigated to a blank page
   (`about:blank`), so the page, its script heap and its DOM are gone and what is left is what
   any WebKitGTK window costs;
4. the peer: Gaupol (Debian `gaupol`, a GTK subtitle editor in Python) opening the same
   5,536-cue file, measured once its window title names the file (polled with xdotool).

BENCH_WRAP: a script to launch the app through instead of CUELINE_APP (to try an environment
variable, e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1; it must `exec` the app so it keeps its name).

Goal: the app's tree under 200 MB PSS with the 5,536-cue file. The page's own part is printed
as (1) - (3): what the web process holds above the floor.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.options import ArgOptions  # noqa: E402
from selenium.webdriver.remote.client_config import ClientConfig  # noqa: E402

from bench_audio_memory import comm, find_app, tree  # noqa: E402
from conftest import COMMAND_TIMEOUT_S, app_binary  # noqa: E402
from editor import DEMO, ITEMS, LARGEST, wait  # noqa: E402

GOAL_MB = 200.0
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SETTLE_S = float(os.environ.get("BENCH_SETTLE_S", "5"))


def rollup_kb(pid: int) -> dict[str, int]:
    out = {"Pss": 0, "Rss": 0, "Private": 0}
    for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        k, _, v = line.partition(":")
        if k in ("Pss", "Rss"):
            out[k] = int(v.split()[0])
        elif k in ("Private_Clean", "Private_Dirty"):
            out["Private"] += int(v.split()[0])
    return out


def measure_tree(root: int) -> dict[str, dict[str, float]]:
    """{process name: {pss, rss, uss}} in MB, summed per name, for `root` and its descendants."""
    out: dict[str, dict[str, float]] = {}
    for p in tree(root):
        try:
            name, r = comm(p), rollup_kb(p)
        except OSError:
            continue
        e = out.setdefault(name, {"pss": 0.0, "rss": 0.0, "uss": 0.0})
        e["pss"] += r["Pss"] / 1024
        e["rss"] += r["Rss"] / 1024
        e["uss"] += r["Private"] / 1024
    return out


def total(m: dict[str, dict[str, float]], key: str = "pss") -> float:
    return sum(e[key] for e in m.values())


def session(path: pathlib.Path):
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": os.environ.get("BENCH_WRAP") or os.path.realpath(app_binary()), "args": [str(path)]})
    url = os.environ.get("TAURI_DRIVER_URL", "http://127.0.0.1:4444")
    return webdriver.Remote(command_executor=url, options=opts,
                            client_config=ClientConfig(remote_server_addr=url, timeout=COMMAND_TIMEOUT_S))


def app_launch(src: pathlib.Path, tmp: pathlib.Path, n: int, blank: bool = False) -> dict:
    own = tmp / f"{src.stem}-{n}-{'blank' if blank else 'doc'}"
    own.mkdir()
    path = own / src.name
    shutil.copyfile(src, path)
    d = session(path)
    try:
        app = find_app(path)
        wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ITEMS), 60, f"the cues of {src.name}")
        if blank:
            d.execute_script("window.location.replace('about:blank')")
            wait(d, lambda d: d.execute_script("return location.href") == "about:blank"
                 and not d.find_elements(By.CSS_SELECTOR, ITEMS), 20, "the blank page")
        time.sleep(SETTLE_S)
        return measure_tree(app)
    finally:
        d.quit()


def gaupol_launch(src: pathlib.Path, tmp: pathlib.Path, n: int) -> dict | None:
    if not shutil.which("gaupol") or not shutil.which("xdotool"):
        return None
    own = tmp / f"gaupol-{n}"
    own.mkdir()
    path = own / src.name
    shutil.copyfile(src, path)
    env = dict(os.environ, XDG_CONFIG_HOME=str(own / "config"), XDG_DATA_HOME=str(own / "data"))
    p = subprocess.Popen(["gaupol", str(path)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            r = subprocess.run(["xdotool", "search", "--name", src.stem], capture_output=True, text=True,
                               check=False)
            if r.stdout.strip():
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("Gaupol's window never named the file")
        time.sleep(SETTLE_S)
        return measure_tree(p.pid)
    finally:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def load() -> str:
    return " ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3])


def med(runs: list[dict], name: str | None = None, key: str = "pss") -> float:
    vals = [total(r, key) if name is None else r.get(name, {}).get(key, 0.0) for r in runs]
    return statistics.median(vals)


def main() -> int:
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="cueline-bench-memory-"))
    try:
        big, demo, floor, gaupol = [], [], [], []
        print(f"Memory benchmark: {LARGEST.name} and the demo ({DEMO.name}); app {app_binary()}; "
              f"{RUNS} launches each, alternating; load {load()}", flush=True)
        for n in range(RUNS):
            big.append(app_launch(LARGEST, tmp, n))
            demo.append(app_launch(DEMO, tmp, n))
            floor.append(app_launch(DEMO, tmp, n, blank=True))
            g = gaupol_launch(LARGEST, tmp, n)
            if g is not None:
                gaupol.append(g)
            print(f"  run {n + 1}: app {total(big[-1]):.0f} MB, demo {total(demo[-1]):.0f} MB, blank page "
                  f"{total(floor[-1]):.0f} MB, Gaupol {total(g):.0f} MB; load {load()}" if g else
                  f"  run {n + 1}: app {total(big[-1]):.0f} MB, demo {total(demo[-1]):.0f} MB, blank page "
                  f"{total(floor[-1]):.0f} MB; load {load()}", flush=True)
        names = sorted({k for r in big + demo + floor for k in r})
        print()
        print(f"PSS per process, MB (median of {RUNS}; RSS / USS beside the totals)")
        print(f"{'process':<22}{'5,536 cues':>12}{'demo':>10}{'blank page':>12}")
        for name in names:
            print(f"{name:<22}{med(big, name):>12.1f}{med(demo, name):>10.1f}{med(floor, name):>12.1f}")
        print(f"{'total PSS':<22}{med(big):>12.1f}{med(demo):>10.1f}{med(floor):>12.1f}")
        print(f"{'total RSS':<22}{med(big, key='rss'):>12.1f}{med(demo, key='rss'):>10.1f}{med(floor, key='rss'):>12.1f}")
        print(f"{'total USS':<22}{med(big, key='uss'):>12.1f}{med(demo, key='uss'):>10.1f}{med(floor, key='uss'):>12.1f}")
        above = med(big) - med(floor)
        print()
        print(f"above WebKit's floor (blank page in the same window): {above:.1f} MB for the 5,536-cue file, "
              f"{med(demo) - med(floor):.1f} MB for the demo")
        if gaupol:
            g = statistics.median(total(r) for r in gaupol)
            print(f"peer: Gaupol with the same file: {g:.1f} MB PSS; the app is {med(big) / g:.2f}x Gaupol")
        else:
            print("peer: Gaupol not installed (apt-get install gaupol xdotool): not measured")
        ok = med(big) < GOAL_MB
        print(f"goal: under {GOAL_MB:.0f} MB PSS with the 5,536-cue file: {med(big):.1f} MB "
              f"({'MEETS' if ok else 'MISSES'}); load {load()}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
