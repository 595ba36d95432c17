"""An acknowledged event survives the collector being killed: the 2xx-means-committed guarantee.

A real gunicorn on 127.0.0.1 takes batches from several client threads while the whole process
group is killed with SIGKILL and restarted, three times; once with two sync workers (each batch
its own commit), once with two gthread workers of four threads (batches share commits: group
commit). Then:

- every event of every batch that got a 2xx is in the database;
- a batch is all or nothing: a batch whose answer a kill cut off, retried as the snippet retries,
  comes back either wholly new or wholly a duplicate, never half stored;
- sending every batch again stores nothing twice: acknowledged batches come back as duplicates,
  and a second resend of everything changes no row count;
- the per-session summaries count exactly the events stored (written in the same transaction).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests

from cxlisten import sites
from cxlisten.storage import open_database
from tests.support.db import count_events, event_ids
from tests.support.gunicorn import DESKTOP_UA, Gunicorn

CLIENTS = 4
EVENTS_PER_BATCH = 10
KILLS = 3
RUN_BEFORE_KILL = (0.4, 0.9)  # seconds of traffic before each SIGKILL (seeded random)
MAX_BATCHES_PER_CLIENT = 250  # bounds the test even on a fast machine
SECRET = "durability-secret"


@dataclass
class Sent:
    """One batch, sent and retried like the snippet does until answered or the test ends."""

    body: dict
    status: int | None = None  # None: never answered
    reply: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # why each earlier attempt got no answer

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def cut_in_flight(self) -> bool:
        """Whether an attempt reached the server and lost its answer (not merely refused)."""
        return any("refused" not in reason.lower() for reason in self.failures)

    @property
    def ids(self) -> list[str]:
        return [e["id"] for e in self.body["events"]]


def make_batch(site_key: str, visitor: str | None, n: int) -> dict:
    """Return a batch of N valid events of mixed kinds with fresh client UUIDs."""
    now = int(time.time() * 1000)
    url = f"https://shop.example/product/{n}"
    kinds = [
        {
            "kind": "pageview",
            "title": "Product",
            "referrer": None,
            "viewport": {"w": 1280, "h": 720},
        },
        {"kind": "dwell", "visible_ms": 1500, "total_ms": 2000, "scroll": 30},
        {"kind": "click", "target": "button#add", "text": "Add to cart"},
        {"kind": "custom", "name": "add_to_cart", "props": {"sku": f"sku-{n}", "qty": 1}},
    ]
    events = [
        {"id": str(uuid.uuid4()), "ts": now + i, "url": url, **kinds[i % len(kinds)]}
        for i in range(EVENTS_PER_BATCH)
    ]
    return {"site": site_key, "visitor": visitor, "events": events}


def post(http: requests.Session, url: str, body: dict, timeout: float = 5) -> tuple[int, dict]:
    reply = http.post(
        url + "/v1/collect", json=body, headers={"User-Agent": DESKTOP_UA}, timeout=timeout
    )
    data = (
        reply.json() if reply.headers.get("Content-Type", "").startswith("application/json") else {}
    )
    return reply.status_code, data


def client(url: str, site_key: str, stop: threading.Event, log: list[Sent]) -> None:
    """Send batches until told to stop; retry an unanswered batch as is, as the snippet does."""
    visitor = None
    with requests.Session() as http:
        for n in range(MAX_BATCHES_PER_CLIENT):
            sent = Sent(make_batch(site_key, visitor, n))
            log.append(sent)
            while sent.status is None and not stop.is_set():
                try:
                    sent.status, sent.reply = post(http, url, sent.body)
                except requests.RequestException as exc:  # refused, reset, cut-off reply
                    sent.failures.append(str(exc))
                    http.close()  # the server died under us: drop pooled connections
                    time.sleep(0.05)
            if stop.is_set():
                return
            visitor = sent.reply.get("visitor") or visitor


def resend_all(url: str, log: list[Sent]) -> list[tuple[Sent, int, dict]]:
    """Send every batch again, a few at a time, and return (batch, status, reply) for each."""

    def one(sent: Sent):
        with requests.Session() as http:
            for attempt in range(3):  # a busy machine may time a request out; retry as is
                try:
                    status, reply = post(http, url, sent.body, timeout=60)
                    return sent, status, reply
                except requests.RequestException:
                    if attempt == 2:
                        raise
                    http.close()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(one, log))


@pytest.fixture(params=[("sync", 1), ("gthread", 4)], ids=["sync", "gthread-group-commit"])
def collector(tmp_path, request):
    """A site in a fresh database and a gunicorn (not yet started) serving it."""
    db_path = str(tmp_path / "durable.db")
    site = sites.create_site(open_database(db_path), "Durable", [])
    worker_class, threads = request.param
    server = Gunicorn(
        "collector:create_app()",
        workers=2,
        worker_class=worker_class,
        threads=threads,
        env={"CXLISTEN_DB": db_path, "CXLISTEN_SECRET": SECRET, "CXLISTEN_SYNCHRONOUS": "FULL"},
        log_path=tmp_path / "gunicorn.log",
    )
    try:
        yield server, site, db_path
    finally:
        server.kill()  # its own process group only


# Four gunicorn starts and two full resends: ~15 s on a quiet machine, more on a busy one.
@pytest.mark.slow
def test_acknowledged_events_survive_sigkill_and_resends_store_nothing_twice(collector):
    server, site, db_path = collector
    rng = random.Random(2)
    logs: list[list[Sent]] = [[] for _ in range(CLIENTS)]
    stop = threading.Event()
    server.start(timeout=60)
    threads = [
        threading.Thread(target=client, args=(server.url, site.key, stop, log), daemon=True)
        for log in logs
    ]
    for t in threads:
        t.start()
    try:
        for _ in range(KILLS):
            time.sleep(rng.uniform(*RUN_BEFORE_KILL))
            server.kill()  # SIGKILL to master and workers, mid-write
            time.sleep(0.1)
            server.start(timeout=60)
        time.sleep(0.3)  # traffic against the last restart too
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=15)
    sent = [s for log in logs for s in log]
    acknowledged = [s for s in sent if s.acknowledged]
    cut = [s for s in sent if s.cut_in_flight]

    # The run means something only if many batches were acknowledged and kills cut some short.
    assert len(acknowledged) >= 20, server.log_tail()
    assert cut, "no request was cut off in flight by a kill; the run proved nothing"
    assert all(s.status is None or s.acknowledged for s in sent), sorted(
        {(s.status, str(s.reply)[:200]) for s in sent if s.status and not s.acknowledged}
    )
    # A batch is stored whole or not at all: a retried batch is all new or all duplicates.
    for s in acknowledged:
        assert (s.reply["accepted"], s.reply["duplicates"]) in (
            (EVENTS_PER_BATCH, 0),
            (0, EVENTS_PER_BATCH),
        ), s.reply
        if not s.failures:
            assert s.reply["accepted"] == EVENTS_PER_BATCH

    db = open_database(db_path)
    stored = event_ids(db, site.id)
    lost = [i for s in acknowledged for i in s.ids if i not in stored]
    assert lost == [], f"{len(lost)} acknowledged events lost, e.g. {lost[:3]}"
    sent_ids = {i for s in sent for i in s.ids}
    assert stored <= sent_ids
    for s in sent:
        assert sum(i in stored for i in s.ids) in (0, EVENTS_PER_BATCH)

    # Resend everything: stored batches come back as pure duplicates, the rest whole and new.
    before = count_events(db, site.id)
    first = resend_all(server.url, sent)
    assert {status for _, status, _ in first} == {200}
    for s, _, reply in first:
        expected = (0, EVENTS_PER_BATCH) if s.ids[0] in stored else (EVENTS_PER_BATCH, 0)
        assert (reply["accepted"], reply["duplicates"]) == expected
    newly = sum(reply["accepted"] for _, _, reply in first)
    assert count_events(db, site.id) == before + newly == len(sent_ids)

    # And once more: nothing at all is new, and the row count does not move.
    second = resend_all(server.url, sent)
    assert all(
        (reply["accepted"], reply["duplicates"]) == (0, EVENTS_PER_BATCH) for _, _, reply in second
    )
    assert count_events(db, site.id) == len(sent_ids)
    # Session summaries are written in the same transaction as the events they count.
    summarised = db.execute(
        "SELECT COALESCE(SUM(events), 0) FROM sessions WHERE site_id = ?", [site.id]
    ).fetchone()[0]
    assert summarised == len(sent_ids)
