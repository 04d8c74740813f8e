"""Fixtures for end-to-end tests of the real Cueline window.

Run through `e2e/run.sh` (or `make e2e`), which starts Xvfb and tauri-driver and sets:
  CUELINE_APP           absolute path of the built cueline-desktop (embedding ui/dist)
  TAURI_DRIVER_URL      e.g. http://127.0.0.1:4444
"""

from __future__ import annotations

import os
import pathlib
from typing import Callable, Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

REPO = pathlib.Path(__file__).resolve().parent.parent
OUT = REPO / "e2e" / "out"
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()

Launch = Callable[..., WebDriver]
COMMAND_TIMEOUT_S = 30


def app_binary() -> str:
    app = os.environ.get("CUELINE_APP")
    if app:
        return app
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str((target / "debug" / "cueline-desktop").resolve())


@pytest.fixture
def launch() -> Iterator[Launch]:
    """Starts the app with the given command-line arguments; quits it after the test."""
    drivers: list[WebDriver] = []

    def start(*args: str) -> WebDriver:
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        # tauri-driver passes `args` to the app as its command line.
        opts.set_capability("tauri:options", {"application": app_binary(), "args": list(args)})
        url = os.environ.get("TAURI_DRIVER_URL", "http://127.0.0.1:4444")
        # A bounded wait per WebDriver command: a command sent while the app is going away can
        # otherwise block forever (seen when the window closed during a test).
        config = ClientConfig(remote_server_addr=url, timeout=COMMAND_TIMEOUT_S)
        driver = webdriver.Remote(command_executor=url, options=opts, client_config=config)
        drivers.append(driver)
        return driver

    yield start
    for d in drivers:
        try:
            d.quit()
        except Exception:  # noqa: BLE001 - the app may already be gone; nothing to clean then
            pass


def wait_for_document(driver: WebDriver, timeout: float = 20) -> None:
    """Waits until the app shows either the cue list or an error."""
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '[role="list"][aria-label="Cues"]')
        or d.find_elements(By.CSS_SELECTOR, '[role="alert"]')
    )


def screenshot(driver: WebDriver, name: str) -> pathlib.Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
