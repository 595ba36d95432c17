"""Accept a batch of browser events: validate, deduplicate, sessionise, store in one commit.

Nothing is acknowledged before its commit, nothing valid is lost because a neighbour was invalid,
and every refusal leaves a bounded trace in the ``rejected`` table.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from marshmallow import ValidationError

from cxlisten import sessions as sessionise
from cxlisten.errors import (
    CxlistenError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    flatten_fields,
)
from cxlisten.identity import VisitorTokens, new_visitor_id
from cxlisten.schemas.collect import load_envelope, load_event
from cxlisten.settings import Settings
from cxlisten.sites import origin_allowed
from cxlisten.storage import events as store
from cxlisten.storage import rejected, transaction
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database
from cxlisten.useragent import describe_request

# One encoder for every row: json.dumps with options builds a new encoder per call.
_compact_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

# Fields kept as columns; everything else a kind carries goes into the row's JSON ``data``.
_COLUMN_FIELDS = {"id", "kind", "ts", "url", "path", "name", "action", "survey", "intervention"}


@dataclass
class BrowserRequest:
    """What the collector passes on from an HTTP request."""

    body: bytes
    origin: str | None = None
    own_origin: str | None = None
    user_agent: str = ""
    do_not_track: bool = False
    # User-Agent Client Hints (Sec-CH-UA-Mobile "?1"/"?0", Sec-CH-UA-Platform "Android"…):
    # where the browser sends them they decide the device class over the User-Agent string.
    ch_mobile: str = ""
    ch_platform: str = ""


@dataclass
class CollectResult:
    visitor: str | None
    session: str | None = None
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)
    ignored: str | None = None
    site: site_store.Site | None = None

    def reply(self) -> dict:
        out = {
            "visitor": self.visitor,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
        }
        if self.session:
            out["session"] = self.session
        if self.ignored:
            out["ignored"] = self.ignored
        return out


def parse_body(body: bytes, settings: Settings) -> object:
    """Decode a JSON body within the size limit, or raise a located error."""
    if len(body) > settings.max_body_bytes:
        raise PayloadTooLarge(
            "request body too large",
            {"_body": [f"at most {settings.max_body_bytes} bytes, got {len(body)}"]},
        )
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput("body is not valid JSON", {"_body": [str(exc)]}) from None


def collect(
    db: Database,
    settings: Settings,
    tokens: VisitorTokens,
    request: BrowserRequest,
    writes: Callable[[Database, dict], dict] | None = None,
) -> CollectResult:
    """Store the valid events of one batch; raise CxlistenError if the batch as a whole is bad.

    WRITES stores the prepared batch (``store_batch``) in a committed transaction and returns
    its result: ``Deployment.store`` in the collector, which shares commits between concurrent
    batches; by default a transaction of its own.
    """
    site_id = None
    try:
        payload = parse_body(request.body, settings)
        try:
            envelope = load_envelope(payload if isinstance(payload, dict) else {"_": payload})
        except ValidationError as exc:
            raise InvalidInput("invalid batch", flatten_fields(exc.messages)) from None
        if len(envelope["events"]) > settings.max_batch_events:
            raise PayloadTooLarge(
                "too many events in one batch",
                {"events": [f"at most {settings.max_batch_events} events per batch"]},
            )
        site = site_store.site_by_key(db, envelope["site"])
        if site is None:
            raise NotFound("unknown site key", {"site": ["no site has this key"]})
        site_id = site.id
    except CxlistenError as exc:
        _quarantine_batch(db, settings, request.body, exc, site_id)
        raise
    if not origin_allowed(site, request.origin, request.own_origin):
        # Refused before anything is stored: a page on another origin must not write here.
        raise Forbidden("origin not allowed for this site", {"origin": [str(request.origin)]})
    if request.do_not_track and site.respect_dnt and settings.trust_dnt:
        return CollectResult(visitor=None, ignored="do-not-track", site=site)

    visitor_id = tokens.read(envelope["visitor"], site.id)
    # A genuine token is answered as it came (signing is deterministic); only new visitors get one.
    token = envelope["visitor"] if visitor_id else None
    visitor_id = visitor_id or new_visitor_id()
    now = int(time.time() * 1000)
    good, bad = _validate_events(envelope["events"], settings, now)
    result = CollectResult(visitor=token or tokens.issue(site.id, visitor_id), site=site)
    result.rejected = [{"index": i, "errors": errors} for i, errors, _ in bad]
    # Everything that needs no database is done before the write: the lock is held only to store.
    rows = sorted((_row(e, site.id, visitor_id, now) for _, e in good), key=lambda r: r["ts"])
    quarantined = [
        {"index": i, "errors": errors, "payload": _cut(raw, settings)} for i, errors, raw in bad
    ]
    device = describe_request(request) if rows else None
    batch = {
        "site_id": site.id,
        "visitor_id": visitor_id,
        "known": token is not None,
        "rows": rows,
        "device": device,
        "quarantined": quarantined,
        "idle_ms": settings.session_idle_minutes * 60 * 1000,
        "rejected_keep": settings.rejected_keep,
    }
    stored = (writes or _write_alone)(db, batch)
    result.accepted, result.duplicates = stored["accepted"], stored["duplicates"]
    result.session = stored["session"]
    return result


def store_batch(db: Database, batch: dict) -> dict:
    """Store a prepared batch; call inside a transaction. Return the counts and the session.

    BATCH holds what ``collect`` prepared outside the write lock (rows, device, quarantined
    payloads), so the lock is held only to store.
    """
    site_id, visitor_id, rows = batch["site_id"], batch["visitor_id"], batch["rows"]
    seen = store.existing_events(db, site_id, [(r["ts"], r["id"]) for r in rows])
    fresh = [r for r in rows if (r["ts"], r["id"]) not in seen]
    stored = {"accepted": len(fresh), "duplicates": len(rows) - len(fresh), "session": None}
    if fresh:
        sessions, new_sessions = _sessionise(
            db, batch["idle_ms"], site_id, visitor_id, fresh, batch["device"], known=batch["known"]
        )
        store.insert_events(db, fresh)
        store.save_sessions(db, sessions)
        store.touch_visitor(db, visitor_id, site_id, fresh[0]["ts"], fresh[-1]["ts"], new_sessions)
        stored["session"] = fresh[-1]["session_id"]
    rejected.quarantine(
        db, batch["quarantined"], keep=batch["rejected_keep"], site_id=site_id, endpoint="collect"
    )
    return stored


def _write_alone(db: Database, batch: dict) -> dict:
    with transaction(db):
        return store_batch(db, batch)


def _validate_events(raw_events: list, settings: Settings, now: int):
    """Split a batch into valid events (deduplicated by id) and located errors."""
    good: list[tuple[int, dict]] = []
    bad: list[tuple[int, dict, object]] = []
    ids: set[str] = set()
    earliest = now - settings.max_event_age_days * 86400 * 1000
    latest = now + settings.future_skew_seconds * 1000
    for index, raw in enumerate(raw_events):
        try:
            event = load_event(raw)
        except ValidationError as exc:
            bad.append((index, flatten_fields(exc.messages), raw))
            continue
        if not earliest <= event["ts"] <= latest:
            when = "in the future" if event["ts"] > latest else "too old"
            bad.append((index, {"ts": [f"timestamp is {when}"]}, raw))
            continue
        if event["id"] in ids:
            continue  # the same event twice in one batch is one event
        ids.add(event["id"])
        good.append((index, event))
    return good, bad


def _row(event: dict, site_id: int, visitor_id: str, now: int) -> dict:
    path = event.get("path") or urlsplit(event["url"]).path or "/"
    data = {k: v for k, v in event.items() if k not in _COLUMN_FIELDS}
    value = event.get("visible_ms") if event["kind"] == "dwell" else None
    return {
        "site_id": site_id,
        "id": event["id"],
        "visitor_id": visitor_id,
        "session_id": None,
        "kind": event["kind"],
        "ts": event["ts"],
        "received_at": now,
        "url": event["url"],
        "path": path[:1024],
        "name": event.get("name") or event.get("survey") or event.get("intervention"),
        "action": event.get("action"),
        "value": value,
        "data": _compact_json(data),
        "scroll": event.get("scroll", 0),
    }


def _sessionise(db, idle, site_id, visitor_id, rows, device, *, known: bool):
    """Give each row (in time order) its session and fold it into that session's summary.

    IDLE is the session timeout in ms. KNOWN is false for a visitor made by this request: it has
    no sessions to look up yet.
    """
    touched: dict[str, dict] = {}
    current = store.latest_session(db, visitor_id) if known else None
    known_sessions = None if known else 0
    new_sessions = 0
    for row in rows:
        session = None
        if current and sessionise.belongs(current, row["ts"], idle):
            session = current
        else:
            for candidate in touched.values():
                if sessionise.belongs(candidate, row["ts"], idle):
                    session = candidate
                    break
            else:
                session = store.session_covering(db, visitor_id, row["ts"], idle) if known else None
        if session is None:
            if known_sessions is None:
                known_sessions = store.count_sessions(db, visitor_id)
            returning = known_sessions + new_sessions > 0
            session = sessionise.new_session(site_id, visitor_id, row["ts"], device, returning)
            new_sessions += 1
        session = touched.setdefault(session["id"], session)
        if current is None or session["last_ts"] >= current["last_ts"]:
            current = session
        row["session_id"] = session["id"]
        sessionise.apply_event(session, row)
    return list(touched.values()), new_sessions


def _quarantine_batch(db, settings, body: bytes, exc: CxlistenError, site_id) -> None:
    rejected.quarantine(
        db,
        [
            {
                "index": None,
                "errors": exc.fields or {"_body": [exc.message]},
                "payload": body[: settings.rejected_payload_bytes].decode("utf-8", "replace"),
            }
        ],
        keep=settings.rejected_keep,
        site_id=site_id,
        endpoint="collect",
    )


def _cut(raw: object, settings: Settings) -> str:
    text = json.dumps(raw, ensure_ascii=False, default=str)
    return text[: settings.rejected_payload_bytes]
