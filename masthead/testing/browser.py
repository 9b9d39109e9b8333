"""Real Chromium for the browser tests: Debian's `chromium` driven by Playwright, and a record
of what goes wrong on a page (console errors, failed requests, error responses)."""

import os
import shutil
from pathlib import Path

import pytest

from masthead.testing.fixtures import REPO_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO_ROOT / "test-artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (skipped without it, except under CI)."""
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class PageProblems:
    """Console errors, failed requests and error responses seen while a page is open."""

    def __init__(self, page) -> None:
        self.found: list[str] = []
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.found.append(f"script error: {error}"))
        page.on("requestfailed", lambda request: self.found.append(f"failed: {request.url}"))
        page.on("response", self.on_response)

    def on_console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.found.append(f"console {message.type}: {message.text}")

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.found.append(f"{response.status}: {response.url}")
