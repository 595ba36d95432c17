"""The console's bundled JavaScript and CSS: rebuilt from the sources they are the same bytes,
they fit the budget, and the console serves them itself (no CDN)."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "collector" / "console" / "static"
SDK_JS = ROOT / "sdk_js"
FILES = ("console.js", "console.css", "preview.js")
BUDGET = 80 * 1024  # gzip bytes, all files together


def test_assets_fit_the_budget():
    total = sum(len(gzip.compress((STATIC / n).read_bytes(), compresslevel=9)) for n in FILES)
    assert total <= BUDGET, f"console assets: {total} bytes gzipped, budget {BUDGET}"


def test_built_assets_match_the_sources(tmp_path):
    node = shutil.which("node")
    if not node or not (SDK_JS / "node_modules").is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI must run `npm ci` in sdk_js/ before the tests")
        pytest.skip("sdk_js/node_modules absent (run `npm ci` in sdk_js/) and CI unset")
    subprocess.run(
        [node, "scripts/build-console.mjs", str(tmp_path)],
        cwd=SDK_JS,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"collector/console/static/{name} is stale: run `npm run build:console` in sdk_js/"
        )


@pytest.mark.parametrize(("name", "kind"), [("console.js", "javascript"), ("console.css", "css")])
def test_the_console_serves_its_assets_without_signing_in(client, name, kind):
    with client.get(f"/console/static/{name}") as reply:
        assert reply.status_code == 200
        assert kind in reply.headers["Content-Type"]
        assert reply.data == (STATIC / name).read_bytes()


def test_pages_load_nothing_from_another_host(console, keys):
    console.sign_in(keys["a"])
    for path in ("/console/surveys", "/console/builder", "/console/sign-in"):
        page = console.get(path).get_data(as_text=True)
        assert "http://" not in page.replace("http://localhost", "")
        assert "https://" not in page
