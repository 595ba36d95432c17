"""What the page-speed meter costs a page: vitals.js's main-thread CPU time against the core's
(sdk.js), both read from one Chromium trace of the same page loads, and its gzip size.

    python -m bench.vitals [--loads 10]

Each load opens ``tests/browser/pages/speed.html`` (a late image and a layout shift, so every
observer has work) on a host server, with the snippet served by a real collector on another
127.0.0.1 port, then leaves the page (its last dwell event carries the metrics). Chromium is
Debian's (``CHROMIUM_PATH`` or ``chromium`` on the PATH); every request to another host is
aborted. The figure is the ratio of vitals.js's CPU time to sdk.js's: a busy machine stretches
wall time, not a script's own CPU time, and both are measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import shutil
import tempfile
from pathlib import Path

from bench.common import REPO


def _cpu_ms(trace: bytes, url: str) -> tuple[float, float]:
    """Sum and largest of the main thread's CPU time (ms) of scripts at URL, from a trace."""
    times = [
        e.get("tdur", 0) / 1000
        for e in json.loads(trace)["traceEvents"]
        if e.get("ph") == "X"
        and e["name"] in ("EvaluateScript", "FunctionCall")
        and e.get("args", {}).get("data", {}).get("url", "").startswith(url)
    ]
    return sum(times), max(times, default=0.0)


def _trace_loads(browser, host_url: str, collector_url: str, loads: int) -> dict:
    """Load the speed page LOADS times in fresh contexts, tracing each; return
    {file: [main-thread CPU ms in all, longest task ms]} of sdk.js and vitals.js."""
    from tests.browser.snippet_fixtures import loopback_only
    from tests.conftest import BROWSER_UA

    totals = {"sdk.js": [0.0, 0.0], "vitals.js": [0.0, 0.0]}
    for _ in range(loads):
        context = browser.new_context(user_agent=BROWSER_UA)
        loopback_only(context)
        page = context.new_page()
        browser.start_tracing(page=page, categories=["devtools.timeline"])
        page.goto(f"{host_url}/speed.html")
        page.wait_for_function("document.getElementById('hero').complete && window.shifted")
        page.wait_for_function("window.cxlisten && cxlisten._v && cxlisten._v.checks > 1")
        page.goto(f"{host_url}/basic.html")  # pagehide: the last dwell, with the metrics
        trace = browser.stop_tracing()
        context.close()
        for name, figures in totals.items():
            total, longest = _cpu_ms(trace, f"{collector_url}/{name}")
            figures[0] += total
            figures[1] = max(figures[1], longest)
    return totals


def _print_figures(totals: dict, loads: int) -> None:
    """Print each file's CPU time per load, longest task and size, and their ratio."""
    sizes = {
        name: len(gzip.compress((REPO / "cxlisten" / "static" / name).read_bytes(), 9))
        for name in totals
    }
    print(f"{loads} loads of speed.html; main-thread CPU time per load")
    for name, (total, longest) in totals.items():
        print(
            f"  {name:10} {total / loads:6.2f} ms per load, longest task "
            f"{longest:5.2f} ms, {sizes[name]:,} B gzip"
        )
    ratio = totals["vitals.js"][0] / totals["sdk.js"][0] if totals["sdk.js"][0] else 0.0
    print(f"vitals.js / sdk.js CPU time: {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=10, help="page loads to trace")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from collector import create_app
    from cxlisten import sites
    from cxlisten.storage.db import open_database
    from tests.browser.snippet_fixtures import FastServer, pages_app
    from tests.conftest import CHROMIUM_ARGS, chromium_path

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise
    path = chromium_path()
    if not path:
        raise SystemExit("Chromium is needed: apt-get install -y chromium")
    folder = tempfile.mkdtemp(prefix="cxlisten-bench-vitals-")
    try:
        db_path = str(Path(folder) / "cxlisten.db")
        db = open_database(db_path)
        state: dict = {}
        with (
            FastServer(pages_app(state)) as host,
            FastServer(create_app({"db": db_path, "secret": "bench"})) as collector,
            sync_playwright() as pw,
        ):
            site = sites.create_site(db, "Bench", [host.url])
            state.update(site=site.key, collector=collector.url)
            browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
            totals = _trace_loads(browser, host.url, collector.url, args.loads)
            browser.close()
        _print_figures(totals, args.loads)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
