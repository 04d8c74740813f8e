"""The real app in a real WebKitGTK window: what a user sees after `cueline-desktop [FILE]`."""

from __future__ import annotations

import re
import shutil
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

import fixtures
from conftest import OUT, REPO, Launch, screenshot, wait_for_document

LIST = '[role="list"][aria-label="Cues"]'
ITEMS = LIST + ' [role="listitem"]'
TIMING = re.compile(r"^(?:(\d+):)?(\d\d):(\d\d)[.,](\d\d\d)\s+-->")


def vtt_cues(text: str) -> list[tuple[int, str]]:
    """(start_ms, text) of every cue of a simple WebVTT file, independently of the app."""
    cues: list[tuple[int, str]] = []
    lines = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        m = TIMING.match(line)
        if not m:
            continue
        h, mi, s, ms = (int(g or 0) for g in m.groups())
        body = []
        for nxt in lines[i + 1 :]:
            if not nxt.strip():
                break
            body.append(nxt)
        cues.append((((h * 60 + mi) * 60 + s) * 1000 + ms, "\n".join(body)))
    return cues


def summary(driver: WebDriver) -> str:
    return driver.find_element(By.CSS_SELECTOR, '[aria-label="Document summary"]').text


def rows(driver: WebDriver):
    return driver.find_elements(By.CSS_SELECTOR, ITEMS)


def row_text(row) -> str:
    # The cue's text field (hook fixed by issue 3), as the user sees it.
    return row.find_element(By.CSS_SELECTOR, '[aria-label="Cue text"]').get_property("value")


def test_episode_file_given_as_argument(launch: Launch, tmp_path) -> None:
    path = tmp_path / "064_episode.vtt"
    shutil.copyfile(fixtures.EPISODE, path)
    expected = vtt_cues(path.read_text(encoding="utf-8-sig"))
    assert len(expected) > 100

    driver = launch(str(path))
    wait_for_document(driver)
    assert driver.find_elements(By.CSS_SELECTOR, LIST), "no cue list shown"
    assert f"{len(expected):,} cues" in summary(driver)
    assert "WebVTT" in summary(driver)
    assert driver.title == "064_episode.vtt — Cueline"

    # The list is windowed: every row carries the total, the first rows match the file.
    shown = rows(driver)
    assert 0 < len(shown) <= len(expected)
    assert shown[0].get_attribute("aria-setsize") == str(len(expected))
    for row, (start_ms, text) in zip(shown[:5], expected[:5]):
        assert row.get_attribute("data-start-ms") == str(start_ms)
        assert row_text(row) == text.strip()
    first = shown[0]
    assert first.get_attribute("data-cue-index") == "0"

    # Scrolling to the end brings the last cue into the DOM.
    driver.execute_script(
        "document.querySelector(arguments[0]).parentElement.scrollTop = 1e9;", LIST
    )
    last = len(expected) - 1
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f'{ITEMS}[data-cue-index="{last}"]')
    )
    row = driver.find_element(By.CSS_SELECTOR, f'{ITEMS}[data-cue-index="{last}"]')
    assert row.get_attribute("data-start-ms") == str(expected[-1][0])
    assert row_text(row) == expected[-1][1].strip()
    screenshot(driver, "episode-end")


def test_5536_cue_file_opens_and_scrolls(launch: Launch) -> None:
    path = fixtures.LARGE
    expected = vtt_cues(path.read_text(encoding="utf-8-sig"))
    started = time.monotonic()
    driver = launch(str(path))
    wait_for_document(driver)
    WebDriverWait(driver, 20).until(lambda d: rows(d))
    shown_after = time.monotonic() - started
    assert f"{len(expected):,} cues" in summary(driver)
    # Windowed: a few dozen rows in the DOM, not thousands.
    assert len(rows(driver)) < 100
    last = len(expected) - 1
    driver.execute_script(
        "document.querySelector(arguments[0]).parentElement.scrollTop = 1e9;", LIST
    )
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f'{ITEMS}[data-cue-index="{last}"]')
    )
    note = f"5,536-cue file: new session to first rows painted {shown_after:.2f} s"
    print(note)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "timings.txt").write_text(note + "\n", encoding="utf-8")
    assert shown_after < 15


def test_no_argument_shows_the_demo(launch: Launch) -> None:
    demo = REPO / "demo" / "demo-episode.vtt"
    expected = vtt_cues(demo.read_text(encoding="utf-8"))
    driver = launch()
    wait_for_document(driver)
    assert driver.title == "demo-episode.vtt — Cueline"
    assert f"{len(expected)} cues" in summary(driver)
    shown = rows(driver)
    # 25 short cues: all of them fit in the window plus its overscan.
    assert len(shown) >= 10
    assert row_text(shown[0]) == expected[0][1]
    assert shown[0].get_attribute("data-start-ms") == str(expected[0][0])
    start = shown[0].find_element(By.CSS_SELECTOR, '[aria-label="Start"]').get_property("value")
    assert start == "00:00:00.000"
    header = driver.find_element(By.CSS_SELECTOR, "h1").text
    assert header == "demo-episode.vtt"
    # The strict CSP still lets the list's spacing be styled from script.
    bottom = driver.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0])).paddingBottom", LIST
    )
    assert bottom.endswith("px")
    screenshot(driver, "demo")


def test_missing_file_shows_a_clear_error(launch: Launch) -> None:
    missing = "/nonexistent/cueline-e2e/no-such-episode.vtt"
    driver = launch(missing)
    wait_for_document(driver)
    alert = driver.find_element(By.CSS_SELECTOR, '[role="alert"]')
    assert "Could not open the transcript" in alert.text
    assert f"File not found: {missing}" in alert.text
    assert not driver.find_elements(By.CSS_SELECTOR, LIST)
    assert driver.title == "Cueline"
    screenshot(driver, "missing-file")
    # The app is still alive and answering after the error.
    assert driver.execute_script("return 1 + 1") == 2
