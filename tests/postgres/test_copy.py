"""``cxlisten db copy``: a deployment moved from SQLite to PostgreSQL and back, resumably."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from collector import create_app
from cxlisten.cli import cli
from cxlisten.storage import copy as copier
from cxlisten.storage import open_database
from cxlisten.storage import sites as site_store
from tests.conftest import BROWSER_UA, batch, event


def filled(path: str) -> dict[str, int]:
    """A SQLite deployment with a site, events, sessions, a survey response; its row counts."""
    db = open_database(path)
    site = site_store.create_site(db, "Shop", ["https://shop.example"])
    client = create_app({"db": path, "secret": "s"}).test_client()
    for _ in range(30):
        r = client.post(
            "/v1/collect",
            data=json.dumps(batch(site, event(), event("dwell"), event("custom"))),
            headers={"User-Agent": BROWSER_UA},
        )
        assert r.status_code == 200
    return {t: copier.count(db, t) for t in copier.tables(db)}


def copy(source: str, destination: str):
    return CliRunner().invoke(cli, ["db", "copy", "--from", source, "--to", destination])


def test_a_file_moves_to_postgresql_and_back_with_equal_counts(pg_url, tmp_path):
    path = str(tmp_path / "cx.db")
    counts = filled(path)
    assert counts["events"] == 90
    r = copy(path, pg_url)
    assert r.exit_code == 0, r.output
    assert "counts equal" in r.output and "cxlisten:***@" in r.output
    pg = open_database(pg_url)
    assert {t: copier.count(pg, t) for t in counts} == counts
    # New rows after the move get fresh ids, and visitors' tokens still verify (same secret).
    site = site_store.list_sites(pg)[0]
    again = site_store.create_site(pg, "Second", [])
    assert again.id == site.id + 1
    back = str(tmp_path / "back.db")
    r = copy(pg_url, back)
    assert r.exit_code == 0, r.output
    db = open_database(back)
    assert copier.count(db, "events") == 90 and copier.count(db, "sites") == 2
    rows = "SELECT id, ts, kind, url, data FROM events ORDER BY seq"
    assert db.execute(rows).fetchall() == open_database(path).execute(rows).fetchall()


def test_an_interrupted_copy_finishes_when_run_again_without_duplicates(
    pg_url, tmp_path, monkeypatch
):
    path = str(tmp_path / "cx.db")
    counts = filled(path)
    monkeypatch.setattr(copier, "BATCH", 7)
    real = copier.transaction
    calls = {"n": 0}

    def cut(db):  # the 6th batch never commits: as if the copy were killed there
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt
        return real(db)

    monkeypatch.setattr(copier, "transaction", cut)
    with pytest.raises(KeyboardInterrupt):
        copier.copy_database(open_database(path), open_database(pg_url))
    pg = open_database(pg_url)
    partly = {t: copier.count(pg, t) for t in counts}
    assert 0 < sum(partly.values()) < sum(counts.values())
    monkeypatch.setattr(copier, "transaction", real)
    r = copy(path, pg_url)
    assert r.exit_code == 0, r.output
    assert {t: copier.count(pg, t) for t in counts} == counts
    r = copy(path, pg_url)  # and once more: nothing to add
    assert r.exit_code == 0 and "(+1)" not in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "nowhere.db", "--to", "x.db"], "no database at nowhere.db"),
        (["--from", "a.db", "--to", "a.db"], "the same database"),
        (["--to", "x.db"], "Missing option '--from'"),
    ],
)
def test_bad_copies_get_one_readable_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["db", "copy", *args])
    assert r.exit_code != 0 and message in r.output and "Traceback" not in r.output
