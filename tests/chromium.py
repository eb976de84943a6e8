"""Debian's Chromium driven by Playwright: the one launch the browser tests share (no browser is ever downloaded)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LOCAL_HOST = "127.0.0.1"  # every page under test is served here
# Inline or local content (a data: image, a blob: download, a static export opened as file:) never leaves the machine.
LOCAL_SCHEMES = ("data", "blob", "file")
# Headless in a container as root, with nothing fetched behind the page's back.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
]
MISSING = f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests"


@contextmanager
def launched() -> Iterator:
    """A headless browser, closed on the way out; skips the test when Chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def keep_local(context) -> list[str]:
    """Abort every request of `context` that would leave 127.0.0.1; the returned list collects their URLs."""
    outside: list[str] = []

    def route(route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in LOCAL_SCHEMES or url.hostname == LOCAL_HOST:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return outside
