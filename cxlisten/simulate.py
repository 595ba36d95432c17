"""A traffic generator for a demo shop, with known, planted problems.

``simulate(db, site, visitors=1000)`` (or ``events=100_000``: until that many events) writes
visitors, sessions (the same summary rows ingestion keeps), raw events, pulse and deep-dive survey
responses and action exposures, as if the demo shop ``examples/shop`` ("Harbour Goods") had run
for ``days`` days, with the journeys of ``examples/journeys.json``. Page URLs are on the site's
first allowed origin. What is planted, so reports can be checked against it:

* **checkout**: of the sessions that reach ``/checkout/payment``, about 60% leave before
  ``/checkout/done`` (every other step loses 10–15%).
* **support**: ``/help/article/:slug`` pages hold visitors about 7× the site's typical dwell, and
  most of them never reach ``/help/contact``; some who fail to pay read the payment help.
* **signup** and **search** are healthy; bot sessions hammer ``/signup`` (they must not count).
* Pulse (CSAT 1–5, ``pulse``) answers are low after a failed payment or a long help visit.
* The ``cart-abandon`` deep-dive is answered with planted reasons, in English and Chinese:
  shipping cost (≈45%), payment failure (≈30%), having to create an account (≈15%), just
  looking (≈10%).
* The proactive rule of ``examples/rules.json`` (``checkout-assist``) runs at
  ``/checkout/payment`` with that rule's holdout (20%) drawn as ``activate`` draws it, and its two
  candidates in equal shares: ``checkout-chat`` raises the chance to finish the order from 25% to
  65%; ``shipping-banner`` changes nothing (all in all, about 60% still leave at payment).

The run is deterministic for a given seed. Rows go in through the storage functions in bulk,
in a few large transactions, so a million events load in seconds.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable

from cxlisten import journeys as journey_lib
from cxlisten import sessions as sessionise
from cxlisten.errors import InvalidInput
from cxlisten.simulate_shop import (
    BOT,
    DEMO_SURVEYS,
    DEVICES,
    ORIGIN,
    PLANTED_REASONS,
    SHOP_JOURNEYS,
    Shop,
    SimDevice,
)
from cxlisten.storage import bulk, transaction
from cxlisten.storage import events as event_store
from cxlisten.storage import rules as rule_store
from cxlisten.storage.db import Database

__all__ = ["simulate", "SHOP_JOURNEYS", "DEMO_SURVEYS", "PLANTED_REASONS"]

DAY = 86_400_000

# Told how many visitors (or events) are written so far; the CLI draws a progress bar with it.
Progress = Callable[[int], None]


class _Writer:
    """Buffers rows and writes them through the storage functions in large transactions."""

    def __init__(self, db: Database, flush_every: int = 50_000):
        self.db, self.flush_every = db, flush_every
        self.events: list[dict] = []
        self.sessions: list[dict] = []
        self.visitors: list[tuple] = []
        self.exposures: list[dict] = []
        self.written = 0

    def flush(self) -> None:
        with transaction(self.db):
            bulk.insert_event_tuples(self.db, self.events)
            event_store.save_sessions(self.db, self.sessions)
            bulk.touch_visitors(self.db, self.visitors)
            if self.exposures:
                rule_store.record_exposures(self.db, self.exposures)
        self.written += len(self.events)
        self.events, self.sessions, self.visitors, self.exposures = [], [], [], []


def _generate(
    db: Database,
    site_id: int,
    shop: Shop,
    rng: random.Random,
    *,
    events: int | None,
    visitors: int | None,
    now: int,
    days: int,
    surveys: bool,
    bots: float,
    progress: Progress | None = None,
) -> dict:
    """Generate VISITORS visitors (or until EVENTS events are written); return the counts."""
    writer = _Writer(db)
    counts = {
        "visitors": 0,
        "sessions": 0,
        "bot_sessions": 0,
        "events": 0,
        "responses": 0,
        "exposures": 0,
    }
    pv_json = json.dumps({"referrer": None, "title": "", "viewport": {"w": 1280, "h": 720}})
    while counts["visitors"] < visitors if visitors is not None else counts["events"] < events:
        visitor_id = shop.uuid().replace("-", "")
        bot = rng.random() < bots
        device = (
            BOT
            if bot
            else SimDevice(*rng.choices([d[:3] for d in DEVICES], [d[3] for d in DEVICES])[0])
        )
        locale = "zh-CN" if rng.random() < 0.3 else "en"
        n_sessions = 1 if bot else rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0]
        ts = now - int(rng.random() * days * DAY)
        first = ts
        for index in range(n_sessions):
            if ts > now - 3_600_000:  # nobody visits from the future
                n_sessions = index
                break
            session_id = uuid.UUID(int=rng.getrandbits(128)).hex
            pages, facts = shop.plan(bot)
            facts["device"] = device.kind
            session = sessionise.new_session(site_id, visitor_id, ts, device, index > 0)
            session["id"] = session_id
            if facts.get("payment_at") is not None:
                payment_ts = ts + sum(d for _, d in pages[:-1]) + 2000 * len(pages)
                shop.finish_checkout(pages, facts, visitor_id, session_id, payment_ts)
            rows = []
            t = ts
            for position, (path, dwell) in enumerate(pages):
                url = shop.origin + path
                rows.append(
                    _event(
                        site_id,
                        shop.uuid(),
                        visitor_id,
                        session_id,
                        "pageview",
                        t,
                        url,
                        path,
                        None,
                        None,
                        None,
                        pv_json,
                    )
                )
                pv = f"pv{position}"
                remaining, t_d = dwell, t
                while remaining > 0:
                    part = min(remaining, 15_000)
                    remaining -= part
                    t_d += part
                    rows.append(
                        _event(
                            site_id,
                            shop.uuid(),
                            visitor_id,
                            session_id,
                            "dwell",
                            t_d,
                            url,
                            path,
                            None,
                            None,
                            part,
                            f'{{"total_ms":{part},"scroll":50,"pv":"{pv}"}}',
                        )
                    )
                if rng.random() < 0.3:
                    rows.append(
                        _event(
                            site_id,
                            shop.uuid(),
                            visitor_id,
                            session_id,
                            "click",
                            t + 1000,
                            url,
                            path,
                            None,
                            None,
                            None,
                            '{"target":"a.link","text":"More"}',
                        )
                    )
                if path == "/checkout/payment" and "exposure" in facts:
                    exposure = facts["exposure"]
                    if exposure["arm"] == "shown":
                        rows.append(
                            _event(
                                site_id,
                                shop.uuid(),
                                visitor_id,
                                session_id,
                                "intervention",
                                t + 3000,
                                url,
                                path,
                                exposure["action"],
                                "shown",
                                None,
                                "{}",
                            )
                        )
                    exposure["ts"] = t + 3000
                    writer.exposures.append(exposure)
                    counts["exposures"] += 1
                t += dwell + rng.randint(1000, 4000)
            last_path = pages[-1][0]
            if surveys and not bot:
                survey_ts = t - 1000
                if (
                    facts.get("payment_at") is not None
                    and not facts.get("done")
                    and rng.random() < 0.5
                ):
                    rows.append(
                        _event(
                            site_id,
                            shop.uuid(),
                            visitor_id,
                            session_id,
                            "survey",
                            survey_ts,
                            shop.origin + last_path,
                            last_path,
                            "cart-abandon",
                            "shown",
                            None,
                            '{"version":1}',
                        )
                    )
                    answered = rng.random() < 0.55
                    rows.append(
                        _event(
                            site_id,
                            shop.uuid(),
                            visitor_id,
                            session_id,
                            "survey",
                            survey_ts + 4000,
                            shop.origin + last_path,
                            last_path,
                            "cart-abandon",
                            "answered" if answered else "dismissed",
                            None,
                            '{"version":1,"question":"reason"}' if answered else '{"version":1}',
                        )
                    )
                    if answered:
                        session["_survey"] = ("cart-abandon", survey_ts)
                elif rng.random() < 0.10:
                    rows.append(
                        _event(
                            site_id,
                            shop.uuid(),
                            visitor_id,
                            session_id,
                            "survey",
                            survey_ts,
                            shop.origin + last_path,
                            last_path,
                            "pulse",
                            "shown",
                            None,
                            '{"version":1}',
                        )
                    )
                    answered = rng.random() < 0.6
                    rows.append(
                        _event(
                            site_id,
                            shop.uuid(),
                            visitor_id,
                            session_id,
                            "survey",
                            survey_ts + 3000,
                            shop.origin + last_path,
                            last_path,
                            "pulse",
                            "answered" if answered else "dismissed",
                            None,
                            '{"version":1}',
                        )
                    )
                    if answered:
                        session["_survey"] = ("pulse", survey_ts)
            _fold(session, rows)
            survey = session.pop("_survey", None)
            if survey and survey[0] == "pulse":
                shop.pulse(facts, visitor_id, session, locale, device, last_path, survey[1])
            elif survey:
                shop.cart_abandon(visitor_id, session, locale, device, survey[1])
            writer.events.extend(rows)
            writer.sessions.append(session)
            counts["events"] += len(rows)
            counts["sessions"] += 1
            counts["bot_sessions"] += int(bot)
            last_seen = t
            ts = t + rng.randint(1, 72) * 3_600_000
        if n_sessions:
            writer.visitors.append((visitor_id, site_id, first, last_seen, n_sessions))
            counts["visitors"] += 1
        if len(writer.events) >= writer.flush_every:
            writer.flush()
        if progress:
            progress(counts["visitors"] if visitors is not None else counts["events"])
    writer.flush()
    if surveys:
        counts["responses"] = _write_responses(db, site_id, shop.responses)
    return counts


def simulate(
    db: Database,
    site,
    *,
    visitors: int | None = None,
    events: int | None = None,
    seed: int = 1,
    days: int = 14,
    now: int | None = None,
    surveys: bool = True,
    bots: float = 0.04,
    progress: Progress | None = None,
) -> dict:
    """Write VISITORS simulated visitors of the demo shop for SITE; return what was written.

    With EVENTS instead, visitors are added until about that many events are written (the
    benchmarks size data by events); with neither, 100,000 events. Page URLs are on SITE's first
    allowed origin (the demo's shop address when SITE is just an id). Also loads the demo
    journeys (unless the site has journeys) and, when SURVEYS, the demo pulse and
    ``cart-abandon`` surveys with their responses. PROGRESS, if given, is told after each visitor
    how many visitors (or, sized by EVENTS, events) are done.
    """
    if visitors is not None and events is not None:
        raise InvalidInput("give visitors or events, not both", {"visitors": ["not with events"]})
    if visitors is None and events is None:
        events = 100_000
    site_id = getattr(site, "id", site)
    origins = getattr(site, "origins", None) or [ORIGIN]
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or int(time.time() * 1000)
    if not journey_lib.list_journeys(db, site_id):
        journey_lib.load_journeys(db, site_id, SHOP_JOURNEYS)
    shop = Shop(db, site_id, rng, now, days, origins[0].rstrip("/"))
    with bulk.large_cache(db):  # the indexes of a million rows stay in memory
        counts = _generate(
            db,
            site_id,
            shop,
            rng,
            events=events,
            visitors=visitors,
            now=now,
            days=days,
            surveys=surveys,
            bots=bots,
            progress=progress,
        )
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


def _event(
    site_id, event_id, visitor_id, session_id, kind, ts, url, path, name, action, value, data
) -> tuple:
    """Return an event row in EVENT_COLUMNS order (received when it happened)."""
    return (
        site_id,
        event_id,
        visitor_id,
        session_id,
        kind,
        ts,
        ts,
        url,
        path,
        name,
        action,
        value,
        data,
    )


def _fold(session: dict, rows: list[tuple]) -> None:
    """Fold event rows (tuples in EVENT_COLUMNS order) into their session, as ingestion does."""
    for r in rows:
        sessionise.apply_event(
            session,
            {
                "kind": r[4],
                "ts": r[5],
                "path": r[8],
                "name": r[9],
                "action": r[10],
                "value": r[11],
                "scroll": 50,
            },
        )


def _write_responses(db: Database, site_id: int, responses) -> int:
    """Store the demo surveys (if absent) and the responses, through the surveys storage."""
    from cxlisten.storage import responses as response_store
    from cxlisten.storage import surveys as survey_store
    from cxlisten.surveys import definitions

    now = int(time.time() * 1000)
    ids = {}
    with transaction(db):
        for raw in DEMO_SURVEYS:
            found = survey_store.get_survey(db, site_id, raw["id"])
            if found is None:
                definition = definitions.normalise(raw)
                ids[raw["id"]] = survey_store.insert_survey(db, site_id, definition, "active", now)
            else:
                ids[raw["id"]] = found.id
        answer_rows = []
        for row, answers in responses:
            row["survey_id"] = ids[row["survey"]]
            response_id = response_store.insert_response(db, row)
            for position, answer in enumerate(answers):
                answer_rows.append(
                    {
                        "response_id": response_id,
                        "site_id": site_id,
                        "survey": row["survey"],
                        "version": 1,
                        "visitor_id": row["visitor_id"],
                        "question": answer["question"],
                        "position": position,
                        "type": answer["type"],
                        "value": answer.get(
                            "value", None if "number" not in answer else str(answer["number"])
                        ),
                        "number": answer.get("number"),
                        "other": answer.get("other"),
                        "answered_at": row["updated_at"],
                    }
                )
        response_store.upsert_answers(db, answer_rows)
    return len(responses)
