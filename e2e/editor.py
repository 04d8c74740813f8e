"""Helpers for driving the editor through its stable hooks (docs/editor-ipc-contract.md).

Everything here goes through the hooks the issue fixes (roles, aria-labels, data-cue-index,
button names) and through the keyboard, never through component internals; the one exception
is `reveal`, which scrolls the list's scroll container the way a mouse wheel would.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import shutil
import stat
import time
from typing import Callable

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

import fixtures
from conftest import CORPUS, REPO, app_binary

LIST = '[role="list"][aria-label="Cues"]'
ITEMS = LIST + ' [role="listitem"]'
CUE_TEXT = '[aria-label="Cue text"]'
SAVE_STATUS = '[aria-label="Save status"]'
SAVED, UNSAVED, SAVING = "Saved", "Unsaved changes", "Saving\u2026"

DEMO = REPO / "demo" / "demo-episode.vtt"
DEMO_TXT = REPO / "demo" / "demo-episode.txt"
# The repository's own generated episode (859 cues, with its .txt) and 5,536-cue file: see fixtures.py.
EPISODE, EPISODE_TXT, LARGE = fixtures.EPISODE, fixtures.EPISODE_TXT, fixtures.LARGE
# Benchmarks measure the real largest corpus file when ../shared is there, else the generated one.
TRANSCRIPTS = CORPUS / "transcripts"
CORPUS_LARGEST = TRANSCRIPTS / "386-realtime-web-apps-and-dashboards-with-h2o-wave.vtt"
LARGEST = CORPUS_LARGEST if CORPUS_LARGEST.is_file() else LARGE

TIMING = re.compile(
    r"^(?:(\d+):)?(\d\d):(\d\d)[.,](\d\d\d)[ \t]+-->[ \t]+(?:(\d+):)?(\d\d):(\d\d)[.,](\d\d\d)"
)


# ---------------------------------------------------------------------------------------------
# Files: an independent reading of the file on disk, to check what the app wrote


@dataclasses.dataclass
class FileCue:
    timing_line: int  # 0-based line number of the `-->` line
    start_ms: int
    end_ms: int
    text_lines: list[int]  # 0-based line numbers of the text lines
    text: str


def parse_vtt(data: bytes) -> list[FileCue]:
    """The cues of a simple WebVTT file with the line numbers they occupy (split on LF)."""
    lines = data.decode("utf-8-sig").split("\n")
    cues: list[FileCue] = []
    for i, raw in enumerate(lines):
        m = TIMING.match(raw.rstrip("\r"))
        if not m:
            continue
        g = [int(x or 0) for x in m.groups()]
        start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3]
        end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7]
        body: list[int] = []
        for j in range(i + 1, len(lines)):
            if not lines[j].rstrip("\r").strip():
                break
            body.append(j)
        text = "\n".join(lines[j].rstrip("\r") for j in body)
        cues.append(FileCue(i, start, end, body, text))
    return cues


TXT_LINE = re.compile(r"^(?:(\d+):)?(\d\d):(\d\d)(?:[.,](\d\d\d))?[ \t]+(.*)$")


def parse_txt(data: bytes) -> list[FileCue]:
    """Cues of a timestamped TXT transcript (`HH:MM:SS text`, one line each); end_ms is -1."""
    cues: list[FileCue] = []
    for i, raw in enumerate(data.decode("utf-8-sig").split("\n")):
        m = TXT_LINE.match(raw.rstrip("\r"))
        if m:
            h, mi, sec, milli = (int(x or 0) for x in m.groups()[:4])
            cues.append(FileCue(i, ((h * 60 + mi) * 60 + sec) * 1000 + milli, -1, [i], m.group(5)))
    return cues


def parse_file(path: pathlib.Path, data: bytes) -> list[FileCue]:
    return parse_txt(data) if path.suffix == ".txt" else parse_vtt(data)


def text_line(path: pathlib.Path, original_line: str, old_text: str, new_text: str) -> str:
    """The whole file line that holds a cue's text once it reads `new_text`."""
    if path.suffix == ".txt":
        assert original_line.endswith(old_text)
        return original_line[: len(original_line) - len(old_text)] + new_text
    return new_text


def changed_lines(before: bytes, after: bytes) -> list[tuple[int, bytes, bytes]]:
    """(line, old, new) for each differing line; fails when lines were added or removed."""
    a, b = before.split(b"\n"), after.split(b"\n")
    assert len(a) == len(b), f"line count changed: {len(a)} -> {len(b)}"
    return [(i, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y]


def fmt_ms(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02}:{m:02}:{s:02}.{milli:03}"


def copy_source(src: pathlib.Path, tmp: pathlib.Path) -> pathlib.Path:
    """Copies a fixture (the demo or a generated one) into tmp, where the app may write it."""
    assert src.is_file(), f"fixture missing: {src}"
    dst = tmp / src.name
    shutil.copyfile(src, dst)
    return dst


# ---------------------------------------------------------------------------------------------
# The window


def wait(driver: WebDriver, what: Callable[[WebDriver], object], timeout: float = 10, msg: str = ""):
    try:
        return WebDriverWait(
            driver, timeout, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)
        ).until(what)
    except TimeoutException:
        raise AssertionError(f"timed out after {timeout} s: {msg}") from None


def open_editor(launch, path: pathlib.Path, timeout: float = 30) -> WebDriver:
    driver = launch(str(path))
    wait(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, ITEMS) or d.find_elements(By.CSS_SELECTOR, '[role="alert"]'),
        timeout,
        f"the cue list of {path.name}",
    )
    alerts = driver.find_elements(By.CSS_SELECTOR, '[role="alert"]')
    assert not alerts, f"the app shows an error after opening {path.name}: {alerts[0].text!r}"
    return driver


def open_with_env(launch, tmp: pathlib.Path, path: pathlib.Path, env: dict[str, str]) -> WebDriver:
    """The app on `path`, started through a wrapper script in `tmp` that exports `env` first:
    tauri-driver starts the app with its own environment, so a wrapper is how a test gives it
    its own XDG folders, a PATH without git, or a git test switch."""
    wrapper = tmp / "cueline-env.sh"
    exports = "".join(f"export {k}='{v}'\n" for k, v in env.items())
    wrapper.write_text(f"#!/bin/sh\n{exports}exec '{os.path.realpath(app_binary())}' \"$@\"\n")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    old = os.environ.get("CUELINE_APP")
    os.environ["CUELINE_APP"] = str(wrapper)
    try:
        return open_editor(launch, path)
    finally:
        if old is None:
            os.environ.pop("CUELINE_APP", None)
        else:
            os.environ["CUELINE_APP"] = old


def save_status(driver: WebDriver) -> str:
    els = driver.find_elements(By.CSS_SELECTOR, SAVE_STATUS)
    assert els, 'no element with aria-label="Save status" (hook missing)'
    return (els[0].get_property("textContent") or "").strip()


def wait_status(driver: WebDriver, expected: str, timeout: float = 10) -> None:
    last = [""]

    def ok(d):
        try:
            last[0] = save_status(d)
        except AssertionError:
            last[0] = '<no element with aria-label="Save status">'
        return last[0] == expected

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.05).until(ok)
    except TimeoutException:
        raise AssertionError(
            f"Save status: expected {expected!r} within {timeout} s, it shows {last[0]!r}"
        ) from None


def row(driver: WebDriver, index: int) -> WebElement | None:
    found = driver.find_elements(By.CSS_SELECTOR, f'{ITEMS}[data-cue-index="{index}"]')
    return found[0] if found else None


def rendered_indices(driver: WebDriver) -> list[int]:
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => Number(e.dataset.cueIndex))",
        ITEMS,
    )


_REVEAL_JS = """
const [items, target] = arguments;
const rows = [...document.querySelectorAll(items)];
if (!rows.length) return 'no rows';
const hit = rows.find(r => Number(r.dataset.cueIndex) === target);
if (hit) { hit.scrollIntoView({block: 'center'}); return 'ok'; }
let sc = rows[0].parentElement;
while (sc && !(sc.scrollHeight > sc.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(sc).overflowY)))
  sc = sc.parentElement;
if (!sc) return 'no scroll container';
const idx = rows.map(r => Number(r.dataset.cueIndex));
const lo = Math.min(...idx), hi = Math.max(...idx);
const first = rows[idx.indexOf(lo)].getBoundingClientRect(), last = rows[idx.indexOf(hi)].getBoundingClientRect();
const per = Math.max(20, (last.bottom - first.top) / (hi - lo + 1));
const mid = (lo + hi) / 2;
sc.scrollTop += (target - mid) * per;
return 'scrolled';
"""


def reveal(driver: WebDriver, index: int, timeout: float = 10) -> WebElement:
    """Scrolls the (windowed) list until cue `index` is rendered; returns its listitem."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = driver.execute_script(_REVEAL_JS, ITEMS, index)
        if state == "ok":
            r = row(driver, index)
            if r is not None:
                return r
        elif state in ("no rows", "no scroll container"):
            raise AssertionError(f"cannot reveal cue {index}: {state}")
        time.sleep(0.05)
    raise AssertionError(f"cue {index} never rendered (rendered: {rendered_indices(driver)[:5]}...)")


def text_field(driver: WebDriver, index: int) -> WebElement:
    # A new view (a restore, a reload) can replace the row between finding it and looking
    # inside it: the row is then found again.
    for attempt in range(3):
        r = row(driver, index) or reveal(driver, index)
        try:
            fields = r.find_elements(By.CSS_SELECTOR, CUE_TEXT)
        except StaleElementReferenceException:
            if attempt == 2:
                raise
            time.sleep(0.05)
            continue
        assert fields, f'cue {index}: no text field with aria-label="Cue text" in its listitem (hook missing)'
        return fields[0]
    raise AssertionError("unreachable")


def cue_value(driver: WebDriver, index: int) -> str:
    # A new view (a restore, a reload) re-renders the rows: a field found just before can be
    # replaced before its value is read, so it is found again (the value is never guessed).
    for attempt in range(3):
        try:
            return text_field(driver, index).get_property("value")
        except StaleElementReferenceException:
            if attempt == 2:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def wait_value(driver: WebDriver, index: int, expected: str, timeout: float = 10, why: str = "") -> None:
    last = [None]

    def ok(d):
        r = row(d, index)
        if r is None:
            last[0] = "<not rendered>"
            return False
        f = r.find_elements(By.CSS_SELECTOR, CUE_TEXT)
        last[0] = f[0].get_property("value") if f else "<no Cue text field>"
        return last[0] == expected

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)).until(ok)
    except TimeoutException:
        raise AssertionError(f"cue {index} text {why}: expected {expected!r}, shows {last[0]!r}") from None


def cue_count(driver: WebDriver) -> int:
    """The document's cue count as the list announces it (aria-setsize of its rows)."""
    n = driver.execute_script(
        "const r = document.querySelector(arguments[0]); return r && r.getAttribute('aria-setsize')", ITEMS
    )
    assert n is not None, "no listitem with aria-setsize"
    return int(n)


def wait_count(driver: WebDriver, expected: int, timeout: float = 10) -> None:
    last = [None]

    def ok(d):
        try:
            last[0] = cue_count(d)
        except AssertionError:
            return False
        return last[0] == expected

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.05).until(ok)
    except TimeoutException:
        raise AssertionError(f"cue count: expected {expected}, the list says {last[0]}") from None


def focus_text(driver: WebDriver, index: int) -> WebElement:
    # The windowed list corrects its scroll position as rows get measured: right after a jump a
    # row can still move under the pointer, so a click that hits something else is retried.
    # A row rendered in the overscan but outside the visible list (or under the sticky header)
    # is "not interactable": the list is scrolled to it first (seen in the kill-while-typing
    # test, whose cues grow by a line or two each round).
    for attempt in range(4):
        field = text_field(driver, index)
        try:
            field.click()
            break
        except (ElementClickInterceptedException, ElementNotInteractableException, StaleElementReferenceException) as e:
            if attempt == 3:
                hit = driver.execute_script(
                    """const b = arguments[0].getBoundingClientRect();
                    const t = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
                    return [Math.round(b.top), Math.round(b.bottom), innerHeight, t ? t.outerHTML.slice(0, 160) : null]""",
                    text_field(driver, index),
                )
                raise AssertionError(f"cue {index}: clicking its Cue text hits something else: {hit}") from e
            time.sleep(0.15)
            reveal(driver, index)
    wait(driver, lambda d: d.switch_to.active_element == field, 5, f"focus in cue {index}'s text field")
    return field


def keys(driver: WebDriver, *seq: str) -> None:
    """Types keys into whatever has focus, like a user."""
    ActionChains(driver).send_keys(*seq).perform()


def chord(driver: WebDriver, *mods_and_key: str) -> None:
    """Presses modifiers + a key, e.g. chord(d, Keys.CONTROL, Keys.SHIFT, 'z')."""
    *mods, key = mods_and_key
    a = ActionChains(driver)
    for m in mods:
        a.key_down(m)
    a.send_keys(key)
    for m in reversed(mods):
        a.key_up(m)
    a.perform()


def caret(driver: WebDriver) -> int | None:
    return driver.execute_script(
        "const e = document.activeElement; return e && 'selectionStart' in e ? e.selectionStart : null"
    )


def place_caret(driver: WebDriver, index: int, at: int) -> WebElement:
    """Focuses cue `index`'s text and moves the caret to UTF-16 offset `at` with the keyboard."""
    field = focus_text(driver, index)
    chord(driver, Keys.CONTROL, Keys.HOME)
    if at:
        keys(driver, Keys.ARROW_RIGHT * at)
    got = caret(driver)
    assert got == at, f"cue {index}: caret at {got} after Ctrl+Home and {at} x Right, expected {at}"
    return field


def replace_word(driver: WebDriver, index: int, text: str, old: str, new: str) -> str:
    """Deletes `old` in cue `index` with Backspace and types `new`; returns the expected text."""
    pos = text.index(old) + len(old)
    place_caret(driver, index, pos)
    keys(driver, Keys.BACKSPACE * len(old), new)
    expected = text[:pos - len(old)] + new + text[pos:]
    got = cue_value(driver, index)
    assert got == expected, f"cue {index} after typing: {got!r}, expected {expected!r}"
    return expected


def button(driver: WebDriver, name: str, scope: WebElement | None = None) -> WebElement:
    """A button by accessible name (aria-label or text), preferring one inside `scope`."""
    xp = (
        f".//*[(self::button or @role='button') and (@aria-label={_xq(name)} or "
        f"(not(@aria-label) and normalize-space(.)={_xq(name)}))]"
    )
    found: list[WebElement] = []
    if scope is not None:
        found = [b for b in scope.find_elements(By.XPATH, xp) if b.is_displayed()]
    if not found:
        found = [b for b in driver.find_elements(By.XPATH, "/" + xp) if b.is_displayed()]
    assert found, f"no visible button named {name!r}" + (" (for the focused cue)" if scope else "")
    return found[0]


def _xq(s: str) -> str:
    return f'"{s}"' if '"' not in s else f"'{s}'"


def press_button(driver: WebDriver, name: str, index: int | None = None) -> None:
    """Clicks a button; for per-cue buttons, first hovers the cue's row so its toolbar shows."""
    scope = None
    if index is not None:
        scope = row(driver, index) or reveal(driver, index)
        ActionChains(driver).move_to_element(scope).perform()
    button(driver, name, scope).click()


def alerts_text(driver: WebDriver) -> str:
    return " | ".join(
        (e.get_property("textContent") or "").strip()
        for e in driver.find_elements(By.CSS_SELECTOR, '[role="alert"]')
    )


def app_pids(path: pathlib.Path) -> list[int]:
    """Running app processes opened on `path` (tests use unique temp paths)."""
    exe = os.path.realpath(app_binary())
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{pid}/exe") != exe:
                continue
            args = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and str(path).encode() in args:
            pids.append(int(pid))
    return pids
