"""Webhooks: signed, retried with backoff until accepted, logged; nothing lost while down."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from cxlisten import webhooks
from cxlisten.errors import InvalidInput


class Receiver:
    """A local HTTP receiver that can be switched to fail."""

    def __init__(self):
        self.received: list[tuple[dict, dict]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.status < 300:
                    receiver.received.append((dict(self.headers), json.loads(body), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.mark.parametrize(
    "attempt, wait_s",
    [(1, 30), (2, 60), (3, 120), (6, 960), (10, 15360), (11, 6 * 3600), (50, 6 * 3600)],
)
def test_backoff_doubles_up_to_six_hours(attempt, wait_s):
    assert webhooks.backoff_ms(attempt) == wait_s * 1000


@pytest.mark.parametrize(
    "tamper, ok",
    [
        (lambda h, b: (h, b), True),
        (lambda h, b: (h, b + b" "), False),
        (lambda h, b: (h.replace("v1=", "v1=0"), b), False),
        (lambda h, b: ("garbage", b), False),
        (lambda h, b: (h.replace("t=", "t=1"), b), False),
    ],
)
def test_signature_verifies_only_untouched_bodies(tamper, ok):
    body = b'{"event":"x"}'
    header = webhooks.sign("s3cret", 1_700_000_000, body)
    header, body = tamper(header, body)
    assert webhooks.verify("s3cret", header, body, now=1_700_000_010) is ok


def test_old_signatures_are_refused():
    header = webhooks.sign("s", 1_700_000_000, b"{}")
    assert not webhooks.verify("s", header, b"{}", now=1_700_000_000 + 301)


def test_delivery_is_signed_and_logged(db, site, receiver):
    hook = webhooks.add_webhook(db, site, "team", receiver.url)
    assert webhooks.enqueue(db, site, "rule.detractor", {"visitor": "v1", "nps": 2}) == 1
    summary = webhooks.deliver_due(db)
    assert summary == {"attempted": 1, "delivered": 1, "failed": 0, "pending": 0}
    headers, payload, raw = receiver.received[0]
    assert payload["event"] == "rule.detractor" and payload["data"] == {"visitor": "v1", "nps": 2}
    assert headers["X-Cxlisten-Event"] == "rule.detractor"
    assert webhooks.verify(hook["secret"], headers["X-Cxlisten-Signature"], raw)
    log = webhooks.deliveries(db, site)
    assert [(d["attempt"], d["status_code"], d["message_status"]) for d in log] == [
        (1, 200, "delivered")
    ]


def test_a_receiver_down_for_a_while_loses_nothing(db, site, receiver):
    webhooks.add_webhook(db, site, "team", receiver.url)
    for i in range(3):
        webhooks.enqueue(db, site, "alert", {"n": i})
    receiver.status = 503
    now = int(time.time() * 1000) + 1000
    first = webhooks.deliver_due(db, now=now)
    assert first["failed"] == 3 and first["pending"] == 3
    assert webhooks.deliver_due(db, now=now + 1_000)["attempted"] == 0  # not due yet
    webhooks.deliver_due(db, now=now + 30_000)  # second try, still down
    receiver.status = 200
    assert webhooks.deliver_due(db, now=now + 60_000)["attempted"] == 0  # backoff now 60 s
    done = webhooks.deliver_due(db, now=now + 90_000)
    assert done == {"attempted": 3, "delivered": 3, "failed": 0, "pending": 0}
    assert sorted(p["data"]["n"] for _, p, _ in receiver.received) == [0, 1, 2]
    ids = {h["X-Cxlisten-Delivery"] for h, _, _ in receiver.received}
    assert len(ids) == 3
    attempts = [d["attempt"] for d in webhooks.deliveries(db, site)]
    assert sorted(attempts) == [1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_unreachable_receiver_is_retried_not_dropped(db, site):
    webhooks.add_webhook(db, site, "gone", "http://127.0.0.1:9/nothing")
    webhooks.enqueue(db, site, "alert", {})
    result = webhooks.deliver_due(db, timeout=1)
    assert result["failed"] == 1 and result["pending"] == 1
    assert webhooks.deliveries(db, site)[0]["error"]


def test_events_route_to_subscribed_endpoints_and_dedupe(db, site):
    webhooks.add_webhook(db, site, "alerts", "https://example.com/a", events=["rule.*"])
    webhooks.add_webhook(db, site, "all", "https://example.com/b")
    webhooks.add_webhook(db, site, "off", "https://example.com/c", active=False)
    assert webhooks.enqueue(db, site, "rule.x", {}, dedupe="k") == 2
    assert webhooks.enqueue(db, site, "rule.x", {}, dedupe="k") == 0
    assert webhooks.enqueue(db, site, "report.weekly", {}) == 1


def test_a_message_claimed_by_one_worker_is_skipped_by_another(db, site):
    from cxlisten.storage import webhooks as store

    webhooks.add_webhook(db, site, "team", "https://example.com/a")
    webhooks.enqueue(db, site, "alert", {})
    now = int(time.time() * 1000) + 1000
    (message,) = store.due(db, now, 10)
    assert store.claim(db, message["id"], message["next_attempt_at"], now + 60_000)
    sent = []
    summary = webhooks.deliver_due(db, now=now, send=lambda *a: sent.append(a) or 200)
    assert sent == [] and summary["attempted"] == 0 and summary["pending"] == 1


@pytest.mark.parametrize(
    "name, url, field",
    [("ok", "ftp://x", "url"), ("ok", "not a url", "url"), ("bad name!", "https://x.io", "name")],
)
def test_invalid_endpoints_are_refused(db, site, name, url, field):
    with pytest.raises(InvalidInput) as exc:
        webhooks.add_webhook(db, site, name, url)
    assert field in exc.value.fields


def test_deliver_soon_sends_in_the_background(db, site, receiver):
    webhooks.add_webhook(db, site, "team", receiver.url)
    webhooks.enqueue(db, site, "alert", {"n": 1})
    assert webhooks.deliver_soon(db)
    deadline = time.monotonic() + 10
    while not receiver.received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert receiver.received


def test_a_disabled_endpoint_keeps_its_messages_until_enabled(db, site, receiver):
    webhooks.add_webhook(db, site, "team", receiver.url)
    webhooks.enqueue(db, site, "alert", {"n": 1})
    webhooks.set_active(db, site, "team", False)
    assert webhooks.enqueue(db, site, "alert", {"n": 2}) == 0  # nothing new is queued
    assert webhooks.deliver_due(db)["attempted"] == 0
    webhooks.set_active(db, site, "team", True)
    assert webhooks.deliver_due(db)["delivered"] == 1
    assert [p["data"] for _, p, _ in receiver.received] == [{"n": 1}]


def test_erasing_a_visitor_drops_their_alerts_sent_or_not(db, site, receiver):
    from cxlisten.surveys.profile import erase_visitor

    webhooks.add_webhook(db, site, "team", receiver.url)
    webhooks.enqueue(db, site, "alert", {"visitor": "v_1"}, dedupe="care:v_1:s1")
    webhooks.deliver_due(db)  # one of theirs was sent already
    webhooks.add_webhook(db, site, "down", "http://127.0.0.1:9/down")
    webhooks.enqueue(db, site, "alert", {"visitor": "v_1"}, dedupe="care:v_1:s2")
    webhooks.enqueue(db, site, "alert", {"visitor": "v21"}, dedupe="care:v21:s1")
    webhooks.deliver_due(db, timeout=0.5)
    erased = erase_visitor(db, site, "v_1")
    assert erased["webhook_outbox"] >= 2
    assert {json.loads(m["payload"])["visitor"] for m in webhooks.outbox(db, site)} == {"v21"}
