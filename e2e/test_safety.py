"""Never lose a word (issue 5) in the real window: autosave, changes made outside the editor
(reload with a notice; the conflict banner and its three choices) and crash recovery after
kill -9.

Each test runs the app through a small wrapper script that sets its own `XDG_DATA_HOME` (the
crash journal) and `XDG_CONFIG_HOME` (settings.json) under the test's temp dir, so tests never
share a journal or a setting. Autosave is on unless the test writes `{"autosave": false}` first.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import time

import pytest
from selenium.webdriver.common.by import By

from conftest import screenshot
from editor import (
    open_with_env,
    DEMO,
    SAVED,
    UNSAVED,
    app_pids,
    button,
    changed_lines,
    copy_source,
    cue_value,
    focus_text,
    parse_vtt,
    replace_word,
    save_status,
    wait,
    wait_status,
    wait_value,
)

CONFLICT = "Conflict"
RESTORE = "Restore unsaved edits"


@pytest.fixture
def isolated(launch, tmp_path):
    """`start(path, autosave=True)`: the app on `path` with its own data and config folders."""
    data, config = tmp_path / "xdg-data", tmp_path / "xdg-config"
    (config / "cueline").mkdir(parents=True)
    data.mkdir()

    def start(path: pathlib.Path, autosave: bool = True):
        (config / "cueline" / "settings.json").write_text(json.dumps({"autosave": autosave}))
        return open_with_env(launch, tmp_path, path, {"XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(config)})

    start.data = data
    return start


def with_line(original: bytes, line: int, text: bytes) -> bytes:
    lines = original.split(b"\n")
    lines[line] = text
    return b"\n".join(lines)


def type_edit(driver, cues, index: int, old: str, new: str) -> str:
    """Types a word change into cue `index` and lets the draft reach Rust (400 ms idle)."""
    expected = replace_word(driver, index, cues[index].text, old, new)
    wait_status(driver, UNSAVED, timeout=5)
    time.sleep(0.8)
    return expected


def conflict_banner(driver):
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[role="alert"][data-banner="conflict"]'), 10,
         "the conflict banner (role=alert)")
    return driver.find_element(By.CSS_SELECTOR, '[role="alert"][data-banner="conflict"]')


def test_an_edit_is_saved_within_2_s_without_a_keypress(isolated, tmp_path) -> None:
    path = copy_source(DEMO, tmp_path)
    original = path.read_bytes()
    cues = parse_vtt(original)
    driver = isolated(path)
    assert save_status(driver) == SAVED
    expected = replace_word(driver, 1, cues[1].text, "Okafor", "Okafora")
    t0 = time.monotonic()
    wait_status(driver, SAVED, timeout=2.0)
    took = time.monotonic() - t0
    after = path.read_bytes()
    changes = changed_lines(original, after)
    assert len(changes) == 1, f"autosave changed {len(changes)} lines: {changes}"
    assert changes[0][2].decode() == expected, changes
    print(f"autosave: Saved {took:.2f} s after the last key")


def test_an_outside_change_reloads_a_clean_document_with_a_notice(isolated, tmp_path) -> None:
    path = copy_source(DEMO, tmp_path)
    original = path.read_bytes()
    cues = parse_vtt(original)
    driver = isolated(path)
    focus_text(driver, 0)  # the cue being edited stays focused
    theirs = "Changed by another program."
    path.write_bytes(with_line(original, cues[2].text_lines[0], theirs.encode()))
    expected = "\n".join([theirs, *cues[2].text.split("\n")[1:]])
    wait_value(driver, 2, expected, timeout=10, why="after the file changed on disk")
    notice = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[role="status"][aria-label="Notice"]'), 5,
                  "a notice that the document was reloaded")[0]
    assert "Reloaded" in notice.text, notice.text
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-banner="conflict"]')
    assert save_status(driver) == SAVED
    assert driver.execute_script("return document.activeElement.getAttribute('aria-label')") == "Cue text"
    screenshot(driver, "safety-reloaded")


def test_an_outside_change_while_dirty_shows_the_conflict_banner(isolated, tmp_path) -> None:
    path = copy_source(DEMO, tmp_path)
    original = path.read_bytes()
    cues = parse_vtt(original)
    # Autosave off: the edit stays unsaved until the external write, deterministically.
    driver = isolated(path, autosave=False)

    # Compare, then Keep mine
    mine = type_edit(driver, cues, 1, "Okafor", "Okafora")
    theirs = with_line(original, cues[3].text_lines[0], b"Theirs, line one.")
    path.write_bytes(theirs)
    banner = conflict_banner(driver)
    wait_status(driver, CONFLICT, timeout=5)
    for name in ("Reload theirs", "Keep mine", "Compare"):
        button(driver, name, banner)
    time.sleep(0.5)
    assert path.read_bytes() == theirs, "something was written before the user decided"

    button(driver, "Compare", banner).click()
    region = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[aria-label="Compare"]'), 5,
                  "the side-by-side comparison")[0]
    text = region.text
    assert "Okafora" in text and "Theirs, line one." in text, text
    assert cues[3].text.split("\n")[0] in text and cues[1].text.split("\n")[0] in text, text
    screenshot(driver, "safety-compare")
    assert path.read_bytes() == theirs, "Compare wrote the file"

    button(driver, "Keep mine", banner).click()
    wait_status(driver, SAVED, timeout=5)
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-banner="conflict"]')
    after = path.read_bytes()
    changes = changed_lines(original, after)
    assert [c[2].decode() for c in changes] == [mine], f"Keep mine wrote {changes}"

    # Reload theirs
    kept = after
    cues = parse_vtt(kept)
    type_edit(driver, cues, 4, cues[4].text.split()[0], "Mine")
    theirs = with_line(kept, cues[5].text_lines[0], b"Theirs, second time.")
    path.write_bytes(theirs)
    banner = conflict_banner(driver)
    wait_status(driver, CONFLICT, timeout=5)
    button(driver, "Reload theirs", banner).click()
    wait_value(driver, 5, "Theirs, second time.", timeout=5, why="after Reload theirs")
    wait_value(driver, 4, cues[4].text, timeout=5, why="after Reload theirs (my edit is dropped)")
    wait_status(driver, SAVED, timeout=5)
    time.sleep(0.5)
    assert path.read_bytes() == theirs, "Reload theirs wrote the file"
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-banner="conflict"]')


def test_kill_9_then_relaunch_offers_to_restore_the_edit(isolated, tmp_path) -> None:
    path = copy_source(DEMO, tmp_path)
    original = path.read_bytes()
    cues = parse_vtt(original)
    driver = isolated(path, autosave=False)
    mine = type_edit(driver, cues, 2, "logbook", "diary")
    pids = app_pids(path)
    assert pids, "the app process was not found"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    wait(driver, lambda d: not app_pids(path), 10, "the app to die")
    try:
        driver.quit()
    except Exception:  # noqa: BLE001 - the session's app is gone
        pass
    assert path.read_bytes() == original, "the edit reached the file before the crash"

    driver = isolated(path, autosave=False)
    dialog = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[role="alertdialog"]'), 10,
                  "the offer to restore unsaved edits")[0]
    screenshot(driver, "safety-restore-offer")
    button(driver, "Discard", dialog)
    button(driver, RESTORE, dialog).click()
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, '[role="alertdialog"]'), 5, "the dialog to close")
    wait_value(driver, 2, mine, timeout=5, why="after restoring")
    wait_status(driver, UNSAVED, timeout=5)
    assert path.read_bytes() == original, "restoring wrote the file (autosave is off)"
    assert cue_value(driver, 2) == mine
