"""Audio in the real window (issue 4): click-to-seek, follow-along, and every default playback
and timing shortcut, with a real audio output (e2e/run.sh starts a PulseAudio null sink and
exports PULSE_SERVER; the app plays into it in real time).

Each test copies the demo episode (demo-episode.vtt + demo-episode.mp3, found by basename) into
a temp dir, so timing edits can be saved and the bytes on disk checked. Positions are read from
the transport's hooks: `aria-label="Playback position"` (HH:MM:SS.mmm), the `Play`/`Pause`
toggle button, and `aria-label="Speed"`.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import Launch, screenshot
from editor import (
    DEMO,
    SAVED,
    changed_lines,
    chord,
    cue_count,
    focus_text,
    keys,
    open_editor,
    parse_vtt,
    reveal,
    row,
    wait,
    wait_count,
    wait_status,
)

CTRL, SHIFT = Keys.CONTROL, Keys.SHIFT
POSITION = '[aria-label="Playback position"]'
DEMO_MP3 = DEMO.with_suffix(".mp3")


def parse_clock(text: str) -> int:
    h, m, rest = text.strip().split(":")
    s, ms = rest.split(".")
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def position(driver) -> int:
    return parse_clock(driver.find_element(By.CSS_SELECTOR, POSITION).text)


def playing(driver) -> bool:
    return bool(driver.find_elements(By.XPATH, '//button[normalize-space()="Pause"]'))


def wait_playing(driver, want: bool, timeout: float = 5) -> None:
    wait(driver, lambda d: playing(d) == want, timeout, f"the transport to show {'Pause' if want else 'Play'}")


def playback_message(driver) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, '[aria-label="Playback message"]')
    return found[0].text if found else ""


def opened_demo(launch: Launch, tmp_path: pathlib.Path):
    """The demo episode (transcript + audio) copied to `tmp_path` and opened."""
    vtt = tmp_path / DEMO.name
    shutil.copyfile(DEMO, vtt)
    shutil.copyfile(DEMO_MP3, tmp_path / DEMO_MP3.name)
    original = vtt.read_bytes()
    driver = open_editor(launch, vtt)
    wait_status(driver, SAVED)
    wait(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, '[aria-label="Audio file"]'),
        10,
        "the audio beside the transcript (demo-episode.mp3) to be attached",
    )
    assert driver.find_element(By.CSS_SELECTOR, '[aria-label="Audio file"]').text == DEMO_MP3.name
    assert "No sound output" not in playback_message(driver), (
        f"the app has no sound output: {playback_message(driver)!r} (is PULSE_SERVER set by e2e/run.sh?)"
    )
    return driver, vtt, original, parse_vtt(original)


# Clicks a cue's "Play from here" button and reads the position in the same page turn as the
# transport switches to Pause, so WebDriver's own latency does not count.
# The position shown in the first rendered state that says Pause (the click's answer). A
# MutationObserver sees every state the page renders, whereas polling once per animation frame
# could read a later one: under load a frame comes late, a 50 ms playback report may have been
# rendered meanwhile, and the position read would include that much playing (seen as 55 ms).
_CLICK_AND_READ = """
const [item, done] = [arguments[0], arguments[arguments.length - 1]];
const btn = item.querySelector('button[aria-label="Play from here"]');
const pos = () => document.querySelector('[aria-label="Playback position"]').textContent;
const isPlaying = () => [...document.querySelectorAll('button')].some(b => b.textContent.trim() === 'Pause');
const t0 = performance.now();
let finished = false;
const finish = (ms) => {
  if (finished) return;
  finished = true;
  observer.disconnect();
  done({pos: pos(), ms});
};
const observer = new MutationObserver(() => { if (isPlaying()) finish(performance.now() - t0); });
observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
setTimeout(() => finish(-1), 3000);
btn.click();
"""


_ADVANCE = """
const done = arguments[arguments.length - 1];
const el = document.querySelector('[aria-label="Playback position"]');
const read = () => { const [h, m, r] = el.textContent.trim().split(':'); return ((+h * 60 + +m) * 60) * 1000 + Math.round(parseFloat(r) * 1000); };
const p0 = read(), t0 = performance.now();
setTimeout(() => done([read() - p0, performance.now() - t0]), 1000);
"""


def test_play_from_here_lands_on_the_cue_start_and_plays(launch: Launch, tmp_path) -> None:
    driver, _vtt, _orig, cues = opened_demo(launch, tmp_path)
    for k in (4, 12):
        if playing(driver):  # the switch to Pause marks the click's answer: start paused
            chord(driver, CTRL, " ")
            wait_playing(driver, False)
        item = reveal(driver, k)
        got = driver.execute_async_script(_CLICK_AND_READ, item)
        assert got["ms"] >= 0, "the transport never switched to Pause after Play from here"
        start = cues[k].start_ms
        pos = parse_clock(got["pos"])
        assert abs(pos - start) <= 50, f"cue {k}: position {got['pos']} is {pos - start} ms from its start {start}"
        # It really plays: the position advances in real time (a null sink consumes at 1x),
        # measured inside the page so WebDriver's round trips do not count.
        advanced, wall = driver.execute_async_script(_ADVANCE)
        assert 0.8 * wall <= advanced <= 1.2 * wall + 60, f"advanced {advanced} ms in {wall:.0f} ms"
    screenshot(driver, "audio-playing")
    # Esc pauses (no dialog is open), Ctrl+Space plays again.
    focus_text(driver, 12)
    keys(driver, Keys.ESCAPE)
    wait_playing(driver, False)
    chord(driver, CTRL, " ")
    wait_playing(driver, True)
    chord(driver, CTRL, " ")
    wait_playing(driver, False)


_WATCH_CURRENT = """
const [index] = arguments;
window.__currentAt = null;
const pos = () => document.querySelector('[aria-label="Playback position"]').textContent;
const list = document.querySelector('[role="list"][aria-label="Cues"]');
const check = () => {
  const el = list.querySelector('[role="listitem"][aria-current="true"]');
  if (el && Number(el.dataset.cueIndex) === index && window.__currentAt === null) window.__currentAt = pos();
};
new MutationObserver(check).observe(list, {subtree: true, attributes: true, attributeFilter: ['aria-current'], childList: true});
"""


def test_follow_along_highlight_moves_within_50_ms_of_the_boundary(launch: Launch, tmp_path) -> None:
    follow_along(launch, tmp_path, within_ms=50)


def test_follow_along_highlight_moves_within_100_ms_with_both_cores_busy(launch: Launch, tmp_path) -> None:
    """Issue 13: the same crossing while every core spins in another process."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        follow_along(launch, tmp_path, within_ms=100)
    finally:
        for p in spinners:
            p.kill()
            p.wait()


def follow_along(launch: Launch, tmp_path, within_ms: int) -> None:
    driver, _vtt, _orig, cues = opened_demo(launch, tmp_path)
    k = 6
    start = cues[k].start_ms
    # Play from the previous cue; the highlight is on it, then moves to cue k as the audio crosses.
    item = reveal(driver, k - 1)
    item.find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    wait_playing(driver, True)
    wait(driver, lambda d: (r := row(d, k - 1)) is not None and r.get_attribute("aria-current") == "true", 3,
         f"cue {k - 1} to be the playing cue (aria-current)")
    driver.execute_script(_WATCH_CURRENT, k)
    gap = max(0, start - cues[k - 1].start_ms)
    wait(driver, lambda d: d.execute_script("return window.__currentAt") is not None, gap / 1000 + 5,
         f"the highlight (aria-current) to move to cue {k}")
    at = parse_clock(driver.execute_script("return window.__currentAt"))
    assert start <= at <= start + within_ms, f"the highlight moved at {at} ms; cue {k} starts at {start} ms"
    assert len(driver.find_elements(By.CSS_SELECTOR, '[role="listitem"][aria-current="true"]')) == 1
    chord(driver, CTRL, " ")
    wait_playing(driver, False)


def test_playback_shortcuts_do_their_jobs(launch: Launch, tmp_path) -> None:
    driver, _vtt, _orig, cues = opened_demo(launch, tmp_path)
    speed = lambda d: d.find_element(By.CSS_SELECTOR, 'select[aria-label="Speed"]').get_property("value")  # noqa: E731
    focus_text(driver, 3)
    # F5 plays the cue from its start; Esc pauses.
    keys(driver, Keys.F5)
    wait_playing(driver, True)
    keys(driver, Keys.ESCAPE)
    wait_playing(driver, False)
    p = position(driver)
    assert cues[3].start_ms <= p <= cues[3].start_ms + 1500, p
    # F1 / F2 skip back / forward 2 s (paused: exact).
    keys(driver, Keys.F2)
    wait(driver, lambda d: position(d) == p + 2000, 3, f"F2 to skip to {p + 2000}")
    keys(driver, Keys.F1)
    keys(driver, Keys.F1)
    wait(driver, lambda d: position(d) == p - 2000, 3, f"F1 twice to skip to {p - 2000}")
    # F4 / F3 faster / slower by 0.1.
    assert speed(driver) == "1.0"
    keys(driver, Keys.F4)
    wait(driver, lambda d: speed(d) == "1.1", 3, "F4 to set 1.1x")
    keys(driver, Keys.F3)
    keys(driver, Keys.F3)
    wait(driver, lambda d: speed(d) == "0.9", 3, "F3 twice to set 0.9x")
    # Ctrl+Enter in a cue's text plays from that cue's start.
    focus_text(driver, 8)
    chord(driver, CTRL, Keys.ENTER)
    wait_playing(driver, True)
    assert cues[8].start_ms <= position(driver) <= cues[8].start_ms + 1000
    # Esc with the cheat sheet open closes it and keeps playing.
    chord(driver, CTRL, "/")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[role="dialog"]'), 3, "the cheat sheet")
    keys(driver, Keys.ESCAPE)
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, '[role="dialog"]'), 3, "Esc to close the cheat sheet")
    assert playing(driver), "Esc that closed the cheat sheet also paused playback"
    # F6 loops the current cue: the Loop toggle is pressed, and playback stays inside the cue.
    focus_text(driver, 8)
    keys(driver, Keys.F6)
    loop = driver.find_element(By.XPATH, '//button[normalize-space()="Loop"]')
    wait(driver, lambda d: loop.get_attribute("aria-pressed") == "true", 3, "F6 to turn the loop on")
    end = cues[8].end_ms
    t_end = time.monotonic() + (end - cues[8].start_ms) / 900 + 1.5
    while time.monotonic() < t_end:
        assert cues[8].start_ms - 50 <= position(driver) <= end + 150, position(driver)
        time.sleep(0.1)
    keys(driver, Keys.F6)
    wait(driver, lambda d: loop.get_attribute("aria-pressed") == "false", 3, "F6 to turn the loop off")
    keys(driver, Keys.ESCAPE)
    wait_playing(driver, False)
    # F7 goes to the cue under the playhead.
    focus_text(driver, 1)
    keys(driver, Keys.F7)
    wait(
        driver,
        lambda d: d.execute_script(
            "const e = document.activeElement; const li = e && e.closest('[role=listitem]');"
            "return li ? Number(li.dataset.cueIndex) : null"
        ) == 8,
        3,
        "F7 to focus the cue under the playhead (8)",
    )


def test_timing_shortcuts_change_only_that_cues_timing_line(launch: Launch, tmp_path) -> None:
    driver, vtt, original, cues = opened_demo(launch, tmp_path)
    k = 5
    # Park the playhead 300 ms into cue k (play from it, pause, then skip to an exact spot).
    reveal(driver, k).find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    wait_playing(driver, True)
    focus_text(driver, k)
    keys(driver, Keys.ESCAPE)
    wait_playing(driver, False)
    head = position(driver)
    # F11 sets the start from the playhead, F12 the end (after skipping forward 2 s).
    keys(driver, Keys.F11)
    keys(driver, Keys.F2)
    wait(driver, lambda d: position(d) == head + 2000, 3, "F2")
    keys(driver, Keys.F12)
    chord(driver, CTRL, "s")
    wait_status(driver, SAVED)
    after = vtt.read_bytes()
    diff = changed_lines(original, after)
    assert [line for line, _, _ in diff] == [cues[k].timing_line], diff
    new = parse_vtt(after)[k]
    assert (new.start_ms, new.end_ms) == (head, head + 2000), (new.start_ms, new.end_ms, head)
    # Nudges: start 100 ms earlier (Shift+F11) and later (Ctrl+F11), end later (Ctrl+F12).
    chord(driver, SHIFT, Keys.F11)
    chord(driver, SHIFT, Keys.F11)
    chord(driver, CTRL, Keys.F11)
    chord(driver, CTRL, Keys.F12)
    chord(driver, CTRL, "s")
    wait_status(driver, SAVED)
    nudged = parse_vtt(vtt.read_bytes())[k]
    assert (nudged.start_ms, nudged.end_ms) == (head - 100, head + 2100)
    assert [line for line, _, _ in changed_lines(original, vtt.read_bytes())] == [cues[k].timing_line]
    # F8 inserts a cue at the playhead (in time order); F9 splits at the caret at the playhead.
    n = cue_count(driver)
    keys(driver, Keys.F8)
    wait_count(driver, n + 1)
    chord(driver, CTRL, "z")
    wait_count(driver, n)
    focus_text(driver, k + 2)
    keys(driver, Keys.F9)  # the playhead is not inside cue k+2: nothing happens, and it says so
    wait(driver, lambda d: "not inside" in playback_message(d), 3, "a message that the playhead is outside the cue")
    assert cue_count(driver) == n
    screenshot(driver, "audio-timing")


def test_reopening_a_transcript_resumes_at_its_cue_and_playhead(launch: Launch, tmp_path) -> None:
    driver, vtt, _orig, cues = opened_demo(launch, tmp_path)
    k = 9
    reveal(driver, k).find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    wait_playing(driver, True)
    focus_text(driver, k)
    time.sleep(0.5)
    keys(driver, Keys.ESCAPE)
    wait_playing(driver, False)
    left_at = position(driver)
    assert cues[k].start_ms < left_at < cues[k].end_ms + 1000
    time.sleep(2.0)  # the place is remembered a second after it stops changing
    driver.quit()

    again = open_editor(launch, vtt)
    wait(again, lambda d: d.find_elements(By.CSS_SELECTOR, '[aria-label="Audio file"]'), 10, "the audio to attach again")
    wait(again, lambda d: position(d) == left_at, 5, f"the playhead to resume at {left_at} ms")
    wait(
        again,
        lambda d: d.execute_script(
            "const e = document.activeElement; const li = e && e.closest('[role=listitem]');"
            "return li ? Number(li.dataset.cueIndex) : null"
        ) == k,
        5,
        f"the caret to be back in cue {k}",
    )


def check_skip_keys(driver) -> None:
    """With Skip back on Ctrl+1 only: a real F1 does nothing, a real Ctrl+1 skips back 2 s once."""
    from xkeys import XKeys

    reveal(driver, 6).find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    wait_playing(driver, True)
    focus_text(driver, 6)
    keys(driver, Keys.ESCAPE)
    wait_playing(driver, False)
    p = position(driver)
    x = XKeys()
    try:
        x.focus()
        x.press("F1")  # no longer bound: neither the menu nor the page may skip
        time.sleep(0.6)
        assert position(driver) == p, f"F1 still skipped ({p} -> {position(driver)})"
        x.press("ctrl+1")
        wait(driver, lambda d: position(d) == p - 2000, 3, f"Ctrl+1 to skip back to {p - 2000}")
        time.sleep(0.3)
        assert position(driver) == p - 2000, "Ctrl+1 ran Skip back more than once"
    finally:
        x.close()


def test_a_rebound_key_works_through_gtk_and_the_old_one_is_free_after_a_relaunch(launch: Launch, tmp_path) -> None:
    """Settings: Skip back moves from F1 to Ctrl+1. Real X key presses go through GTK, where the
    native menu's accelerators take keys first, so this also checks that the menu was rebuilt
    with the new binding. The binding persists (settings.json) to the next launch."""
    try:
        import xkeys  # noqa: F401 - real key presses (python-xlib, from e2e/requirements.txt)
    except ImportError as e:
        pytest.skip(f"python-xlib missing: {e}")
    settings = pathlib.Path(os.environ["XDG_CONFIG_HOME"]) / "cueline" / "settings.json"
    saved = settings.read_bytes() if settings.exists() else None
    try:
        driver, vtt, _orig, cues = opened_demo(launch, tmp_path)
        chord(driver, CTRL, ",")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-command="skip-back"]'), 5, "the Settings panel (Ctrl+,)")
        row_ = driver.find_element(By.CSS_SELECTOR, 'tr[data-command="skip-back"]')
        row_.find_element(By.XPATH, './/button[normalize-space()="Add key"]').click()
        chord(driver, CTRL, "1")
        wait(driver, lambda d: "Ctrl+1" in d.find_element(By.CSS_SELECTOR, 'tr[data-command="skip-back"]').text, 5, "Ctrl+1 bound to Skip back")
        driver.find_element(By.CSS_SELECTOR, 'tr[data-command="skip-back"] button[aria-label="Remove F1"]').click()
        wait(driver, lambda d: "F1" not in d.find_element(By.CSS_SELECTOR, 'tr[data-command="skip-back"]').text, 5, "F1 removed from Skip back")
        driver.find_element(By.XPATH, '//button[normalize-space()="Close"]').click()
        check_skip_keys(driver)  # at once: the menu was rebuilt with the new bindings
        driver.quit()
        # A new launch reads the bindings back (and builds its menu with them).
        driver = open_editor(launch, vtt)
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[aria-label="Audio file"]'), 10, "the audio")
        check_skip_keys(driver)
    finally:
        if saved is None:
            settings.unlink(missing_ok=True)
        else:
            settings.write_bytes(saved)
