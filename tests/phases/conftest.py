"""Phase fixtures: one simulated shop per test session (copied for tests that write to it)."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from cxlisten import sites
from cxlisten.simulate import simulate
from cxlisten.storage import events as event_store
from cxlisten.storage.db import open_database
from cxlisten.useragent import Device

DESKTOP = Device("desktop", "Chrome", "Linux", False)
SIM_EVENTS = 60_000
NOW = 1_795_000_000_000  # a fixed "now" so windows in tests are exact


@pytest.fixture(scope="session")
def shop_file(tmp_path_factory):
    """A database with SIM_EVENTS events of simulated shop traffic (see cxlisten.simulate)."""
    path = str(tmp_path_factory.mktemp("shop") / "shop.db")
    db = open_database(path, synchronous="NORMAL")
    site = sites.create_site(db, "Shop", ["https://shop.example"], key="cx_shop")
    counts = simulate(db, site, events=SIM_EVENTS, seed=7, now=NOW)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path, counts


@pytest.fixture(scope="session")
def shop_ro(shop_file):
    """(db, site) on the shared simulated shop: read it, never write to it."""
    db = open_database(shop_file[0])
    return db, _site(db)


def _site(db):
    from cxlisten.storage import sites as site_store

    return site_store.site_by_key(db, "cx_shop")


@pytest.fixture
def shop(shop_file, tmp_path):
    """(db, site) on a private copy of the simulated shop."""
    path = str(tmp_path / "shop.db")
    shutil.copy(shop_file[0], path)
    db = open_database(path)
    return db, _site(db)


def add_session(
    db,
    site,
    steps,
    dwell=None,
    *,
    visitor="v1",
    started=None,
    bot=False,
    device=DESKTOP,
    custom=(),
    clicked=0,
    returning=False,
):
    """Store one session summary with STEPS (and DWELL ms per step); return its id."""
    from cxlisten import sessions

    started = started or int(time.time() * 1000)
    kind = Device("bot", "HeadlessChrome", "Linux", True) if bot else device
    session = sessions.new_session(site.id, visitor, started, kind, returning)
    session.update(
        steps=list(steps),
        dwell=list(dwell or [10_000] * len(steps)),
        custom=list(custom),
        pageviews=len(steps),
        interventions_clicked=clicked,
        entry=steps[0] if steps else None,
        exit=steps[-1] if steps else None,
        last_ts=started + 60_000,
    )
    from cxlisten.storage import transaction

    with transaction(db):
        event_store.save_sessions(db, [session])
    return session["id"]


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
