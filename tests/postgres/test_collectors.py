"""Two gunicorn collectors on one PostgreSQL: DESIGN.md's guarantees with many writers.

- one visitor's batches racing to both collectors at once make one correct session summary (no
  lost update), the same a single collector builds from the same batches in the same order;
- under a bounded load spread over both, one collector SIGKILLed three times: every
  acknowledged event is stored, none twice, and resending everything stores nothing new;
- the contact budget holds across collectors: a survey shown through one stops another
  collector from offering a second;
- a webhook message is delivered once however many senders race for the outbox.
"""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest
import requests

from collector import create_app
from cxlisten import sites
from cxlisten.storage import open_database
from cxlisten.storage.events import SESSION_COLUMNS
from tests.postgres.conftest import SECRET
from tests.support.db import count_events, event_ids
from tests.support.gunicorn import DESKTOP_UA
from tests.test_durability import EVENTS_PER_BATCH, Sent, make_batch, post, resend_all

CLIENTS = 3
KILLS = 3
MAX_BATCHES_PER_CLIENT = 120  # bounds the load however fast the machine is
RUN_BEFORE_KILL = (0.4, 0.9)


def sessions_of(db, site_id: int) -> list[tuple]:
    """Every session summary of the site but its (random) id, oldest first."""
    columns = [c for c in SESSION_COLUMNS if c != "id"]
    return sorted(
        db.execute(f"SELECT {', '.join(columns)} FROM sessions WHERE site_id = ?", [site_id])
    )


def one_collector_builds(pg, site, batches: list[tuple[dict, str]], tmp_path) -> list[tuple]:
    """Replay BATCHES (body, visitor token) in order into one collector on SQLite; its sessions."""
    path = str(tmp_path / "one.db")
    sites.create_site(open_database(path), "Shop", [], key=site.key)
    client = create_app({"db": path, "secret": SECRET}).test_client()
    for body, token in batches:
        reply = client.post(
            "/v1/collect", json={**body, "visitor": token}, headers={"User-Agent": DESKTOP_UA}
        )
        assert reply.status_code == 200, reply.json
    return sessions_of(open_database(path), 1)


def in_stored_order(pg, sent: list[tuple[dict, str]]) -> list[tuple[dict, str]]:
    """Return the batches that were stored, in the order their transactions stored them."""
    seq = dict(pg.execute("SELECT id, seq FROM events").fetchall())
    stored = [(body, token) for body, token in sent if body["events"][0]["id"] in seq]
    return sorted(stored, key=lambda item: seq[item[0]["events"][0]["id"]])


def test_a_visitors_batches_racing_to_two_collectors_make_one_correct_session(
    two, pg_url, tmp_path
):
    a, b, site = two
    http = requests.Session()
    first = make_batch(site.key, None, 0)
    status, reply = post(http, a.url, first)
    token = reply["visitor"]
    sent = [(first, token)]
    for n in range(1, 16):  # both collectors take one batch of the visitor at the same moment
        pair = [make_batch(site.key, token, 2 * n), make_batch(site.key, token, 2 * n + 1)]
        start = threading.Barrier(2)
        replies: list = [None, None]

        def send(i, url, body, start=start, replies=replies):
            start.wait()
            with requests.Session() as own:
                replies[i] = post(own, url, body)

        threads = [
            threading.Thread(target=send, args=(i, url, body))
            for i, (url, body) in enumerate(zip((a.url, b.url), pair, strict=True))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [r[0] for r in replies] == [200, 200], replies
        sent += [(body, token) for body in pair]
    pg = open_database(pg_url)
    stored = count_events(pg, site.id)
    assert stored == 31 * EVENTS_PER_BATCH
    (summary,) = pg.execute("SELECT events, pageviews FROM sessions").fetchall()
    assert summary[0] == stored  # no batch's update of the summary row was lost
    assert sessions_of(pg, site.id) == one_collector_builds(
        pg, site, in_stored_order(pg, sent), tmp_path
    )


def spread_client(urls, site_key, stop, log: list[Sent], tokens: dict, rng) -> None:
    """Send batches, each to a collector picked at random; an unanswered one goes to the other."""
    with requests.Session() as http:
        sent = Sent(make_batch(site_key, None, 0))
        sent.status, sent.reply = post(http, urls[0], sent.body)  # before any kill
        log.append(sent)
        visitor = sent.reply["visitor"]
        tokens[id(sent)] = visitor
        for n in range(1, MAX_BATCHES_PER_CLIENT):
            sent = Sent(make_batch(site_key, visitor, n))
            log.append(sent)
            tokens[id(sent)] = visitor
            url = rng.choice(urls)
            while sent.status is None and not stop.is_set():
                try:
                    sent.status, sent.reply = post(http, url, sent.body)
                except requests.RequestException as exc:  # killed under us: the other one
                    sent.failures.append(str(exc))
                    http.close()
                    url = urls[1] if url == urls[0] else urls[0]
                    time.sleep(0.02)
            if stop.is_set():
                return


@pytest.mark.slow
def test_one_of_two_collectors_killed_three_times_loses_and_duplicates_nothing(
    two, pg_url, tmp_path
):
    a, b, site = two
    rng = random.Random(7)
    logs: list[list[Sent]] = [[] for _ in range(CLIENTS)]
    tokens: dict[int, str] = {}
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=spread_client,
            args=((a.url, b.url), site.key, stop, log, tokens, random.Random(i)),
            daemon=True,
        )
        for i, log in enumerate(logs)
    ]
    for t in threads:
        t.start()
    try:
        for _ in range(KILLS):
            time.sleep(rng.uniform(*RUN_BEFORE_KILL))
            a.kill()  # SIGKILL to its master and worker, mid-transaction
            time.sleep(0.1)
            a.start(timeout=60)
        time.sleep(0.3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    sent = [s for log in logs for s in log]
    acknowledged = [s for s in sent if s.acknowledged]
    assert len(acknowledged) >= 20, a.log_tail() + b.log_tail()
    assert all(s.status is None or s.acknowledged for s in sent), {
        (s.status, str(s.reply)[:200]) for s in sent if s.status and not s.acknowledged
    }
    for s in acknowledged:  # whole batches: all new, or (a retry) all duplicates
        assert (s.reply["accepted"], s.reply["duplicates"]) in (
            (EVENTS_PER_BATCH, 0),
            (0, EVENTS_PER_BATCH),
        ), s.reply

    pg = open_database(pg_url)
    stored = event_ids(pg, site.id)
    lost = [i for s in acknowledged for i in s.ids if i not in stored]
    assert lost == [], f"{len(lost)} acknowledged events lost"
    assert count_events(pg, site.id) == len(stored)  # no event twice
    for s in sent:
        assert sum(i in stored for i in s.ids) in (0, EVENTS_PER_BATCH)

    # Sessions and summaries are what one collector builds from the same stored batches.
    order = in_stored_order(pg, [(s.body, tokens[id(s)]) for s in sent])
    assert sessions_of(pg, site.id) == one_collector_builds(pg, site, order, tmp_path)

    # Resend everything to both: stored batches are pure duplicates, nothing is stored twice.
    sent_ids = {i for s in sent for i in s.ids}
    for url in (a.url, b.url):
        again = resend_all(url, sent)
        assert {status for _, status, _ in again} == {200}
    assert count_events(pg, site.id) == len(sent_ids)
    summarised = pg.execute("SELECT SUM(events) FROM sessions WHERE site_id = ?", [site.id])
    assert summarised.fetchone()[0] == len(sent_ids)


def test_the_contact_budget_holds_across_collectors(two, pg_url):
    from cxlisten import surveys
    from tests.surveys.conftest import PULSE

    a, b, site = two
    pg = open_database(pg_url)
    surveys.save_survey(pg, site, PULSE)
    surveys.save_survey(pg, site, {**PULSE, "id": "pulse-two"})
    http = requests.Session()
    _, reply = post(http, a.url, make_batch(site.key, None, 0))
    token = reply["visitor"]
    offered = {url: _offered(http, url, site.key, token) for url in (a.url, b.url)}
    assert offered[a.url] == offered[b.url] and len(offered[a.url]) == 1  # one per session
    shown = {
        "id": str(uuid.uuid4()),
        "kind": "survey",
        "ts": int(time.time() * 1000),
        "url": "https://shop.example/",
        "survey": offered[a.url][0],
        "action": "shown",
    }
    status, _ = post(http, a.url, {"site": site.key, "visitor": token, "events": [shown]})
    assert status == 200
    assert _offered(http, b.url, site.key, token) == []  # collector B knows A showed one


def _offered(http, url: str, site_key: str, token: str) -> list[str]:
    reply = http.get(
        url + "/v1/config",
        params={"site": site_key, "visitor": token, "url": "https://shop.example/"},
        headers={"User-Agent": DESKTOP_UA, "Origin": "https://shop.example"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    return [s["id"] for s in reply.json()["surveys"]]


def test_a_webhook_message_is_claimed_by_one_sender_at_a_time(pg_url):
    from cxlisten.storage import webhooks as store

    pg = open_database(pg_url)
    site = sites.create_site(pg, "Shop", [])
    pg.execute(
        "INSERT INTO webhooks (site_id, name, url, secret, created_at) VALUES (?, 'w', ?, 's', 0)",
        [site.id, "http://127.0.0.1:9/"],
    )
    hook = pg.execute("SELECT id FROM webhooks").fetchone()[0]
    store.enqueue(
        pg,
        [
            {"site_id": site.id, "webhook_id": hook, "event": "e", "payload": "{}", "created_at": 1}
            for _ in range(40)
        ],
    )
    claims: list[list[int]] = [[] for _ in range(4)]
    start = threading.Barrier(4)

    def sender(mine: list[int]) -> None:
        own = open_database(pg_url)  # a sender of its own, as on another collector
        start.wait()
        for message in store.due(own, now=10, limit=100):
            if store.claim(own, message["id"], message["next_attempt_at"], 10_000):
                mine.append(message["id"])

    threads = [threading.Thread(target=sender, args=(mine,)) for mine in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [i for mine in claims for i in mine]
    assert sorted(everything) == sorted(set(everything)) and len(everything) == 40
