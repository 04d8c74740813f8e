"""Memory of the real app with a 2-hour MP3 attached (issue 4; `make bench-audio-memory`, through
e2e/run.sh --script, so the app plays into the run's PulseAudio null sink).

Goal: under 100 MB above the same editor without audio (no whole-file PCM kept in memory: two
hours of 22.05 kHz mono 16-bit PCM alone would be 318 MB, as f32 635 MB).

1. Makes a 2-hour speech-like MP3 once (cached in e2e/out/bench-audio-memory/, gitignored): the
   decoded demo episode (demo/demo-episode.mp3, 125.6 s of espeak-ng speech, 22.05 kHz mono)
   repeated with sox and cut at 2:00:00, encoded with `lame --abr 64` (about 20 s). Its transcript
   is demo/demo-episode.vtt's 25 cues repeated at the same period (about 1,430 cues up to 2:00:00),
   so "Play from here" can seek anywhere in the two hours; it is `<name>.vtt` beside `<name>.mp3`,
   where the app finds the audio by basename.
2. Peer: the app on the same transcript alone in a directory (no audio): the document shown, the
   same cues scrolled into view as below, a few seconds to settle, then the memory is read.
3. The app on the transcript with the MP3 beside it: the transport shows the audio file, the
   waveform strip finishes computing the peaks (its `role=progressbar` goes away and
   `data-status` is `ready`), Play for 10 s (BENCH_PLAY_S), "Play from here" on cues at about 0:30, 1:00, 1:30
   and 1:59 (2 s of playback each), then the memory is read while it plays.
Each launch runs through a wrapper with its own empty XDG_DATA_HOME, so the peaks are computed
in the measured launch (no peaks cache) and nothing is resumed from an earlier launch.

Memory is read from /proc: VmRSS of the app process (`cueline-desktop`, where Rust decodes the
audio and computes the peaks), its VmHWM (the peak RSS over its life, which covers the peaks
computation), and the sum over the app's process tree (the app and the WebKitGTK processes it
starts: WebKitWebProcess, WebKitNetworkProcess), as RSS (shared pages counted in each process)
and as USS (private pages only; PSS is not used: it divides shared library pages among every
process mapping them, so other WebKit apps on the machine move it). A sampler also records the
highest RSS seen every 0.2 s. The goal is judged on the RSS of the app process and of the tree.
Env: BENCH_RUNS (launches of each kind, alternating, default 3; medians are reported),
BENCH_SETTLE_S (seconds before reading, default 5), BENCH_PLAY_S (playback from the start before
the seeks, default 10), BENCH_AUDIO_SECONDS (length of the MP3, default 7200).
"""

from __future__ import annotations

import math
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.options import ArgOptions  # noqa: E402
from selenium.webdriver.remote.client_config import ClientConfig  # noqa: E402

from conftest import COMMAND_TIMEOUT_S, OUT, app_binary  # noqa: E402
from editor import DEMO, ITEMS, fmt_ms, parse_vtt, reveal, row, wait  # noqa: E402

GOAL_MB = 100.0
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SETTLE_S = float(os.environ.get("BENCH_SETTLE_S", "5"))
SECONDS = int(os.environ.get("BENCH_AUDIO_SECONDS", "7200"))
PLAY_S = float(os.environ.get("BENCH_PLAY_S", "10"))
SEEK_AT_S = [s for s in (1800, 3600, 5400, SECONDS - 60) if s < SECONDS]
CACHE = OUT / "bench-audio-memory"
NAME = f"episode-{SECONDS // 60}min"
DEMO_MP3 = DEMO.with_suffix(".mp3")
RATE = 22050
AUDIO_FILE = '[aria-label="Audio file"]'
WAVEFORM = '[role="group"][aria-label="Waveform"]'
COMPUTING = '[role="progressbar"][aria-label="Computing the waveform"]'
POSITION = '[aria-label="Playback position"]'
COMM = "cueline-desktop"  # /proc/PID/comm (15 characters)


# ---------------------------------------------------------------------------------------------
# The test episode


def soxi(flag: str, path: pathlib.Path) -> str:
    return subprocess.run(["soxi", flag, str(path)], check=True, capture_output=True, text=True).stdout.strip()


def make_episode() -> tuple[pathlib.Path, pathlib.Path, str]:
    """`<NAME>.mp3` and `<NAME>.vtt` in CACHE (made once); a line describing them."""
    CACHE.mkdir(parents=True, exist_ok=True)
    mp3, vtt = CACHE / f"{NAME}.mp3", CACHE / f"{NAME}.vtt"
    # The length of the decoded demo, in samples at RATE (the demo is 22.05 kHz mono).
    period = round(int(soxi("-s", DEMO_MP3)) * RATE / int(soxi("-r", DEMO_MP3)))
    repeats = math.ceil(SECONDS * RATE / period)
    if not mp3.is_file():
        for tool in ("sox", "lame"):
            if not shutil.which(tool):
                raise SystemExit(f"bench-audio-memory: {tool} not found (run 'make deps')")
        print(f"making a {SECONDS} s MP3 at {mp3} (once): the demo episode x {repeats}, lame --abr 64 ...",
              flush=True)
        t0 = time.monotonic()
        tmp = mp3.with_suffix(".tmp.mp3")
        raw = ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-r", str(RATE)]  # mono, RATE
        sox = subprocess.Popen(
            ["sox", str(DEMO_MP3), *raw, "-", "repeat", str(repeats - 1), "trim", "0", str(SECONDS)],
            stdout=subprocess.PIPE,
        )
        lame = subprocess.run(
            ["lame", "--quiet", "-r", "-s", f"{RATE / 1000:g}", "--bitwidth", "16", "--signed",
             "--little-endian", "-m", "m", "--abr", "64",
             "--tt", f"Harbor Lights x {repeats} (Cueline memory benchmark)", "-", str(tmp)],
            stdin=sox.stdout,
            stderr=subprocess.PIPE,  # lame warns that libsndfile may ignore -r: it does not
            text=True,
        )
        sox.stdout.close()
        if sox.wait() != 0 or lame.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise SystemExit(f"bench-audio-memory: sox | lame could not make the test MP3: {lame.stderr}")
        tmp.rename(mp3)
        print(f"   encoded in {time.monotonic() - t0:.1f} s", flush=True)
    # The transcript: the demo's cues at every repetition of the demo's audio.
    text = DEMO.read_text(encoding="utf-8")
    header = text.split("\n\n00:", 1)[0].rstrip("\n")
    cues = parse_vtt(DEMO.read_bytes())
    blocks = []
    for r in range(repeats):
        off = round(r * period * 1000 / RATE)
        for c in cues:
            if off + c.end_ms > SECONDS * 1000:
                break
            blocks.append(f"{fmt_ms(off + c.start_ms)} --> {fmt_ms(off + c.end_ms)}\n{c.text}\n")
    body = header + "\n\n" + "\n".join(blocks)
    if not vtt.is_file() or vtt.read_text(encoding="utf-8") != body:
        vtt.write_text(body, encoding="utf-8")
    size = mp3.stat().st_size / 1e6
    about = (f"{mp3.name}: {fmt_ms(SECONDS * 1000)[:8]}, 22.05 kHz mono, lame --abr 64, {size:.1f} MB "
             f"(demo episode x {repeats}); transcript {vtt.name}: {len(blocks):,} cues (the same file in both launches)")
    return mp3, vtt, about


# ---------------------------------------------------------------------------------------------
# Memory from /proc


def status_kb(pid: int) -> dict[str, int]:
    out = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM"):
            out[k] = int(v.split()[0])
    return out


def uss_kb(pid: int) -> int:
    """Private (unshared) resident memory: Private_Clean + Private_Dirty."""
    total = 0
    for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


def comm(pid: int) -> str:
    return pathlib.Path(f"/proc/{pid}/comm").read_text().strip()


def find_app(path: pathlib.Path, timeout: float = 10) -> int:
    """The app process opened on `path` (a unique temp path). Matched by name and command line,
    not by /proc/PID/exe, so a rebuild of the binary during the run does not hide it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if comm(int(pid)) != COMM:
                    continue
                args = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if str(path).encode() in args:
                return int(pid)
        time.sleep(0.1)
    raise RuntimeError(f"no {COMM} process opened on {path}")


def tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            ppid = int(pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def snapshot(app: int) -> dict:
    st = status_kb(app)
    procs = []
    tree_rss = tree_uss = 0
    for p in tree(app):
        try:
            rss = status_kb(p).get("VmRSS", 0)
            uss = uss_kb(p)
            name = comm(p)
        except OSError:
            continue
        tree_rss += rss
        tree_uss += uss
        procs.append((name, rss / 1024))
    return {
        "app_rss": st["VmRSS"] / 1024,
        "app_hwm": st["VmHWM"] / 1024,
        "app_uss": uss_kb(app) / 1024,
        "tree_rss": tree_rss / 1024,
        "tree_uss": tree_uss / 1024,
        "procs": procs,
    }


class Sampler:
    """The highest app and tree RSS seen, every 0.2 s, while a launch runs."""

    def __init__(self, app: int):
        self.app, self.max_app, self.max_tree = app, 0.0, 0.0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.wait(0.2):
            try:
                pids = tree(self.app)
                app = status_kb(self.app)["VmRSS"] / 1024
            except (OSError, KeyError):
                continue
            total = 0
            for p in pids:
                try:
                    total += status_kb(p).get("VmRSS", 0) / 1024
                except OSError:
                    pass
            self.max_app, self.max_tree = max(self.max_app, app), max(self.max_tree, total)

    def stop(self):
        self._stop.set()
        self._t.join()


# ---------------------------------------------------------------------------------------------
# The window


def wrapper(tmp: pathlib.Path, n: int) -> pathlib.Path:
    """The app with its own empty XDG_DATA_HOME (no peaks cache, nothing resumed)."""
    data = tmp / f"data-{n}"
    data.mkdir()
    w = tmp / f"cueline-{n}.sh"
    w.write_text(f"#!/bin/sh\nexport XDG_DATA_HOME='{data}'\nexec '{os.path.realpath(app_binary())}' \"$@\"\n")
    w.chmod(0o755)
    return w


def session(app: pathlib.Path, path: pathlib.Path):
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": str(app), "args": [str(path)]})
    url = os.environ.get("TAURI_DRIVER_URL", "http://127.0.0.1:4444")
    config = ClientConfig(remote_server_addr=url, timeout=COMMAND_TIMEOUT_S)
    for attempt in (1, 2):  # a launch that never answers (see conftest.py) is retried once
        try:
            return webdriver.Remote(command_executor=url, options=opts, client_config=config)
        except Exception as e:  # noqa: BLE001
            if attempt == 2:
                raise
            print(f"   (app launch failed: {type(e).__name__}; retried once)", flush=True)


def open_document(d, path: pathlib.Path) -> None:
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ITEMS) or d.find_elements(By.CSS_SELECTOR, '[role="alert"]'),
         30, f"the cue list of {path.name}")
    alerts = d.find_elements(By.CSS_SELECTOR, '[role="alert"]')
    if alerts:
        raise RuntimeError(f"the app shows an error after opening {path.name}: {alerts[0].text!r}")


def seek_cues(cues, at_s: list[int]) -> list[int]:
    """The first cue starting at or after each time."""
    out = []
    for s in at_s:
        out.append(next((i for i, c in enumerate(cues) if c.start_ms >= s * 1000), len(cues) - 1))
    return out


def position_ms(d) -> int:
    h, m, rest = d.find_element(By.CSS_SELECTOR, POSITION).text.strip().split(":")
    return round(((int(h) * 60 + int(m)) * 60 + float(rest)) * 1000)


def playing(d) -> bool:
    return bool(d.find_elements(By.XPATH, '//*[@role="toolbar" and @aria-label="Playback"]'
                                          '//button[normalize-space()="Pause"]'))


def measure_without_audio(vtt_src: pathlib.Path, tmp: pathlib.Path, n: int, cue_ix: list[int]) -> dict:
    own = tmp / f"no-audio-{n}"
    own.mkdir()
    path = own / vtt_src.name
    shutil.copyfile(vtt_src, path)
    d = session(wrapper(tmp, n), path)
    try:
        app = find_app(path)
        sampler = Sampler(app)
        open_document(d, path)
        if d.find_elements(By.CSS_SELECTOR, AUDIO_FILE):
            raise RuntimeError("the peer launch has audio attached: it must have none")
        for k in cue_ix:  # the same rows scrolled into view as in the launch with audio
            reveal(d, k)
            time.sleep(0.5)
        time.sleep(SETTLE_S)
        snap = snapshot(app)
        sampler.stop()
        snap.update(max_app=sampler.max_app, max_tree=sampler.max_tree)
        return snap
    finally:
        d.quit()


def measure_with_audio(vtt_src: pathlib.Path, mp3_src: pathlib.Path, tmp: pathlib.Path, n: int,
                       cue_ix: list[int], cues) -> dict:
    own = tmp / f"audio-{n}"
    own.mkdir()
    path = own / vtt_src.name
    shutil.copyfile(vtt_src, path)
    shutil.copyfile(mp3_src, own / mp3_src.name)
    d = session(wrapper(tmp, n), path)
    try:
        app = find_app(path)
        sampler = Sampler(app)
        open_document(d, path)
        wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, AUDIO_FILE), 20, f"the audio file ({mp3_src.name}) attached")
        t0 = time.monotonic()
        name = d.find_element(By.CSS_SELECTOR, AUDIO_FILE).text
        if name != mp3_src.name:
            raise RuntimeError(f"the transport shows {name!r}, expected {mp3_src.name!r}")
        msg = d.find_elements(By.CSS_SELECTOR, '[aria-label="Playback message"]')
        if msg and "No sound output" in msg[0].text:
            raise RuntimeError(f"no sound output: {msg[0].text!r} (run through e2e/run.sh)")
        duration = d.find_element(By.CSS_SELECTOR, '[aria-label="Duration"]').text
        # The peaks: the strip's progress bar goes away and data-status becomes ready.
        wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, COMPUTING)
             and d.find_element(By.CSS_SELECTOR, WAVEFORM).get_attribute("data-status") in ("ready", "failed"),
             600, "the waveform peaks to finish computing")
        peaks_s = time.monotonic() - t0
        if d.find_element(By.CSS_SELECTOR, WAVEFORM).get_attribute("data-status") != "ready":
            raise RuntimeError("the waveform failed: " + d.find_element(By.CSS_SELECTOR, WAVEFORM).text)
        after_peaks = snapshot(app)
        # Play for PLAY_S from the start.
        d.find_element(By.XPATH, '//*[@role="toolbar" and @aria-label="Playback"]'
                                 '//button[normalize-space()="Play"]').click()
        wait(d, playing, 5, "the transport to show Pause")
        p0, w0 = position_ms(d), time.monotonic()
        time.sleep(PLAY_S)
        played = (position_ms(d) - p0) / 1000
        wall = time.monotonic() - w0
        after_play = snapshot(app)
        # Seek: Play from here on cues through the two hours.
        seeks = []
        for k in cue_ix:
            item = reveal(d, k)
            item.find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
            start = cues[k].start_ms
            wait(d, lambda d: playing(d) and start <= position_ms(d) <= start + 1500, 5,
                 f"Play from here on cue {k} ({fmt_ms(start)})")
            time.sleep(2)
            r = row(d, k)
            seeks.append((k, start, position_ms(d), r is not None and r.get_attribute("aria-current") == "true"))
        time.sleep(max(0.0, SETTLE_S - 2))
        snap = snapshot(app)
        still = playing(d)
        sampler.stop()
        # The peaks were computed in this launch: its data folder started empty and now holds them.
        cached = sorted((tmp / f"data-{n}" / "cueline" / "peaks").glob("*"))
        snap.update(cache_kb=sum(f.stat().st_size for f in cached) / 1024 if cached else None,
                    max_app=sampler.max_app, max_tree=sampler.max_tree, peaks_s=peaks_s, duration=duration,
                    played=played, wall=wall, seeks=seeks, still_playing=still, after_peaks=after_peaks,
                    after_play=after_play)
        return snap
    finally:
        d.quit()


# ---------------------------------------------------------------------------------------------


def procs(snap: dict) -> str:
    parts = ", ".join(f"{name} {mb:.0f}" for name, mb in snap["procs"])
    return f"app {snap['app_rss']:.1f} MB, tree {snap['tree_rss']:.1f} MB ({parts})"


def main() -> int:
    mp3, vtt, about = make_episode()
    cues = parse_vtt(vtt.read_bytes())
    cue_ix = seek_cues(cues, SEEK_AT_S)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="cueline-bench-mem-"))
    lines: list[str] = []

    def out(s=""):
        print(s, flush=True)
        lines.append(s)

    binary = app_binary()
    out(f"Memory with a 2-hour MP3 attached (issue 4), app {binary}"
        + (" (debug build)" if "/debug/" in binary else ""))
    out(f"   {about}")
    out(f"   load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    base, audio = [], []
    try:
        for n in range(RUNS):
            b = measure_without_audio(vtt, tmp, 2 * n, cue_ix)
            base.append(b)
            out(f"   run {n + 1} without audio: {procs(b)}")
            a = measure_with_audio(vtt, mp3, tmp, 2 * n + 1, cue_ix, cues)
            audio.append(a)
            ap, pl = a["after_peaks"], a["after_play"]
            cache = f"peaks cache written, {a['cache_kb']:.0f} KB" if a["cache_kb"] else "NO peaks cache written"
            out(f"   run {n + 1} with the MP3 (duration {a['duration']}):")
            out(f"      waveform peaks ready {a['peaks_s']:.1f} s after the audio file showed ({cache}): "
                f"app {ap['app_rss']:.1f} MB (peak {ap['app_hwm']:.1f} MB), tree {ap['tree_rss']:.1f} MB")
            out(f"      played {a['played']:.1f} s of audio in {a['wall']:.1f} s: "
                f"app {pl['app_rss']:.1f} MB, tree {pl['tree_rss']:.1f} MB")
            out("      Play from here at " + ", ".join(
                f"{fmt_ms(st)[:8]} (then at {fmt_ms(pos)[:8]}{', highlighted' if cur else ''})"
                for _k, st, pos, cur in a["seeks"]))
            out(f"      read {'while playing' if a['still_playing'] else 'NOT playing'}: {procs(a)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    out(f"   MB (MiB), median of {RUNS} launch{'es' if RUNS > 1 else ''} of each kind; "
        f"'with' is read after the peaks, {PLAY_S:.0f} s of playback and {len(cue_ix)} seeks, while playing")
    out(f"   {'':40} {'without audio':>14} {'with 2-h MP3':>13} {'difference':>11}"
        f"   goal: under {GOAL_MB:.0f} MB more")
    verdicts = {}
    for key, label, judged in (
        ("app_rss", "app process RSS (Rust: decoding, peaks)", True),
        ("app_hwm", "app process peak RSS (VmHWM)", True),
        ("max_app", "app process highest RSS sampled", False),
        ("app_uss", "app process private (USS)", False),
        ("tree_rss", "app + WebKit processes, RSS sum", True),
        ("tree_uss", "app + WebKit processes, USS sum", False),
        ("max_tree", "app + WebKit, highest RSS sum sampled", False),
    ):
        x, y = med(base, key), med(audio, key)
        diff = y - x
        verdict = ("met" if diff < GOAL_MB else "MISSED") if judged else ""
        verdicts[key] = diff < GOAL_MB
        out(f"   {label:40} {x:14.1f} {y:13.1f} {diff:+11.1f}   {verdict}")
    ok = verdicts["app_rss"] and verdicts["app_hwm"] and verdicts["tree_rss"]
    app_diff = med(audio, "app_rss") - med(base, "app_rss")
    tree_diff = med(audio, "tree_rss") - med(base, "tree_rss")
    out(f"   goal (under {GOAL_MB:.0f} MB above the editor without audio): {'MET' if ok else 'MISSED'}; "
        f"app process {app_diff:+.1f} MB ({app_diff / GOAL_MB:.2f}x the allowance), "
        f"app + WebKit {tree_diff:+.1f} MB ({tree_diff / GOAL_MB:.2f}x)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench-audio-memory.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
