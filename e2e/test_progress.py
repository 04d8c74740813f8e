"""Review progress in the real window (issue 11): Ctrl+K checks a cue and the header count moves,
playing a cue through marks it listened (real audio to the run's null sink), marks survive a
relaunch and an outside change that inserts a cue before them, Alt+Shift+PageDown goes to the
next cue not checked (real X key presses through GTK's menu accelerators too), and the numbers
in the header and the sidebar match the marks on the cues.

Runs on copies of the demo episode (demo/demo-episode.vtt and its mp3). The marks live in the
run's XDG_DATA_HOME (set by e2e/run.sh), under cueline/review/, keyed by the copy's path.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import Launch, screenshot
from editor import (
    DEMO,
    ITEMS,
    chord,
    cue_count,
    focus_text,
    open_editor,
    parse_vtt,
    replace_word,
    reveal,
    row,
    wait,
)

CTRL, SHIFT, ALT = Keys.CONTROL, Keys.SHIFT, Keys.ALT
HEADER = '[role="progressbar"][aria-label="Review progress"] .label'
DEMO_MP3 = DEMO.with_suffix(".mp3")
# Audio plays in real time on the null sink, but a starved machine (e2e runs beside builds) has
# been seen to advance media time at 0.4x: waits for the audio give it that much room.
LOADED = 25


def review_dir() -> pathlib.Path:
    return pathlib.Path(os.environ["XDG_DATA_HOME"]) / "cueline" / "review"


def mark(driver, index: int) -> str:
    r = row(driver, index) or reveal(driver, index)
    return r.find_element(By.CSS_SELECTOR, "[data-review]").get_attribute("data-review")


def wait_mark(driver, index: int, want: str, timeout: float = 5) -> None:
    wait(driver, lambda d: mark(d, index) == want, timeout, f"cue {index} to be {want} (it is {mark(driver, index)})")


def header(driver) -> tuple[int, int, str]:
    label = driver.find_element(By.CSS_SELECTOR, HEADER)
    return int(label.get_attribute("data-checked")), int(label.get_attribute("data-total")), label.text


def wait_header(driver, checked: int, total: int, timeout: float = 5) -> None:
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, HEADER) and header(d)[:2] == (checked, total), timeout,
         f"the header to say {checked} of {total} checked")


def marks_of_all(driver) -> list[str]:
    """Every cue's mark, scrolling the windowed list through."""
    out = []
    for i in range(cue_count(driver)):
        out.append(mark(driver, i))
    return out


def check(driver, index: int) -> None:
    before = mark(driver, index)
    focus_text(driver, index)
    chord(driver, CTRL, "k")
    wait_mark(driver, index, "listened" if before == "checked" else "checked")


def demo_copy(tmp_path: pathlib.Path, audio: bool = False) -> pathlib.Path:
    vtt = tmp_path / DEMO.name
    shutil.copyfile(DEMO, vtt)
    if audio:
        shutil.copyfile(DEMO_MP3, tmp_path / DEMO_MP3.name)
    return vtt


def wait_saved_marks(path: pathlib.Path, checked: int, timeout: float = 5) -> dict:
    """The progress file of `path` once it holds `checked` checked cues (debounced write)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        for f in review_dir().glob("*.progress.json") if review_dir().is_dir() else []:
            try:
                data = json.loads(f.read_text())
            except (OSError, ValueError):
                continue  # never half-written (atomic rename), but another test's file may go
            if pathlib.Path(data["transcript"]) == path.resolve():
                last = data
                if data["counts"]["checked"] == checked:
                    return data
        time.sleep(0.05)
    raise AssertionError(f"the progress file of {path.name} never held {checked} checked cues: {last}")


def test_ctrl_k_marks_checked_the_header_count_moves_and_an_edit_makes_it_listened(launch: Launch, tmp_path) -> None:
    vtt = demo_copy(tmp_path)
    driver = open_editor(launch, vtt)
    n = cue_count(driver)
    wait_header(driver, 0, n)
    assert header(driver)[2] == f"0 of {n} checked"
    assert mark(driver, 2) == "unreviewed"
    check(driver, 2)
    wait_header(driver, 1, n)
    assert header(driver)[2] == f"1 of {n} checked"
    check(driver, 4)
    wait_header(driver, 2, n)
    screenshot(driver, "progress-checked")
    # Ctrl+K on a checked cue: listened (heard and read, not confirmed).
    check(driver, 4)
    wait_header(driver, 1, n)
    # An edit turns checked into listened, and only that cue's mark.
    cues = parse_vtt(vtt.read_bytes())
    replace_word(driver, 2, cues[2].text, "sixty", "seventy")
    focus_text(driver, 5)  # the draft reaches Rust on blur
    wait_mark(driver, 2, "listened")
    wait_header(driver, 0, n)
    assert mark(driver, 4) == "listened"
    assert mark(driver, 3) == "unreviewed"
    # The cheat sheet lists the review keys in their own group.
    chord(driver, CTRL, "/")
    sheet = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-command="next-unreviewed"]'), 5,
                 "the cheat sheet")[0]
    assert "Alt+Shift+PageDown" in sheet.text, sheet.text
    table = sheet.find_element(By.XPATH, "ancestor::table")
    assert table.find_element(By.TAG_NAME, "caption").get_property("textContent") == "Review"
    assert "Ctrl+K" in table.find_element(By.CSS_SELECTOR, 'tr[data-command="toggle-checked"]').text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", table)
    screenshot(driver, "progress-cheat-sheet")


def test_marks_survive_an_outside_insert_before_them_an_outside_edit_and_a_relaunch(launch: Launch, tmp_path) -> None:
    vtt = demo_copy(tmp_path)
    driver = open_editor(launch, vtt)
    n = cue_count(driver)
    for i in (1, 3, 6):
        check(driver, i)
    wait_header(driver, 3, n)
    # A git pull while the document is open and clean: a cue inserted before them all, cue 3
    # retimed, cue 6's text fixed.
    original = vtt.read_bytes().decode()
    cues = parse_vtt(original.encode())
    lines = original.split("\n")
    c3, c6 = cues[3], cues[6]
    lines[c6.text_lines[0]] = "Fixed elsewhere."
    lines[c3.timing_line] = lines[c3.timing_line].replace("00:00:13.982", "00:00:14.100")
    pulled = "\n".join(lines).replace("WEBVTT\n\n", "WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nCold open.\n\n", 1)
    assert pulled != original
    vtt.write_text(pulled)
    wait(driver, lambda d: cue_count(d) == n + 1, 10, "the reload with the inserted cue")
    wait_mark(driver, 2, "checked")  # was cue 1
    wait_mark(driver, 4, "checked")  # was cue 3, retimed
    wait_mark(driver, 7, "unreviewed")  # was cue 6, its text changed
    wait_header(driver, 2, n + 1)
    screenshot(driver, "progress-after-outside-change")
    wait_saved_marks(vtt, 2)
    driver.quit()
    # Another pull while the app is closed: one more cue before them all.
    pulled = pulled.replace("WEBVTT\n\n", "WEBVTT\n\nNOTE a second pull\n\n00:00:00.000 --> 00:00:00.200\nBefore the cold open.\n\n", 1)
    vtt.write_text(pulled)
    # Relaunch: the marks are read back from the data folder, found by their keys, and match.
    driver = open_editor(launch, vtt)
    wait_header(driver, 2, n + 2)
    got = marks_of_all(driver)
    assert [i for i, m in enumerate(got) if m == "checked"] == [3, 5], got
    assert header(driver)[0] == got.count("checked")
    screenshot(driver, "progress-after-relaunch")
    # The transcript itself never holds a mark.
    assert vtt.read_text() == pulled


def test_next_unreviewed_goes_to_the_next_cue_not_checked_also_through_gtk(launch: Launch, tmp_path) -> None:
    from xkeys import XKeys

    vtt = demo_copy(tmp_path)
    driver = open_editor(launch, vtt)
    n = cue_count(driver)
    for i in (1, 2, 4):
        check(driver, i)
    focus_text(driver, 0)
    chord(driver, ALT, SHIFT, Keys.PAGE_DOWN)
    wait(driver, lambda d: d.switch_to.active_element == row(d, 3).find_element(By.CSS_SELECTOR, '[aria-label="Cue text"]'),
         5, "the caret in cue 3, the next one not checked")
    chord(driver, ALT, SHIFT, Keys.PAGE_UP)
    wait(driver, lambda d: d.switch_to.active_element == row(d, 0).find_element(By.CSS_SELECTOR, '[aria-label="Cue text"]'),
         5, "the caret back in cue 0 (1 and 2 are checked)")
    # Real key presses go through GTK, where the native menu's accelerators take them first.
    x = XKeys()
    try:
        x.focus()
        focus_text(driver, 3)
        x.press("ctrl+k")
        wait_mark(driver, 3, "checked")
        wait_header(driver, 4, n)
        x.press("alt+shift+Page_Down")
        wait(driver, lambda d: d.switch_to.active_element == row(d, 5).find_element(By.CSS_SELECTOR, '[aria-label="Cue text"]'),
             5, "Alt+Shift+PageDown through GTK to go to cue 5")
        time.sleep(0.3)
        assert mark(driver, 3) == "checked", "Ctrl+K ran twice (menu and page)"
    finally:
        x.close()
    screenshot(driver, "progress-next-unreviewed")


def test_playing_a_cue_through_marks_it_listened_and_a_seek_into_one_does_not(launch: Launch, tmp_path) -> None:
    vtt = demo_copy(tmp_path, audio=True)
    driver = open_editor(launch, vtt)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[aria-label="Audio file"]'), 10, "the demo's audio")
    # Cue 1 runs 4.924-8.251 s: played from its start, it is listened once the audio passes its end.
    reveal(driver, 1).find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    wait_mark(driver, 1, "listened", timeout=LOADED)
    focus_text(driver, 1)
    keys_pause(driver)
    assert mark(driver, 2) == "unreviewed", "cue 2 was not played through"
    assert mark(driver, 0) == "unreviewed", "cue 0 was never played"
    # Cue 2 (8.651-13.582 s): started at its start, then skipped 2 s forward (a seek into it).
    reveal(driver, 2).find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    time.sleep(0.5)
    chord(driver, Keys.F2)
    wait(driver, lambda d: position_ms(d) > 13_700, LOADED, "the audio to pass the end of cue 2")
    keys_pause(driver)
    assert mark(driver, 2) == "unreviewed", "a cue skipped into counted as listened"
    screenshot(driver, "progress-listened")
    # Faster than 1.5x does not count: cue 4 (13.982-19.159 s) at 1.6x, played through.
    # One press at a time: a press reads the speed the transport shows (presses typed faster than
    # the backend answers start from the same speed; noticed, not this test's subject).
    for want in ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6"):
        chord(driver, Keys.F4)
        wait(driver, lambda d: speed(d) == want, 5, f"the speed to be {want}x")
    reveal(driver, 4).find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    wait(driver, lambda d: position_ms(d) > 19_500, LOADED, "the audio to pass the end of cue 4")
    keys_pause(driver)
    assert mark(driver, 4) == "unreviewed", "a cue played at 1.6x counted as listened"
    # At 1.5x it counts: cue 5 (19.559-23.819 s).
    chord(driver, Keys.F3)
    wait(driver, lambda d: speed(d) == "1.5", 5, "the speed to be 1.5x")
    reveal(driver, 5).find_element(By.CSS_SELECTOR, 'button[aria-label="Play from here"]').click()
    wait_mark(driver, 5, "listened", timeout=LOADED)
    keys_pause(driver)


def speed(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, 'select[aria-label="Speed"]').get_property("value")


def position_ms(driver) -> int:
    text = driver.find_element(By.CSS_SELECTOR, '[aria-label="Playback position"]').text
    h, m, rest = text.strip().split(":")
    s, ms = rest.split(".")
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def keys_pause(driver) -> None:
    chord(driver, CTRL, Keys.SPACE)
    wait(driver, lambda d: d.find_elements(By.XPATH, '//button[normalize-space()="Play"]'), 5, "playback to pause")


def test_the_sidebar_and_the_header_count_the_marks(launch: Launch, tmp_path) -> None:
    folder = tmp_path / "show"
    folder.mkdir()
    vtt = demo_copy(folder)
    shutil.copyfile(DEMO.with_suffix(".txt"), folder / "demo-episode.txt")
    driver = launch(str(folder))
    opener = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'button[aria-label="Open demo-episode.vtt"]'), 20,
                  "the folder's files in the sidebar")[0]
    opener.click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ITEMS), 20, "the cue list")
    n = cue_count(driver)
    for i in (0, 5, 9):
        check(driver, i)
    bar = f'[role="progressbar"][data-path="{vtt.resolve()}"]'
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, bar) and d.find_element(By.CSS_SELECTOR, bar).get_attribute("data-checked") == "3",
         5, "the sidebar bar of the .vtt to count 3 checked")
    side = driver.find_element(By.CSS_SELECTOR, bar)
    assert side.get_attribute("aria-valuetext") == f"3 of {n} checked"
    marks = marks_of_all(driver)
    assert header(driver)[:2] == (marks.count("checked"), len(marks)) == (3, n)
    txt_bar = driver.find_element(By.CSS_SELECTOR, f'[role="progressbar"][data-path="{(folder / "demo-episode.txt").resolve()}"]')
    assert txt_bar.get_attribute("data-checked") == "0"
    screenshot(driver, "progress-sidebar")
