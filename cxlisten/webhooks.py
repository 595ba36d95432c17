"""Webhooks through an outbox: signed, retried with backoff until accepted, every attempt logged.

Sending is never part of the request that caused it. ``enqueue`` writes one outbox row per
subscribed endpoint in the caller's transaction; ``deliver_due`` (run by ``cxlisten webhooks
deliver``, by a cron job, or in the background by the collector through ``deliver_soon``) posts
each due message, logs the attempt, and either marks it delivered (any 2xx) or schedules the next
try: 30 s, 1 min, 2 min, … doubling up to every 6 hours, for as long as it takes. A receiver that
is down for a day gets everything when it comes back; nothing is dropped.

Each POST carries the JSON body ``{"id", "event", "created_at", "data"}`` and headers:

* ``X-Cxlisten-Event``: the event name (e.g. ``rule.detractor-alert``);
* ``X-Cxlisten-Delivery``: the message's delivery id (also the body's ``id``) — random, the same
  on every retry of that message and never given to another, erasures included, so receivers
  can dedupe on it;
* ``X-Cxlisten-Signature``: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
  endpoint's secret>``; ``verify()`` checks it (and the timestamp's age) for a Python receiver.

What a delivery attempt will not do, each logged as a failed attempt with its reason:

* follow a redirect: a 3xx is a failure (following it would turn the signed POST into a GET
  without a body, and a 200 to that GET would mark a message delivered that nobody received);
* take longer than ``webhook_timeout_seconds`` in all, connecting and answering included;
* reach a loopback, private, link-local, multicast or reserved address (``169.254.169.254``,
  ``10.0.0.8``, ``[::1]``, ``0x7f000001`` ...) unless ``webhook_allow_private`` is on: the name
  is resolved once, every address checked, the socket connected to a checked address and its
  peer checked again before a byte is sent (so a second DNS answer cannot redirect it).
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.settings import load_settings
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
    "post",
    "refusal",
    "UnsafeTarget",
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


def _check_url(url: str, allow_private: bool) -> str:
    parts = urlsplit(url)
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host or len(url) > 2048:
        raise InvalidInput("invalid webhook URL", {"url": ["an http(s) URL"]})
    literal = _literal_address(host)
    reason = None if allow_private or literal is None else refusal(literal)
    if reason:  # names are checked when resolved, at each delivery
        raise InvalidInput("webhook URL not allowed", {"url": [_refused_text(reason)]})
    return url


class UnsafeTarget(OSError):
    """A webhook address the SSRF guard refuses (see ``webhook_allow_private``)."""


def refusal(address: str) -> str | None:
    """Return why ADDRESS may not receive webhooks (None: a public unicast address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return f"{address} is a {kind.replace('_', '-')} address"
    if not ip.is_global:
        return f"{address} is not a public address"
    return None


def _refused_text(reason: str) -> str:
    return f"{reason}; set webhook_allow_private to send to your own network"


def _literal_address(host: str) -> str | None:
    """Return HOST as an IP address if it is one, in any form a resolver accepts (0x7f000001)."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    try:
        return socket.inet_ntoa(socket.inet_aton(host))  # 0x7f000001, 2130706433, 127.1
    except OSError:
        return None


Resolver = Callable[[str, int], list[str]]


def _resolve(host: str, port: int) -> list[str]:
    """Return the addresses HOST resolves to (the system resolver)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def add_webhook(
    db: Database,
    site,
    name: str,
    url: str,
    *,
    secret: str | None = None,
    events: list[str] | None = None,
    active: bool = True,
    allow_private: bool | None = None,
) -> dict:
    """Create or replace endpoint NAME; return it with its secret (made if not given).

    A URL naming a private address outright is refused unless ALLOW_PRIVATE (default: the
    ``webhook_allow_private`` setting); names are checked at each delivery, after DNS.
    """
    site_id = getattr(site, "id", site)
    if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("invalid webhook name", {"name": ["letters, digits, - and _"]})
    events = events or ["*"]
    if not all(isinstance(e, str) and 0 < len(e) <= 100 for e in events):
        raise InvalidInput("invalid events", {"events": ["event names or patterns like rule.*"]})
    if allow_private is None:
        allow_private = load_settings().webhook_allow_private
    store.save_webhook(
        db,
        site_id,
        name,
        _check_url(url, allow_private),
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
MAX_REPLY_BYTES = 65536  # of a receiver's answer body, read and dropped


def _addresses(host: str, port: int, allow_private: bool, resolve: Resolver) -> list[str]:
    """Return the addresses to try for HOST, raising UnsafeTarget if the guard refuses one."""
    literal = _literal_address(host)
    addresses = [literal] if literal else resolve(host, port)
    if not addresses:
        raise OSError(f"{host} has no address")
    if not allow_private:
        for address in addresses:  # one private answer is enough to refuse the name
            reason = refusal(address)
            if reason:
                raise UnsafeTarget(_refused_text(reason))
    return addresses


def post(
    url: str,
    body: bytes,
    headers: dict,
    timeout: float,
    *,
    allow_private: bool = False,
    resolve: Resolver | None = None,
    connect: Callable[..., socket.socket] | None = None,
) -> int:
    """POST BODY to URL within TIMEOUT seconds in all; return the status code.

    Raise UnsafeTarget for an address the guard refuses, OSError when unreachable or too slow.
    Redirects are not followed: their status is returned like any other.
    """
    parts = urlsplit(url)
    host, https = parts.hostname or "", parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    addresses = _addresses(host, port, allow_private, resolve or _resolve)
    deadline = time.monotonic() + timeout
    sock = _connect_first(addresses, port, deadline, connect or socket.create_connection)
    # The peer is what the packets reach: check it again, whatever resolved to what.
    reason = None if allow_private else refusal(sock.getpeername()[0])
    if reason:
        sock.close()
        raise UnsafeTarget(_refused_text(reason))
    # socket timeouts bound each read, not the whole answer: a timer cuts a dribbling receiver.
    current = [sock]  # the socket to cut: the TLS one once wrapped (wrapping detaches the raw)
    cutoff = threading.Timer(max(deadline - time.monotonic(), 0.0), _shut, args=(current,))
    cutoff.daemon = True
    cutoff.start()
    try:
        if https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            current[0] = sock
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        conn.sock = sock
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(MAX_REPLY_BYTES)
        status = response.status
        conn.close()
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise TimeoutError(f"no answer within {timeout:g} s") from None
        raise OSError(f"{type(exc).__name__}: {exc}") from None
    finally:
        cutoff.cancel()
        sock.close()
    if time.monotonic() >= deadline:
        raise TimeoutError(f"no answer within {timeout:g} s")
    return status


def _shut(current: list[socket.socket]) -> None:
    try:
        current[0].shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _connect_first(addresses, port, deadline, connect) -> socket.socket:
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no connection within the webhook timeout")
        try:
            return connect((address, port), timeout=left)
        except OSError as exc:
            error = exc
    raise error


def _message_request(message: dict) -> tuple[bytes, dict]:
    """Return the signed body and headers of MESSAGE's POST."""
    envelope = {
        "id": message["delivery_id"],
        "event": message["event"],
        "created_at": message["created_at"],
        "data": json.loads(message["payload"]),
    }
    body = json.dumps(envelope, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Cxlisten-Event": message["event"],
        "X-Cxlisten-Delivery": message["delivery_id"],
        "X-Cxlisten-Signature": sign(message["secret"], int(time.time()), body),
    }
    return body, headers


def _attempt(
    send: Sender, url: str, body: bytes, headers: dict, timeout: float
) -> tuple[int | None, str | None, int]:
    """Send one POST; return its status, the failure (None when accepted) and milliseconds."""
    started = time.perf_counter()
    status, error = None, None
    try:
        status = send(url, body, headers, timeout)
        if 300 <= status < 400:
            error = (
                f"HTTP {status}: redirects are not followed (a redirected POST would arrive "
                "as a GET without its body); point the webhook at its final URL"
            )
        elif not 200 <= status < 300:
            error = f"HTTP {status}"
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    took = int((time.perf_counter() - started) * 1000)
    return status, error, took


def deliver_due(
    db: Database,
    *,
    now: int | None = None,
    limit: int = 100,
    timeout: float | None = None,
    send: Sender | None = None,
    allow_private: bool | None = None,
) -> dict:
    """Try every due message once; return {"attempted", "delivered", "failed", "pending"}.

    TIMEOUT and ALLOW_PRIVATE default to the ``webhook_timeout_seconds`` and
    ``webhook_allow_private`` settings (environment or instance file).
    """
    if timeout is None or allow_private is None:
        settings = load_settings()
        timeout = settings.webhook_timeout_seconds if timeout is None else timeout
        allow_private = settings.webhook_allow_private if allow_private is None else allow_private
    if send is None:

        def send(url, body, headers, timeout):
            return post(url, body, headers, timeout, allow_private=allow_private)

    summary = {"attempted": 0, "delivered": 0, "failed": 0}
    now = now if now is not None else _now()
    for message in store.due(db, now, limit):
        if not store.claim(db, message["id"], message["next_attempt_at"], now + LEASE_MS):
            continue  # another worker has it
        attempt = message["attempts"] + 1
        body, headers = _message_request(message)
        status, error, took = _attempt(send, message["url"], body, headers, timeout)
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
                deliver_due(own)  # timeout and guard from the settings
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
