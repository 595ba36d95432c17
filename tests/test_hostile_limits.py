"""Abuse is held off: rate limits (429 + Retry-After) and storage bounds, each refusal explained.

Rate limits run on a clock the test controls; no test waits for real time to pass.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest

from collector import create_app
from cxlisten import surveys
from cxlisten.ratelimit import Buckets, Limits
from cxlisten.storage import rejected
from tests.conftest import BROWSER_UA, ORIGIN, batch, event
from tests.surveys.conftest import PULSE

MINUTE_MS = 60_000


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limited_app(db_path, clock, **settings):
    app = create_app({"db": db_path, "secret": "test-secret", "proxy_hops": 1, **settings})
    dep = app.extensions["cxlisten"]
    dep.limits = Limits(dep.settings, clock=clock)
    return app


def send(client, site, *events, visitor=None, address="203.0.113.7"):
    return client.post(
        "/v1/collect",
        data=json.dumps(batch(site, *(events or [event()]), visitor=visitor)),
        content_type="text/plain",
        headers={"Origin": ORIGIN, "User-Agent": BROWSER_UA, "X-Forwarded-For": address},
    )


def test_a_bucket_grants_its_burst_then_says_when_to_retry():
    clock = Clock()
    buckets = Buckets(60, clock=clock)  # a token a second, bursts of 15
    assert [buckets.take("a") for _ in range(15)] == [0.0] * 15
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0.0  # another key has its own bucket
    clock.now += 1
    assert buckets.take("a") == 0.0


def test_buckets_keep_a_bounded_number_of_keys():
    buckets = Buckets(60, clock=Clock(), max_keys=100)
    for i in range(1000):
        buckets.take(f"client-{i}")
    assert len(buckets._buckets) == 100


def test_a_new_visitor_flood_meets_429_and_known_visitors_still_get_through(db_path, site, db):
    clock = Clock()
    app = limited_app(db_path, clock, new_visitors_per_client_per_minute=60)
    client = app.test_client()
    replies = [send(client, site) for _ in range(40)]
    codes = [r.status_code for r in replies]
    assert codes == [200] * 15 + [429] * 25
    refused = replies[-1]
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert refused.headers["Access-Control-Expose-Headers"] == "Retry-After"
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    # A visitor who already has a token is not a new visitor: still stored.
    token = replies[0].get_json()["visitor"]
    assert send(client, site, visitor=token).status_code == 200
    # Another client address has its own allowance; the flooding one gets it back with time.
    assert send(client, site, address="198.51.100.1").status_code == 200
    clock.now += 1
    assert send(client, site).status_code == 200
    assert db.execute("SELECT COUNT(*) FROM visitors").fetchone()[0] == 17
    # Refusals for rate are not written anywhere (a flood must not turn into writes).
    assert rejected.recent(db) == []


def test_no_raw_client_address_is_kept(db_path, site, db):
    app = limited_app(db_path, Clock(), new_visitors_per_client_per_minute=60)
    client = app.test_client()
    for _ in range(20):
        send(client, site, address="203.0.113.77")
    dump = "\n".join(db.conn.iterdump())
    assert "203.0.113.77" not in dump
    keys = app.extensions["cxlisten"].limits.new_visitors._buckets
    assert keys and all("203.0.113" not in k for k in keys)


def test_one_client_cannot_write_without_bound(db_path, site):
    clock = Clock()
    app = limited_app(db_path, clock, rate_client_per_minute=120)
    client = app.test_client()
    token = send(client, site).get_json()["visitor"]
    codes = [send(client, site, visitor=token).status_code for _ in range(40)]
    assert codes == [200] * 29 + [429] * 11
    # Refused before the body is read: a 429 costs no parsing and no write.
    r = client.post(
        "/v1/responses", data="x" * 10, headers={"Origin": ORIGIN, "X-Forwarded-For": "203.0.113.7"}
    )
    assert r.status_code == 429 and r.headers["Retry-After"]
    clock.now += 60
    assert send(client, site, visitor=token).status_code == 200


def test_a_site_cannot_be_written_without_bound(db_path, site):
    clock = Clock()
    app = limited_app(db_path, clock, rate_site_per_minute=40)
    client = app.test_client()
    codes = [send(client, site, address=f"198.51.100.{i}").status_code for i in range(12)]
    assert codes == [200] * 10 + [429] * 2


# -- storage bounds ---------------------------------------------------------------------------


def bounded_client(db_path, **settings):
    return create_app({"db": db_path, "secret": "test-secret", **settings}).test_client()


def test_events_per_session_are_bounded(db_path, site, db):
    client = bounded_client(db_path, max_session_events=3)
    now = int(time.time() * 1000)
    events = [event(ts=now - 5000 + i) for i in range(5)]
    r = send(client, site, *events)
    assert r.status_code == 400
    reply = r.get_json()
    assert reply["accepted"] == 3
    assert [x["index"] for x in reply["rejected"]] == [3, 4]
    assert "max_session_events" in reply["error"]["fields"]["events.3._event"][0]
    # The next batch of the same session is refused too; each refusal is quarantined.
    r = send(client, site, event(ts=now), visitor=reply["visitor"])
    assert r.status_code == 400 and r.get_json()["accepted"] == 0
    assert len(rejected.recent(db)) == 3


def test_sessions_per_visitor_per_day_are_bounded(db_path, site, db):
    client = bounded_client(db_path, max_visitor_sessions_per_day=2)
    now = int(time.time() * 1000)
    gap = 31 * MINUTE_MS  # past the 30 minutes that end a session
    events = [event(ts=now - 3 * gap + i * gap) for i in range(3)]
    r = send(client, site, *events[:1])
    token = r.get_json()["visitor"]
    r = send(client, site, *events[1:], visitor=token)
    assert r.status_code == 400
    assert r.get_json()["accepted"] == 1
    fields = r.get_json()["error"]["fields"]
    assert "max_visitor_sessions_per_day" in fields["events.1._event"][0]
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 2


def test_distinct_custom_event_names_per_site_are_bounded(db_path, site, db):
    client = bounded_client(db_path, max_custom_names=2)
    names = ["signup", "cart", "spam-1", "spam-2", "signup"]
    r = send(client, site, *[event("custom", name=n) for n in names])
    assert r.status_code == 400
    reply = r.get_json()
    assert reply["accepted"] == 3
    assert [x["index"] for x in reply["rejected"]] == [2, 3]
    assert "max_custom_names" in reply["error"]["fields"]["events.2.name"][0]
    # Known names go on being stored.
    assert send(client, site, event("custom", name="cart")).status_code == 200
    [(count,)] = db.execute("SELECT COUNT(*) FROM custom_names WHERE site_id = ?", [site.id])
    assert count == 2


# -- every anonymous write that makes a visitor meets the same limits ---------------------------


def browser_post(client, path, body, address="203.0.113.7"):
    return client.post(
        path,
        data=json.dumps(body),
        content_type="text/plain",
        headers={"Origin": ORIGIN, "User-Agent": BROWSER_UA, "X-Forwarded-For": address},
    )


def pulse_answer(site, visitor=None) -> dict:
    return {
        "site": site.key,
        "visitor": visitor,
        "survey": "pulse",
        "version": 1,
        "response": str(uuid.uuid4()),
        "answers": [{"question": "found", "value": "no"}],
        "complete": True,
        "url": f"{ORIGIN}/cart",
        "locale": "en",
    }


def test_a_new_visitor_flood_through_survey_answers_meets_429(db_path, site, db):
    surveys.create_survey(db, site, PULSE)
    app = limited_app(db_path, Clock(), new_visitors_per_client_per_minute=60)
    client = app.test_client()
    replies = [browser_post(client, "/v1/responses", pulse_answer(site)) for _ in range(20)]
    assert [r.status_code for r in replies] == [200] * 15 + [429] * 5
    assert replies[-1].headers["Retry-After"] == "1"
    assert replies[-1].headers["Access-Control-Allow-Origin"] == ORIGIN
    # A visitor with a genuine token still answers; nothing was stored for a refusal.
    token = replies[0].get_json()["visitor"]
    assert browser_post(client, "/v1/responses", pulse_answer(site, token)).status_code == 200
    assert db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 16


@pytest.mark.parametrize("path", ["/v1/identify", "/v1/reset"])
def test_fresh_visitors_from_identify_and_reset_meet_429(db_path, site, path):
    app = limited_app(db_path, Clock(), new_visitors_per_client_per_minute=8)
    client = app.test_client()
    body = {"site": site.key, "visitor": None, "customer": "c1", "signature": "00" * 32}
    codes = [browser_post(client, path, body).status_code for _ in range(4)]
    assert codes[-1] == 429, codes
    assert 429 not in codes[:2], codes


def test_survey_answers_count_against_the_site_limit(db_path, site, db):
    surveys.create_survey(db, site, PULSE)
    app = limited_app(db_path, Clock(), rate_site_per_minute=40)
    client = app.test_client()
    codes = [
        browser_post(client, "/v1/responses", pulse_answer(site), address=f"198.51.100.{i}")
        for i in range(12)
    ]
    assert [r.status_code for r in codes] == [200] * 10 + [429] * 2


def test_reloading_a_personal_link_meets_a_readable_429(db_path, site, db):
    from cxlisten.survey_links import PersonalLinks

    surveys.create_survey(db, site, PULSE)
    app = limited_app(db_path, Clock(), new_visitors_per_client_per_minute=8)
    client = app.test_client()
    token = PersonalLinks("test-secret").issue(site, "pulse", "cust-9", 2**42)
    replies = [
        client.get(
            "/s/pulse", query_string={"t": token}, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        for _ in range(4)
    ]
    assert [r.status_code for r in replies] == [200, 200, 429, 429]
    refused = replies[-1]
    assert refused.headers["Retry-After"] and refused.mimetype == "text/html"
    assert "Please try again" in refused.get_data(as_text=True)
    # Each reload that got through linked one fresh visitor; the refused ones linked none.
    assert db.execute("SELECT COUNT(*) FROM customer_visitors").fetchone()[0] == 2
