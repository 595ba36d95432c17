"""The benchmark's diagnostic apps still do what its figures claim (it runs by hand, so check here)."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from bench.common import Result
from bench.ingest import _cpu_bound, create_floor_app, create_storeless_collector
from cxlisten import sites
from cxlisten.storage import open_database
from tests.support.db import count_events


@pytest.mark.parametrize("synchronous", ["FULL", "NORMAL"])
def test_floor_app_commits_each_body_before_answering(tmp_path, monkeypatch, synchronous):
    path = tmp_path / "floor.db"
    monkeypatch.setenv("CXLISTEN_DB", str(path))
    monkeypatch.setenv("CXLISTEN_SYNCHRONOUS", synchronous)
    client = create_floor_app().test_client()
    reader = sqlite3.connect(path)
    bodies = [json.dumps({"site": "x", "events": [{"n": i}]}) for i in range(3)]
    for count, body in enumerate(bodies, start=1):
        assert client.post("/v1/collect", data=body, content_type="text/plain").status_code == 204
        # Another connection sees the row as soon as the answer is out: it was committed.
        assert reader.execute("SELECT COUNT(*) FROM floor").fetchone()[0] == count
    stored = [row[0].decode() for row in reader.execute("SELECT body FROM floor")]
    assert stored == bodies


def test_storeless_collector_checks_everything_but_stores_nothing(tmp_path, monkeypatch):
    path = str(tmp_path / "c.db")
    site = sites.create_site(open_database(path), "Bench", [])
    monkeypatch.setenv("CXLISTEN_DB", path)
    monkeypatch.setenv("CXLISTEN_SECRET", "bench")
    client = create_storeless_collector().test_client()
    now = int(time.time() * 1000)
    event = {"id": "e-1", "kind": "custom", "name": "x", "ts": now, "url": "https://a.example/"}
    reply = client.post("/v1/collect", json={"site": site.key, "visitor": None, "events": [event]})
    assert reply.status_code == 200 and reply.get_json()["accepted"] == 1
    bad = client.post("/v1/collect", json={"site": site.key, "visitor": None, "events": [{}]})
    assert bad.status_code == 400
    assert count_events(open_database(path)) == 0


def _run_using(cpu_ms_per_request: float | None) -> Result:
    # Over 1000 requests, N seconds of server CPU are N ms per request.
    return Result("run", 1000, 1.0, 10, 1.0, 2.0, 3.0, 0, 0, server_cpu_s=cpu_ms_per_request)


def test_cpu_bound_adds_the_http_side_and_the_commit():
    # bare 0.6 ms; HTTP side 1.2 ms (+0.6); commit 0.9 ms (+0.3): 0.6 / 1.5 = 40%.
    assert _cpu_bound(_run_using(0.6), _run_using(1.2), _run_using(0.9)) == pytest.approx(0.4)
    # A commit cheaper than the bare app's noise adds nothing.
    assert _cpu_bound(_run_using(0.6), _run_using(1.2), _run_using(0.5)) == pytest.approx(0.5)
    assert _cpu_bound(_run_using(0.6), _run_using(None), _run_using(0.9)) is None


def test_the_engines_cpu_per_event_is_the_median_of_the_rounds_ratios(capsys):
    """Each round pairs SQLite and PostgreSQL; one disturbed round does not decide."""
    from bench.ingest import _cpu_per_event, _print_cost

    def run(requests: int, cpu_s: float, refused: int = 0) -> Result:
        return Result("r", requests, 1.0, 10, 1.0, 2.0, 3.0, 0, refused, server_cpu_s=cpu_s)

    lite = [run(100, 1.0), run(100, 1.0), run(100, 1.0)]
    pg = [run(100, 1.5), run(100, 6.0), run(120, 1.4, refused=20)]
    assert _cpu_per_event(lite) == pytest.approx(3.0 / 3000)
    assert _cpu_per_event(pg[2:]) == pytest.approx(1.4 / 1000)  # refused requests store nothing
    _print_cost(lite, pg)
    out = capsys.readouterr().out
    assert "median of 3 rounds: 1.50x" in out and "rounds: 1.50x, 6.00x, 1.40x" in out
