"""Headless Chromium (Debian's, driven by Playwright) for everything the snippet does.

Skips only where Chromium is absent and CI is unset; under CI a missing browser fails.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import BROWSER_UA

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI (apt-get install -y chromium)")
        pytest.skip("Chromium not installed and CI unset")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile with a desktop browser's User-Agent (not flagged as a bot)."""
    ctx = browser.new_context(user_agent=BROWSER_UA, viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that records console errors and page errors in ``page.errors``."""
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
