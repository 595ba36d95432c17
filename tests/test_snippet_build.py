"""The built snippet: size budget, staleness against sdk_js/src, and how the collector serves it."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "cxlisten" / "static"
SDK_JS = ROOT / "sdk_js"
# Gzip bytes per built file, declared once for this test and `npm run size`.
BUDGET: dict[str, int] = json.loads((SDK_JS / "budget.json").read_text(encoding="utf-8"))


def gzipped(name: str) -> int:
    return len(gzip.compress((STATIC / name).read_bytes(), compresslevel=9))


@pytest.mark.parametrize(("name", "budget"), BUDGET.items())
def test_size_budget(name, budget):
    assert gzipped(name) <= budget, f"{name}: {gzipped(name)} bytes gzipped, budget {budget}"


@pytest.mark.parametrize("name", BUDGET)
def test_built_files_are_ascii_so_any_page_encoding_reads_them(name):
    (STATIC / name).read_bytes().decode("ascii")


def test_built_files_match_the_sources(tmp_path):
    """Rebuild into a temporary directory and compare byte for byte with cxlisten/static."""
    node = shutil.which("node")
    if not node or not (SDK_JS / "node_modules").is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI must run `npm ci` in sdk_js/ before the tests")
        pytest.skip("sdk_js/node_modules absent (run `npm ci` in sdk_js/) and CI unset")
    subprocess.run(
        [node, "scripts/build.mjs", str(tmp_path)],
        cwd=SDK_JS,
        check=True,
        capture_output=True,
        timeout=60,
    )
    for name in BUDGET:
        assert (tmp_path / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"cxlisten/static/{name} is stale: run `npm run build` in sdk_js/ and commit it"
        )


@pytest.mark.parametrize("name", BUDGET)
def test_the_collector_serves_the_scripts_cacheably(client, name):
    reply = client.get(f"/{name}")
    assert reply.status_code == 200
    assert reply.data == (STATIC / name).read_bytes()
    assert reply.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "max-age=3600" in reply.headers["Cache-Control"]
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    etag = reply.headers["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(f"/{name}", headers={"If-None-Match": header})
        assert (again.status_code, again.data) == (304, b"")
        assert again.headers["ETag"] == etag
    assert client.get(f"/{name}", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_only_the_two_scripts_are_served(client):
    assert client.get("/other.js").status_code == 404
    assert client.get("/static/sdk.js").status_code == 404


_LISTENER = re.compile(r"\baddEventListener\(\s*[^,]+,\s*([^\n]*)")


def test_every_listener_of_the_snippet_runs_inside_safe():
    # sdk_js/ARCHITECTURE.md's first goal: nothing a listener throws reaches the host page. A
    # handler is wrapped where it is added, or is a constant made by safe() in its module.
    unwrapped = []
    for path in sorted((SDK_JS / "src").rglob("*.js")):
        source = path.read_text(encoding="utf-8")
        wrapped = set(re.findall(r"\bconst (\w+) = safe\(", source))
        for handler in _LISTENER.findall(source):
            name = re.match(r"\w+", handler)
            if handler.startswith("safe(") or (name and name.group() in wrapped):
                continue
            if path.name == "env.js" and handler.startswith("safe(fn)"):
                continue
            unwrapped.append(f"{path.relative_to(SDK_JS)}: {handler[:60]}")
    assert unwrapped == []
