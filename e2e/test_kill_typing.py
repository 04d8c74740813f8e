"""Never lose a word while typing (issue 12, item 1): kill -9 of the real app mid-typing.

A person typing steadily never pauses long enough for the 400 ms idle flush, so the window sends
its drafts to the crash journal at most 50 ms after a keystroke. This test types into the real
window with WebDriver key presses at random moments (gaps of 0 to 80 ms, never a pause) and
kills the app with SIGKILL at a random moment while it types. After the relaunch and *Restore*,
every character whose key call returned at least 100 ms before the kill must be back, in order,
and nothing typed earlier may be lost. The relaunch is the next round's app, so each round also
checks that a restored document is journaled again before the next crash (50 rounds by default;
CUELINE_KILL_ROUNDS changes it).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import screenshot
from editor import (
    DEMO,
    app_pids,
    button,
    chord,
    copy_source,
    cue_value,
    focus_text,
    parse_vtt,
    wait,
)
from test_safety import RESTORE, isolated  # noqa: F401 - the fixture

ROUNDS = int(os.environ.get("CUELINE_KILL_ROUNDS", "50"))
SAFE_S = 0.100
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def kill_app(path) -> None:
    for pid in app_pids(path):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def restore(driver, must: bool) -> bool:
    """Answers the recovery offer with Restore. The offer must come when a character was safe
    (then the journal exists); otherwise it may not (the kill came before the first draft)."""

    def offer(d):
        return d.find_elements(By.CSS_SELECTOR, '[role="alertdialog"]')

    if must:
        dialog = wait(driver, offer, 15, "the offer to restore unsaved edits")[0]
    else:
        end = time.monotonic() + 3
        while not offer(driver) and time.monotonic() < end:
            time.sleep(0.1)
        if not offer(driver):
            return False
        dialog = offer(driver)[0]
    button(driver, RESTORE, dialog).click()
    wait(driver, lambda d: not offer(d), 5, "the dialog to close")
    return True


def type_until_killed(driver, path, rng: random.Random) -> tuple[str, int]:
    """Types letters one key call at a time until a killer thread ends the app at a random
    moment; returns what was typed (in order) and how many key calls returned at least 100 ms
    before the kill."""
    returned: list[tuple[str, float]] = []
    killed_at: list[float] = []
    delay = rng.uniform(0.25, 1.5)

    def killer() -> None:
        time.sleep(delay)
        killed_at.append(time.monotonic())
        kill_app(path)

    thread = threading.Thread(target=killer)
    thread.start()
    active = driver.switch_to.active_element
    try:
        while thread.is_alive():
            ch = rng.choice(LETTERS)
            try:
                active.send_keys(ch)
            except Exception:  # noqa: BLE001 - the app died under the key call
                break
            returned.append((ch, time.monotonic()))
            time.sleep(rng.uniform(0, 0.08))
    finally:
        thread.join()
    kill = killed_at[0]
    typed = "".join(ch for ch, t in returned)
    safe = sum(1 for _, t in returned if t <= kill - SAFE_S)
    return typed, safe


def test_kill_9_while_typing_loses_nothing_older_than_100_ms(isolated, tmp_path) -> None:  # noqa: F811
    rng = random.Random(int(os.environ.get("CUELINE_KILL_SEED", "12")))
    path = copy_source(DEMO, tmp_path)
    original = path.read_bytes()
    cues = parse_vtt(original)
    expected = {i: c.text for i, c in enumerate(cues)}
    driver = isolated(path, autosave=False)
    survived = lost_chars = typed_chars = 0
    for round_ in range(ROUNDS):
        k = rng.randrange(len(cues))
        try:
            focus_text(driver, k)
        except Exception:
            screenshot(driver, f"kill-typing-round-{round_}")
            raise
        chord(driver, Keys.CONTROL, Keys.END)
        assert cue_value(driver, k) == expected[k], f"round {round_}: cue {k} before typing"
        typed, safe = type_until_killed(driver, path, rng)
        wait(driver, lambda d: not app_pids(path), 10, "the app to die")
        try:
            driver.quit()
        except Exception:  # noqa: BLE001 - the session's app is gone
            pass
        assert path.read_bytes() == original, "autosave is off: nothing may reach the file"

        driver = isolated(path, autosave=False)
        restored = restore(driver, must=safe > 0 or any(t != c.text for t, c in zip(expected.values(), cues)))
        got = cue_value(driver, k)
        kept = len(got) - len(expected[k])
        typed_chars += len(typed)
        assert got == expected[k] + typed[: max(kept, 0)], (
            f"round {round_}: cue {k} after restore is {got!r}, expected {expected[k]!r} + a prefix of {typed!r}"
        )
        assert kept >= safe, (
            f"round {round_}: {safe} characters were typed at least 100 ms before the kill, "
            f"{kept} came back (restore offered: {restored}; typed {typed!r})"
        )
        lost_chars += len(typed) - kept
        expected[k] = got
        for i in rng.sample(range(len(cues)), 3):
            assert cue_value(driver, i) == expected[i], f"round {round_}: cue {i} lost an earlier round's text"
        survived += 1
    line = (
        f"kill -9 of the app while typing: {survived} kills survived, {typed_chars} characters typed, "
        f"{lost_chars} lost, all typed less than 100 ms before their kill"
    )
    print(line)
    if os.environ.get("CUELINE_FIGURES"):
        os.makedirs(os.environ["CUELINE_FIGURES"], exist_ok=True)
        with open(os.path.join(os.environ["CUELINE_FIGURES"], "safety.txt"), "a", encoding="utf-8") as f:
            f.write(line + "\n")
