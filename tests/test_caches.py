"""The caches belong to a deployment (or a database), never to the process."""

from __future__ import annotations

import threading

from cxlisten.caches import Caches, caches_of
from cxlisten.deployment import Deployment
from cxlisten.settings import load_settings
from cxlisten.storage import open_database


def test_a_stamped_entry_lives_until_its_stamp_changes():
    caches, calls = Caches(), []

    def compute():
        calls.append(1)
        return len(calls)

    assert caches.stamped("k", 1, compute) == 1
    assert caches.stamped("k", 1, compute) == 1
    assert caches.stamped("k", 2, compute) == 2
    caches.clear()
    assert caches.stamped("k", 2, compute) == 3


def test_a_timed_entry_lives_its_seconds():
    caches, calls = Caches(), []
    assert caches.timed("k", 3600, lambda: calls.append(1) or len(calls)) == 1
    assert caches.timed("k", 3600, lambda: calls.append(1) or len(calls)) == 1
    assert caches.timed("gone", 0, lambda: calls.append(1) or len(calls)) == 2
    assert caches.timed("gone", 0, lambda: calls.append(1) or len(calls)) == 3


def test_two_databases_never_share_entries(tmp_path):
    one, two = open_database(str(tmp_path / "a.db")), open_database(str(tmp_path / "b.db"))
    assert caches_of(one) is caches_of(one)
    assert caches_of(one) is not caches_of(two)


def test_every_connection_of_a_deployment_shares_its_caches(tmp_path):
    deployment = Deployment(load_settings({"db": str(tmp_path / "c.db"), "secret": "s"}))
    seen = []
    thread = threading.Thread(target=lambda: seen.append(caches_of(deployment.db)))
    thread.start()
    thread.join()
    assert seen == [deployment.caches] and caches_of(deployment.db) is deployment.caches
