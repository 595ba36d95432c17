"""The running demo (shop + collector on free ports) and the headless browser fixtures."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from collector.demo import AUTOMATION_ATTRIBUTE, start_demo
from cxlisten.storage.db import open_database

# Playwright drives Chromium with navigator.webdriver set; the snippet then stays quiet unless
# the page opts in, as docs/snippet.md tells test authors.
WEBDRIVER = AUTOMATION_ATTRIBUTE

# Two cores shared by many test runs: give the page time before an expectation fails.
expect.set_options(timeout=10_000)


@pytest.fixture
def demo(tmp_path):
    """A fresh demo (no simulated traffic) on free ports, stopped after the test."""
    with start_demo(
        str(tmp_path / "demo.db"), port=0, shop_port=0, snippet_attributes=WEBDRIVER
    ) as running:
        running.db = open_database(running.summary.db_path)
        yield running


def wait_for(check, timeout: float = 10.0, interval: float = 0.1):
    """Return CHECK()'s first truthy value, polling until TIMEOUT seconds (then fail)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout} s waiting for {check.__doc__ or check}"
            )
        time.sleep(interval)
