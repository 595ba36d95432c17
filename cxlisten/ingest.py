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
from cxlisten.browser_request import BrowserRequest
from cxlisten.errors import (
    CxlistenError,
    Forbidden,
    InvalidInput,
    PayloadTooLarge,
    flatten_fields,
)
from cxlisten.identity import VisitorTokens, new_visitor_id
from cxlisten.ratelimit import Limits
from cxlisten.schemas import safejson
from cxlisten.schemas.collect import load_envelope, load_event
from cxlisten.settings import Settings
from cxlisten.sites import origin_allowed, site_for_key
from cxlisten.storage import events as store
from cxlisten.storage import rejected, transaction
from cxlisten.storage import sites as site_store
from cxlisten.storage.db import Database
from cxlisten.useragent import Device, describe_request, with_page_hints

# One encoder for every row (json.dumps with options builds a new encoder per call); standard
# JSON only: safejson refused NaN and Infinity on the way in.
_compact_json = safejson.dumps

# Fields kept as columns; everything else a kind carries goes into the row's JSON ``data``.
_COLUMN_FIELDS = {"id", "kind", "ts", "url", "path", "name", "action", "survey", "intervention"}


DAY_MS = 86_400_000


@dataclass(frozen=True)
class StorageLimits:
    """What one visitor and one site may store (docs/settings.md)."""

    session_events: int
    sessions_per_day: int
    custom_names: int

    @classmethod
    def of(cls, settings: Settings) -> StorageLimits:
        return cls(
            session_events=settings.max_session_events,
            sessions_per_day=settings.max_visitor_sessions_per_day,
            custom_names=settings.max_custom_names,
        )


@dataclass(frozen=True)
class PreparedBatch:
    """A batch made ready outside the write lock: ``store_batch`` only stores it."""

    site_id: int
    visitor_id: str
    known: bool  # the request carried a genuine token: the visitor may have stored sessions
    rows: list[dict]  # valid event rows in time order, each with its batch ``index``
    device: Device | None
    quarantined: list[dict]  # refused events: index, errors, payload
    idle_ms: int
    rejected_keep: int
    limits: StorageLimits
    now: int


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
            {"_body": [f"at most {settings.max_body_bytes} bytes"]},
        )
    try:
        return safejson.loads(body)
    except safejson.JSONRefused as exc:
        raise InvalidInput("body is not valid JSON", {"_body": [str(exc)]}) from None


def _open_batch(
    db: Database, settings: Settings, request: BrowserRequest
) -> tuple[dict, site_store.Site]:
    """Return the batch's envelope and site, keeping a trace of the batch if it is refused."""
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
        site = site_for_key(db, envelope["site"])
        site_id = site.id
    except CxlistenError as exc:
        _quarantine_batch(db, settings, request.body, exc, site_id)
        raise
    if not origin_allowed(site, request.origin, request.own_origin):
        # Refused before anything is stored: a page on another origin must not write here. The
        # refusal is kept (bounded) like any other, so an operator sees who tried.
        refused = Forbidden("origin not allowed for this site", {"origin": [str(request.origin)]})
        _quarantine_batch(db, settings, request.body, refused, site.id)
        raise refused
    return envelope, site


def _prepare(
    site: site_store.Site,
    visitor_id: str,
    known: bool,
    good: list,
    bad: list,
    settings: Settings,
    request: BrowserRequest,
    now: int,
) -> PreparedBatch:
    """Build the rows, quarantine entries and device of a batch before taking the write lock."""
    # Everything that needs no database is done before the write: the lock is held only to store.
    rows = sorted((_row(i, e, site.id, visitor_id, now) for i, e in good), key=lambda r: r["ts"])
    quarantined = [
        {"index": i, "errors": errors, "payload": _cut(raw, settings)} for i, errors, raw in bad
    ]
    device = describe_request(request, allow_automation=site.allow_automation) if rows else None
    return PreparedBatch(
        site_id=site.id,
        visitor_id=visitor_id,
        known=known,
        rows=rows,
        device=device,
        quarantined=quarantined,
        idle_ms=settings.session_idle_minutes * 60 * 1000,
        rejected_keep=settings.rejected_keep,
        limits=StorageLimits.of(settings),
        now=now,
    )


def collect(
    db: Database,
    settings: Settings,
    tokens: VisitorTokens,
    request: BrowserRequest,
    writes: Callable[[Database, PreparedBatch], dict] | None = None,
    *,
    limits: Limits | None = None,
) -> CollectResult:
    """Store the valid events of one batch; raise CxlistenError if the batch as a whole is bad.

    WRITES stores the prepared batch (``store_batch``) in a committed transaction and returns
    its result: ``Deployment.store`` in the collector, which shares commits between concurrent
    batches; by default a transaction of its own. LIMITS, if given, bound the batches of the site
    and the new visitors of the client (429 with ``retry_after``).
    """
    envelope, site = _open_batch(db, settings, request)
    request = with_page_hints(request, envelope.get("ua"))
    if request.do_not_track and site.respect_dnt and settings.trust_dnt:
        return CollectResult(visitor=None, ignored="do-not-track", site=site)

    if limits is not None:
        Limits.check(limits.site, str(site.id), "batches for this site")
    visitor_id = tokens.read(envelope["visitor"], site.id)
    if visitor_id is None and limits is not None:
        Limits.check(limits.new_visitors, request.client or "-", "new visitors from this client")
    # A genuine token is answered as it came (signing is deterministic); only new visitors get one.
    token = envelope["visitor"] if visitor_id else None
    visitor_id = visitor_id or new_visitor_id()
    now = int(time.time() * 1000)
    good, bad = _validate_events(envelope["events"], settings, now)
    result = CollectResult(visitor=token or tokens.issue(site.id, visitor_id), site=site)
    result.rejected = [{"index": i, "errors": errors} for i, errors, _ in bad]
    batch = _prepare(site, visitor_id, token is not None, good, bad, settings, request, now)
    stored = (writes or _write_alone)(db, batch)
    result.accepted, result.duplicates = stored["accepted"], stored["duplicates"]
    result.session = stored["session"]
    if stored["rejected"]:
        result.rejected = sorted([*result.rejected, *stored["rejected"]], key=lambda r: r["index"])
    return result


def store_batch(db: Database, batch: PreparedBatch) -> dict:
    """Store a prepared batch; call inside a transaction. Return the counts and the session.

    BATCH holds what ``collect`` prepared outside the write lock (rows, device, quarantined
    payloads), so the lock is held only to store. Events past a storage bound come back in
    ``rejected`` (and are quarantined), each with the bound it met.
    """
    site_id, visitor_id = batch.site_id, batch.visitor_id
    names = list(dict.fromkeys(r["name"] for r in batch.rows if r["kind"] == "custom"))
    keys = [(r["ts"], r["id"]) for r in batch.rows]
    reads = store.read_for_batch(db, site_id, visitor_id, keys, names, known=batch.known)
    fresh = [r for r in batch.rows if (r["ts"], r["id"]) not in reads.seen]
    stored = {"accepted": 0, "duplicates": len(batch.rows) - len(fresh), "session": None}
    refused: list[dict] = []
    fresh = _within_custom_names(db, batch, fresh, reads.known_names, refused)
    if fresh:
        sessions, new_sessions, fresh = _sessionise(db, batch, fresh, reads.latest, refused)
    if fresh:
        store.insert_events(db, fresh)
        store.save_sessions(db, sessions)
        store.touch_visitor(db, visitor_id, site_id, fresh[0]["ts"], fresh[-1]["ts"], new_sessions)
        stored["session"] = fresh[-1]["session_id"]
    stored["accepted"] = len(fresh)
    stored["rejected"] = [{"index": r["index"], "errors": r["errors"]} for r in refused]
    rejected.quarantine(
        db,
        [*batch.quarantined, *refused],
        keep=batch.rejected_keep,
        site_id=site_id,
        endpoint="collect",
    )
    return stored


def _refuse(refused: list[dict], row: dict, field: str, message: str) -> None:
    keep = {k: row[k] for k in ("id", "kind", "ts", "url", "name")}
    refused.append(
        {"index": row["index"], "errors": {field: [message]}, "payload": _compact_json(keep)}
    )


def _within_custom_names(
    db, batch: PreparedBatch, rows: list[dict], known: set[str], refused
) -> list[dict]:
    """Keep the custom events whose name the site knows (KNOWN), or has room for
    (``max_custom_names``)."""
    names = list(dict.fromkeys(r["name"] for r in rows if r["kind"] == "custom"))
    new = [n for n in names if n not in known]
    if not new:
        return rows
    room = batch.limits.custom_names - store.count_custom_names(db, batch.site_id)
    allowed, over = new[: max(room, 0)], set(new[max(room, 0) :])
    store.add_custom_names(db, batch.site_id, allowed, batch.now)
    if not over:
        return rows
    kept = []
    for row in rows:
        if row["kind"] == "custom" and row["name"] in over:
            _refuse(
                refused,
                row,
                "name",
                f"this site already has {batch.limits.custom_names} distinct custom event names "
                "(max_custom_names); reuse one of them",
            )
        else:
            kept.append(row)
    return kept


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


def _row(index: int, event: dict, site_id: int, visitor_id: str, now: int) -> dict:
    path = event.get("path") or urlsplit(event["url"]).path or "/"
    data = {k: v for k, v in event.items() if k not in _COLUMN_FIELDS}
    value = event.get("visible_ms") if event["kind"] == "dwell" else None
    return {
        "index": index,
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
        "click": event if event["kind"] == "click" else None,
        "vitals": event.get("vitals"),
        "input": event.get("input"),
    }


def _sessionise(db, batch: PreparedBatch, rows: list[dict], latest: dict | None, refused):
    """Give each row (in time order) its session and fold it into that session's summary.

    LATEST is the visitor's latest stored session (read under the visitor's lock). A visitor
    made by this request (not ``batch.known``) has no sessions to look up yet. Rows
    past a bound (events per session, sessions per visitor a day) are refused, not stored.
    Return the sessions touched, how many are new, and the rows kept.
    """
    idle, visitor_id, known, limits = batch.idle_ms, batch.visitor_id, batch.known, batch.limits
    touched: dict[str, dict] = {}
    current = latest
    known_sessions = None if known else 0
    new_sessions = 0
    created: list[int] = []
    kept = []
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
            if _sessions_today(db, batch, created, row["ts"]) >= limits.sessions_per_day:
                _refuse(
                    refused,
                    row,
                    "_event",
                    f"this visitor started {limits.sessions_per_day} sessions in the last 24 "
                    "hours (max_visitor_sessions_per_day)",
                )
                continue
            if known_sessions is None:
                known_sessions = store.count_sessions(db, visitor_id)
            returning = known_sessions + new_sessions > 0
            session = sessionise.new_session(
                batch.site_id, visitor_id, row["ts"], batch.device, returning
            )
            new_sessions += 1
            created.append(row["ts"])
        session = touched.setdefault(session["id"], session)
        if session["events"] >= limits.session_events:
            _refuse(
                refused,
                row,
                "_event",
                f"this session already holds {limits.session_events} events (max_session_events)",
            )
            continue
        if current is None or session["last_ts"] >= current["last_ts"]:
            current = session
        row["session_id"] = session["id"]
        sessionise.apply_event(session, row)
        kept.append(row)
    return list(touched.values()), new_sessions, kept


def _sessions_today(db, batch: PreparedBatch, created: list[int], ts: int) -> int:
    """Return how many sessions the visitor started in the 24 hours before TS.

    CREATED holds the start times of the sessions this batch made (not stored yet).
    """
    since = ts - DAY_MS
    stored = store.count_sessions_since(db, batch.visitor_id, since) if batch.known else 0
    return stored + sum(1 for started in created if started >= since)


def _quarantine_batch(db, settings, body: bytes, exc: CxlistenError, site_id) -> None:
    quarantine_refused(db, settings, body, exc, site_id, "collect")


def quarantine_refused(
    db: Database, settings: Settings, body: bytes, exc: CxlistenError, site_id, endpoint: str
) -> None:
    """Keep the first bytes of a browser body refused as a whole, with the reason, bounded."""
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
        endpoint=endpoint,
    )


def _cut(raw: object, settings: Settings) -> str:
    text = json.dumps(raw, ensure_ascii=False, default=str)
    return text[: settings.rejected_payload_bytes]
