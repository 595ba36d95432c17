"""Webhooks through an outbox: signed, retried with backoff until accepted, every attempt logged.

Sending is never part of the request that caused it. ``enqueue`` writes one outbox row per
subscribed endpoint in the caller's transaction; ``deliver_due`` (run by ``cxlisten webhooks
deliver``, by a cron job, or in the background by the collector through ``deliver_soon``) posts
each due message, logs the attempt, and either marks it delivered (any 2xx) or schedules the next
try: 30 s, 1 min, 2 min, … doubling up to every 6 hours, for as long as it takes. A receiver that
is down for a day gets everything when it comes back; nothing is dropped.

Each POST carries the JSON body ``{"id", "event", "created_at", "data"}`` and headers:

* ``X-Cxlisten-Event``: the event name (e.g. ``rule.detractor-alert``);
* ``X-Cxlisten-Delivery``: the message id — the same on every retry, so receivers can dedupe;
* ``X-Cxlisten-Signature``: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
  endpoint's secret>``; ``verify()`` checks it (and the timestamp's age) for a Python receiver.
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.storage import webhooks as store
from cxlisten.storage.db import Database, open_database

__all__ = [
    "add_webhook",
    "list_webhooks",
    "set_active",
    "enqueue",
    "deliver_due",
    "deliver_soon",
    "sign",
    "verify",
    "backoff_ms",
    "outbox",
    "deliveries",
]

BASE_DELAY_MS = 30_000
MAX_DELAY_MS = 6 * 3_600_000
LEASE_MS = 60_000
USER_AGENT = "cxlisten-webhooks/1"


def _now() -> int:
    return int(time.time() * 1000)


def backoff_ms(attempt: int) -> int:
    """Return the wait after failed attempt number ATTEMPT (1, 2, ...)."""
    return min(BASE_DELAY_MS * 2 ** max(attempt - 1, 0), MAX_DELAY_MS)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``X-Cxlisten-Signature`` value for BODY sent at TIMESTAMP (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, header: str, body: bytes, *, tolerance_s: int = 300, now: float | None = None
) -> bool:
    """Return whether HEADER is a valid signature of BODY made within TOLERANCE_S seconds."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance_s:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2048:
        raise InvalidInput("invalid webhook URL", {"url": ["an http(s) URL"]})
    return url


def add_webhook(
    db: Database,
    site,
    name: str,
    url: str,
    *,
    secret: str | None = None,
    events: list[str] | None = None,
    active: bool = True,
) -> dict:
    """Create or replace endpoint NAME; return it with its secret (made if not given)."""
    site_id = getattr(site, "id", site)
    if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("invalid webhook name", {"name": ["letters, digits, - and _"]})
    events = events or ["*"]
    if not all(isinstance(e, str) and 0 < len(e) <= 100 for e in events):
        raise InvalidInput("invalid events", {"events": ["event names or patterns like rule.*"]})
    store.save_webhook(
        db,
        site_id,
        name,
        _check_url(url),
        secret or secrets.token_urlsafe(24),
        events,
        active,
        _now(),
    )
    return store.get_webhook(db, site_id, name)


def list_webhooks(db: Database, site) -> list[dict]:
    """Return the site's endpoints (secrets included: this is for operators)."""
    return store.list_webhooks(db, getattr(site, "id", site))


def set_active(db: Database, site, name: str, active: bool) -> None:
    if not store.set_active(db, getattr(site, "id", site), name, active):
        raise NotFound(f"no webhook named {name!r}", {"webhook": ["unknown webhook"]})


def enqueue(db: Database, site, event: str, data: dict, *, dedupe: str | None = None) -> int:
    """Queue EVENT with DATA for every active endpoint subscribed to it; return how many.

    A DEDUPE key makes the call idempotent per endpoint (the same alert is queued once).
    """
    site_id = getattr(site, "id", site)
    now = _now()
    rows = []
    for hook in store.list_webhooks(db, site_id):
        if hook["active"] and any(fnmatch.fnmatchcase(event, p) for p in hook["events"]):
            rows.append(
                {
                    "site_id": site_id,
                    "webhook_id": hook["id"],
                    "event": event,
                    "payload": json.dumps(data, ensure_ascii=False, default=str),
                    "dedupe": dedupe,
                    "created_at": now,
                }
            )
    return store.enqueue(db, rows) if rows else 0


Sender = Callable[[str, bytes, dict, float], int]


def _post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """POST BODY to URL; return the status code (raise OSError when unreachable)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def deliver_due(
    db: Database,
    *,
    now: int | None = None,
    limit: int = 100,
    timeout: float = 5.0,
    send: Sender | None = None,
) -> dict:
    """Try every due message once; return {"attempted", "delivered", "failed", "pending"}."""
    send = send or _post
    summary = {"attempted": 0, "delivered": 0, "failed": 0}
    now = now if now is not None else _now()
    for message in store.due(db, now, limit):
        if not store.claim(db, message["id"], message["next_attempt_at"], now + LEASE_MS):
            continue  # another worker has it
        attempt = message["attempts"] + 1
        envelope = {
            "id": message["id"],
            "event": message["event"],
            "created_at": message["created_at"],
            "data": json.loads(message["payload"]),
        }
        body = json.dumps(envelope, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Cxlisten-Event": message["event"],
            "X-Cxlisten-Delivery": str(message["id"]),
            "X-Cxlisten-Signature": sign(message["secret"], int(time.time()), body),
        }
        started = time.perf_counter()
        status, error = None, None
        try:
            status = send(message["url"], body, headers, timeout)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        took = int((time.perf_counter() - started) * 1000)
        delivered = error is None
        store.record_attempt(
            db,
            message["id"],
            attempt,
            _now(),
            status,
            error,
            took,
            delivered,
            None if delivered else now + backoff_ms(attempt),
        )
        summary["attempted"] += 1
        summary["delivered" if delivered else "failed"] += 1
    summary["pending"] = store.count_pending(db)
    return summary


_running: set[str] = set()
_running_lock = threading.Lock()


def deliver_soon(db: Database) -> bool:
    """Deliver due messages in a background thread (one per database file at a time).

    For the collector: call it after enqueueing, and messages go out within moments without
    delaying the reply. Returns False when a delivery run is already going (it will pick the
    new messages up) or the database is in memory.
    """
    path = store.database_file(db)
    if not path:
        return False
    with _running_lock:
        if path in _running:
            return False
        _running.add(path)

    def run():
        try:
            own = open_database(path, migrate=False)
            try:
                deliver_due(own, timeout=5.0)
            finally:
                own.conn.close()
        except Exception:  # noqa: BLE001 - a background sender must not crash anything
            pass  # the messages stay in the outbox for the next run
        finally:
            with _running_lock:
                _running.discard(path)

    threading.Thread(target=run, name="cxlisten-webhooks", daemon=True).start()
    return True


def outbox(db: Database, site=None, status: str | None = None, limit: int = 100) -> list[dict]:
    return store.outbox(db, getattr(site, "id", site), status, limit)


def deliveries(db: Database, site=None, limit: int = 100) -> list[dict]:
    return store.deliveries(db, getattr(site, "id", site), limit)
