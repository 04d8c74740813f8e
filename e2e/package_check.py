"""The packaged app, extracted from the .deb, in a real window (run by scripts/check-deb.sh).

Not a `test_*.py`: `make e2e` tests the workspace build; this file needs the package's contents:
  CUELINE_PACKAGE_ROOT  the folder the .deb was extracted to (the app is usr/bin/cueline-desktop)
  CUELINE_APP           that app (e2e/run.sh passes it to tauri-driver)
  XDG_DATA_HOME         e2e/run.sh's fresh data folder: the demo's copy goes to cueline/demo/ in it
"""

from __future__ import annotations

import os
import pathlib

from selenium.webdriver.common.by import By

from conftest import REPO, Launch, screenshot, wait_for_document
from test_app import row_text, rows, summary, vtt_cues

ROOT = pathlib.Path(os.environ["CUELINE_PACKAGE_ROOT"])
DATA = pathlib.Path(os.environ["XDG_DATA_HOME"])


def shown_path(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, ".path").text


def test_the_packaged_app_is_the_extracted_one() -> None:
    assert pathlib.Path(os.environ["CUELINE_APP"]).resolve() == (ROOT / "usr/bin/cueline-desktop").resolve()


def test_no_argument_opens_a_copy_of_the_installed_demo(launch: Launch) -> None:
    installed = ROOT / "usr/share/cueline/demo-episode.vtt"
    copy = DATA / "cueline" / "demo" / "demo-episode.vtt"
    assert not copy.exists(), "the data folder is fresh"
    expected = vtt_cues(installed.read_text(encoding="utf-8"))
    driver = launch()
    wait_for_document(driver)
    assert driver.title == "demo-episode.vtt — Cueline"
    assert f"{len(expected)} cues" in summary(driver)
    first = rows(driver)[0]
    assert row_text(first) == expected[0][1]
    assert first.get_attribute("data-start-ms") == str(expected[0][0])
    # The opened file is the user's copy, not the installed file or the source tree's.
    assert shown_path(driver) == str(copy)
    for name in ("demo-episode.vtt", "demo-episode.txt", "demo-episode.mp3"):
        assert (copy.parent / name).read_bytes() == (installed.parent / name).read_bytes(), name
    screenshot(driver, "package-demo")


def test_a_fixture_given_as_argument_opens(launch: Launch) -> None:
    fixture = REPO / "crates/transcript/tests/fixtures/vtt/basic.vtt"
    expected = vtt_cues(fixture.read_text(encoding="utf-8"))
    driver = launch(str(fixture))
    wait_for_document(driver)
    assert driver.title == "basic.vtt — Cueline"
    assert f"{len(expected)} cues" in summary(driver)
    shown = rows(driver)
    assert [row_text(r) for r in shown[: len(expected)]] == [t for _, t in expected]
    assert shown_path(driver) == str(fixture)
