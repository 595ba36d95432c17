"""Webhooks that tell the truth: no redirect followed, the timeout honoured, delivery ids never
reused, and no delivery to loopback, private, link-local or metadata addresses unless allowed.

Names are resolved by a stub (no test makes a DNS lookup); the only address any socket reaches is
127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cxlisten import webhooks
from cxlisten.errors import InvalidInput
from cxlisten.surveys.profile import erase_visitor


class Receiver:
    """A receiver on 127.0.0.1 whose answer the test chooses; it records every request."""

    def __init__(self, answer):
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                receiver.requests.append((self.command, self.path, dict(self.headers), body))
                answer(self, receiver)

            do_POST = do_GET = _record  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_with():
    made = []

    def make(answer):
        made.append(Receiver(answer))
        return made[-1]

    yield make
    for r in made:
        r.close()


def ok(handler, receiver):
    handler.send_response(200)
    handler.end_headers()


def redirect(status):
    def answer(handler, receiver):
        if handler.command == "GET":  # what following a 302 would have done
            ok(handler, receiver)
            return
        handler.send_response(status)
        handler.send_header("Location", "/moved")
        handler.end_headers()

    return answer


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failed_attempt_never_a_get(db, site, receiver_with, status):
    receiver = receiver_with(redirect(status))
    webhooks.add_webhook(db, site, "team", receiver.url)
    webhooks.enqueue(db, site, "alert", {"n": 1})
    summary = webhooks.deliver_due(db)
    assert summary == {"attempted": 1, "delivered": 0, "failed": 1, "pending": 1}
    assert [(method, path) for method, path, _, _ in receiver.requests] == [("POST", "/hook")]
    [attempt] = webhooks.deliveries(db, site)
    assert attempt["status_code"] == status and attempt["message_status"] == "pending"
    assert "redirects are not followed" in attempt["error"]


def held(handler, receiver):
    receiver.release.wait(30)  # answers only once the test lets it (or never, in time)
    ok(handler, receiver)


def test_the_timeout_setting_is_honoured(db, site, receiver_with, monkeypatch):
    receiver = receiver_with(held)
    monkeypatch.setenv("CXLISTEN_WEBHOOK_TIMEOUT_SECONDS", "0.5")
    webhooks.add_webhook(db, site, "slow", receiver.url)
    webhooks.enqueue(db, site, "alert", {"n": 1})
    summary = webhooks.deliver_due(db)  # no timeout given: the setting decides
    receiver.release.set()
    assert summary["failed"] == 1 and summary["pending"] == 1
    [attempt] = webhooks.deliveries(db, site)
    assert "0.5 s" in attempt["error"] and attempt["status_code"] is None


def test_the_background_sender_honours_the_timeout_setting(db, site, receiver_with, monkeypatch):
    receiver = receiver_with(held)
    monkeypatch.setenv("CXLISTEN_WEBHOOK_TIMEOUT_SECONDS", "0.5")
    webhooks.add_webhook(db, site, "slow", receiver.url)
    webhooks.enqueue(db, site, "alert", {"n": 1})
    assert webhooks.deliver_soon(db)
    deadline = time.monotonic() + 20  # a bound for a busy machine, not a measured duration
    while not webhooks.deliveries(db, site) and time.monotonic() < deadline:
        time.sleep(0.02)
    receiver.release.set()
    [attempt] = webhooks.deliveries(db, site)
    assert attempt["error"] and "0.5 s" in attempt["error"]


def dribble(handler, receiver):
    # The status line a byte at a time: each read is quick, the answer as a whole is not.
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
        if receiver.release.wait(0.2):
            return
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
    handler.close_connection = True


def test_a_receiver_that_dribbles_is_cut_at_the_timeout(db, site, receiver_with):
    receiver = receiver_with(dribble)
    webhooks.add_webhook(db, site, "dribbler", receiver.url)
    webhooks.enqueue(db, site, "alert", {"n": 1})
    summary = webhooks.deliver_due(db, timeout=1)
    receiver.release.set()
    assert summary["delivered"] == 0 and summary["failed"] == 1
    assert "no answer within 1 s" in webhooks.deliveries(db, site)[0]["error"]


def test_delivery_ids_are_never_reused_even_after_an_erasure(db, site, receiver_with, engine):
    receiver = receiver_with(ok)
    webhooks.add_webhook(db, site, "team", receiver.url)
    webhooks.enqueue(db, site, "alert", {"visitor": "v_1"}, dedupe="care:v_1:s1")
    webhooks.deliver_due(db)
    [first] = webhooks.outbox(db, site)
    erase_visitor(db, site, "v_1")  # deletes the newest outbox row: SQLite reuses its id
    webhooks.enqueue(db, site, "alert", {"visitor": "v_2"}, dedupe="care:v_2:s1")
    webhooks.enqueue(db, site, "alert", {"visitor": "v_3"})
    webhooks.deliver_due(db)
    second = webhooks.outbox(db, site)
    if engine == "sqlite":  # PostgreSQL's identity never hands an id out twice
        assert first["id"] in {m["id"] for m in second}  # the row id came back...
    ids = [headers["X-Cxlisten-Delivery"] for _, _, headers, _ in receiver.requests]
    assert len(ids) == 3 and len(set(ids)) == 3  # ...the delivery id never does
    bodies = [json.loads(body)["id"] for _, _, _, body in receiver.requests]
    assert bodies == ids


def test_a_retry_keeps_its_delivery_id(db, site, receiver_with):
    statuses = iter([503, 200])

    def flaky(handler, receiver):
        handler.send_response(next(statuses))
        handler.end_headers()

    receiver = receiver_with(flaky)
    webhooks.add_webhook(db, site, "team", receiver.url)
    webhooks.enqueue(db, site, "alert", {})
    now = int(time.time() * 1000)
    webhooks.deliver_due(db, now=now)
    webhooks.deliver_due(db, now=now + webhooks.backoff_ms(1))
    ids = [headers["X-Cxlisten-Delivery"] for _, _, headers, _ in receiver.requests]
    assert len(ids) == 2 and ids[0] == ids[1]


# -- SSRF ----------------------------------------------------------------------------------------

STUB_DNS = {
    "metadata.google.internal": ["169.254.169.254"],
    "intranet.example": ["10.0.0.8"],
    "mixed.example": ["93.184.216.34", "192.168.1.20"],  # one private answer is enough
    "v6.example": ["::1"],
    "public.example": ["93.184.216.34"],
}


def stub_resolve(host, port):
    return STUB_DNS[host]


def never_connect(address, timeout):
    raise AssertionError(f"connected to {address}")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://10.0.0.8/hook",
        "http://intranet.example/hook",
        "http://mixed.example/hook",
        "http://[::1]:8080/hook",
        "http://v6.example/hook",
        "http://0x7f000001/hook",
        "http://2130706433/hook",
        "http://127.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "https://172.16.5.4/hook",
    ],
)
def test_private_targets_are_refused_before_connecting(url):
    with pytest.raises(webhooks.UnsafeTarget, match="webhook_allow_private"):
        webhooks.post(url, b"{}", {}, 1.0, resolve=stub_resolve, connect=never_connect)


def test_the_connected_peer_is_checked_again(receiver_with):
    """A public answer, a socket that ends up on loopback (rebinding, a NAT): nothing is sent."""
    receiver = receiver_with(ok)

    def lands_on_loopback(address, timeout):
        assert address == ("93.184.216.34", 80)
        return socket.create_connection(("127.0.0.1", receiver.port), timeout=timeout)

    with pytest.raises(webhooks.UnsafeTarget, match="127.0.0.1 is a loopback address"):
        webhooks.post(
            "http://public.example/hook",
            b"{}",
            {},
            1.0,
            resolve=stub_resolve,
            connect=lands_on_loopback,
        )
    assert receiver.requests == []


def test_private_targets_are_allowed_by_the_operator_setting(receiver_with):
    receiver = receiver_with(ok)
    status = webhooks.post(receiver.url, b"{}", {}, 5.0, allow_private=True)
    assert status == 200 and len(receiver.requests) == 1


def test_a_refused_delivery_is_logged_and_kept(db, site, monkeypatch):
    monkeypatch.setattr(webhooks, "_resolve", stub_resolve)
    webhooks.add_webhook(
        db, site, "meta", "http://metadata.google.internal/x", allow_private=False
    )  # a name: checked when resolved, at delivery
    webhooks.enqueue(db, site, "alert", {})
    summary = webhooks.deliver_due(db, allow_private=False)
    assert summary["failed"] == 1 and summary["pending"] == 1
    [attempt] = webhooks.deliveries(db, site)
    assert attempt["error"].startswith("UnsafeTarget: 169.254.169.254 is a link-local address")


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/", "http://0x7f000001/", "http://[::1]/", "http://10.1.2.3/"]
)
def test_a_private_address_in_the_url_is_refused_when_added(db, site, url):
    with pytest.raises(InvalidInput) as exc:
        webhooks.add_webhook(db, site, "bad", url, allow_private=False)
    assert "webhook_allow_private" in exc.value.fields["url"][0]
