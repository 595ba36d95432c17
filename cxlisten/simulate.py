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
* Frustration (``frustration=True``, the default): of the sessions that leave at
  ``/checkout/payment``, about 70% rage-click its *Pay* button (``button#pay``, 3–6 clicks 150–300
  ms apart) and about 30% abandon the card number field (``input#card``); about 5% of help-article
  visits dead-click the *Print* button (``button.print``).

* Page speed (``speed=True``, the default): every page view's last dwell event carries the
  metrics ``vitals.js`` would send, good almost everywhere (LCP about 1.2–2.4 s) except
  ``/checkout/payment`` on phones, whose LCP is about 4.5–6.5 s (poor); phone visitors who saw
  that slow page rate the ``cart-abandon`` ease (CES, 1–7) about 2 points lower.
* Shallow scroll (``shallow=True``, the default): phone visitors never scroll past 15% of
  ``/checkout/payment`` (the *Pay* button below the fold); every other page view reaches 50%.

The run is deterministic for a given seed. Rows go in through the storage functions in bulk,
in a few large transactions, so a million events load in seconds.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

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

    def flush(self) -> None:
        with transaction(self.db):
            bulk.insert_event_tuples(self.db, self.events)
            event_store.save_sessions(self.db, self.sessions)
            bulk.touch_visitors(self.db, self.visitors)
            if self.exposures:
                rule_store.record_exposures(self.db, self.exposures)
        self.events, self.sessions, self.visitors, self.exposures = [], [], [], []


@dataclass
class _Run:
    """One simulation run: where rows go, what was counted, and the knobs."""

    writer: _Writer
    site_id: int
    shop: Shop
    rng: random.Random
    now: int
    days: int
    surveys: bool
    bots: float
    # Draws the frustration signals (None: none planted); apart from RNG, so that planting them
    # leaves the rest of a seed's traffic as it was.
    frustration: random.Random | None = None
    # Draws the page speed (None: none recorded); apart from RNG for the same reason.
    speed: random.Random | None = None
    shallow: bool = (
        False  # phones do not scroll /checkout/payment (no draws: the seed's rest holds)
    )
    counts: dict = field(
        default_factory=lambda: dict.fromkeys(
            ("visitors", "sessions", "bot_sessions", "events", "responses", "exposures"), 0
        )
    )


class _Events:
    """The event rows of one simulated session, in EVENT_COLUMNS order, as they happen."""

    def __init__(self, run: _Run, visitor_id: str, session_id: str):
        self.run, self.visitor_id, self.session_id = run, visitor_id, session_id
        self.rows: list[tuple] = []

    def add(
        self, kind, ts, path, name=None, action=None, value=None, data="{}", event_id=None
    ) -> None:
        """Add one event (received when it happened) on PATH of the shop."""
        run = self.run
        self.rows.append(
            (
                run.site_id,
                event_id or run.shop.uuid(),
                self.visitor_id,
                self.session_id,
                kind,
                ts,
                ts,
                run.shop.origin + path,
                path,
                name,
                action,
                value,
                data,
            )
        )


_PAGEVIEW_DATA = json.dumps({"referrer": None, "title": "", "viewport": {"w": 1280, "h": 720}})


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
    frustration: random.Random | None = None,
    speed: random.Random | None = None,
    progress: Progress | None = None,
    shallow: bool = False,
) -> dict:
    """Generate VISITORS visitors (or until EVENTS events are written); return the counts."""
    run = _Run(
        _Writer(db), site_id, shop, rng, now, days, surveys, bots, frustration, speed, shallow
    )
    counts, writer = run.counts, run.writer
    while counts["visitors"] < visitors if visitors is not None else counts["events"] < events:
        _visitor(run)
        if len(writer.events) >= writer.flush_every:
            writer.flush()
        if progress:
            progress(counts["visitors"] if visitors is not None else counts["events"])
    writer.flush()
    if surveys:
        counts["responses"] = _write_responses(db, site_id, shop.responses)
    return counts


def _visitor(run: _Run) -> None:
    """Simulate one visitor: one to three sessions, days apart (bots: one)."""
    rng, shop = run.rng, run.shop
    visitor_id = shop.uuid().replace("-", "")
    bot = rng.random() < run.bots
    device = (
        BOT
        if bot
        else SimDevice(*rng.choices([d[:3] for d in DEVICES], [d[3] for d in DEVICES])[0])
    )
    locale = "zh-CN" if rng.random() < 0.3 else "en"
    n_sessions = 1 if bot else rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0]
    ts = run.now - int(rng.random() * run.days * DAY)
    first = last_seen = ts
    for index in range(n_sessions):
        if ts > run.now - 3_600_000:  # nobody visits from the future
            n_sessions = index
            break
        last_seen = _session(run, visitor_id, bot, device, locale, index, ts)
        ts = last_seen + rng.randint(1, 72) * 3_600_000
    if n_sessions:
        run.writer.visitors.append((visitor_id, run.site_id, first, last_seen, n_sessions))
        run.counts["visitors"] += 1


def _session(
    run: _Run, visitor_id: str, bot: bool, device, locale: str, index: int, ts: int
) -> int:
    """Simulate one session starting at TS; return when it ended."""
    rng, shop = run.rng, run.shop
    session_id = uuid.UUID(int=rng.getrandbits(128)).hex
    pages, facts = shop.plan(bot)
    facts["device"] = device.kind
    session = sessionise.new_session(run.site_id, visitor_id, ts, device, index > 0)
    session["id"] = session_id
    if facts.get("payment_at") is not None:
        payment_ts = ts + sum(d for _, d in pages[:-1]) + 2000 * len(pages)
        shop.finish_checkout(pages, facts, visitor_id, session_id, payment_ts)
    events = _Events(run, visitor_id, session_id)
    t = ts
    for position, (path, dwell) in enumerate(pages):
        _page(run, events, facts, position, path, dwell, t)
        t += dwell + rng.randint(1000, 4000)
    last_path = pages[-1][0]
    if run.surveys and not bot:
        _survey_events(run, events, facts, session, last_path, t - 1000)
    _fold(session, events.rows)
    survey = session.pop("_survey", None)
    if survey and survey[0] == "pulse":
        shop.pulse(facts, visitor_id, session, locale, device, last_path, survey[1])
    elif survey:
        shop.cart_abandon(visitor_id, session, locale, device, survey[1])
        if facts.get("slow_payment"):
            _slower_is_harder(run, shop.responses[-1][1])
    run.writer.events.extend(events.rows)
    run.writer.sessions.append(session)
    run.counts["events"] += len(events.rows)
    run.counts["sessions"] += 1
    run.counts["bot_sessions"] += int(bot)
    return t


def _page(run: _Run, events: _Events, facts: dict, position: int, path: str, dwell: int, t: int):
    """Add one page's events: its view, its dwell in 15 s parts, a click, an intervention."""
    events.add("pageview", t, path, data=_PAGEVIEW_DATA)
    pv = f"pv{position}"
    shallow = run.shallow and path == "/checkout/payment" and facts["device"] == "mobile"
    scroll = 15 if shallow else 50
    remaining, t_d = dwell, t
    while remaining > 0:
        part = min(remaining, 15_000)
        remaining -= part
        t_d += part
        vitals = _vitals(run, facts, path) if remaining <= 0 and run.speed else None
        speed = f',"vitals":{json.dumps(vitals, separators=(",", ":"))}' if vitals else ""
        events.add(
            "dwell",
            t_d,
            path,
            value=part,
            data=f'{{"total_ms":{part},"scroll":{scroll},"pv":"{pv}"{speed}}}',
        )
    if run.rng.random() < 0.3:
        events.add("click", t + 1000, path, data='{"target":"a.link","text":"More"}')
    if run.frustration:
        _frustration(run, events, facts, path, t)
    if path == "/checkout/payment" and "exposure" in facts:
        exposure = facts["exposure"]
        if exposure["arm"] == "shown":
            events.add("intervention", t + 3000, path, exposure["action"], "shown")
        exposure["ts"] = t + 3000
        run.writer.exposures.append(exposure)
        run.counts["exposures"] += 1


def _vitals(run: _Run, facts: dict, path: str) -> dict:
    """The page speed of one page view, as vitals.js measures it (the module docstring)."""
    rng = run.speed
    assert rng is not None
    slow = path == "/checkout/payment" and facts["device"] == "mobile"
    lcp = rng.randint(4500, 6500) if slow else rng.randint(1200, 2400)
    if slow:
        facts["slow_payment"] = True
    ttfb = rng.randint(150, 600)
    return {
        "ttfb": ttfb,
        "fcp": min(lcp, ttfb + rng.randint(300, 900)),
        "lcp": lcp,
        "cls": round(rng.random() * 0.08, 4),
        "inp": rng.randint(40, 180),
        "conn": "4g",
    }


def _slower_is_harder(run: _Run, answers: list[dict]) -> None:
    """A phone visitor whose payment page was slow rates the checkout's ease lower."""
    rng = run.speed
    assert rng is not None
    for answer in answers:
        if answer["question"] == "ease":
            answer["number"] = max(1, answer["number"] - rng.choice([1, 2, 3]))


_PAY = '{"role":"button","target":"button#pay","text":"Pay"}'
_CARD = '{"role":"textbox","target":"input#card","text":"Card number","signal":"abandoned"}'
_PRINT = '{"role":"button","target":"button.print","text":"Print","signal":"dead"}'


def _frustration(run: _Run, events: _Events, facts: dict, path: str, t: int) -> None:
    """Plant the frustration signals of the module docstring on one page."""
    rng = run.frustration
    assert rng is not None

    def add(ts: int, data: str) -> None:  # ids of its own: the shop's visitor ids stay as they were
        events.add("click", ts, path, data=data, event_id=str(uuid.UUID(int=rng.getrandbits(128))))

    failing = facts.get("payment_at") is not None and not facts.get("done")
    if path == "/checkout/payment" and failing:
        if rng.random() < 0.7:
            ts = t + 2000
            for _ in range(rng.randint(3, 6)):
                add(ts, _PAY)
                ts += rng.randint(150, 300)
        if rng.random() < 0.3:
            add(t + 5000, _CARD)
    elif path.startswith("/help/article/") and rng.random() < 0.05:
        add(t + 1500, _PRINT)
        add(t + 1500, _PRINT.replace(',"signal":"dead"', ""))


def _survey_events(run: _Run, events: _Events, facts: dict, session: dict, path: str, ts: int):
    """Show cart-abandon to half the abandoned checkouts, else the pulse to one in ten."""
    rng = run.rng
    if facts.get("payment_at") is not None and not facts.get("done") and rng.random() < 0.5:
        events.add("survey", ts, path, "cart-abandon", "shown", data='{"version":1}')
        answered = rng.random() < 0.55
        events.add(
            "survey",
            ts + 4000,
            path,
            "cart-abandon",
            "answered" if answered else "dismissed",
            data='{"version":1,"question":"reason"}' if answered else '{"version":1}',
        )
        if answered:
            session["_survey"] = ("cart-abandon", ts)
    elif rng.random() < 0.10:
        events.add("survey", ts, path, "pulse", "shown", data='{"version":1}')
        answered = rng.random() < 0.6
        events.add(
            "survey",
            ts + 3000,
            path,
            "pulse",
            "answered" if answered else "dismissed",
            data='{"version":1}',
        )
        if answered:
            session["_survey"] = ("pulse", ts)


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
    frustration: bool = True,
    speed: bool = True,
    shallow: bool = True,
    progress: Progress | None = None,
) -> dict:
    """Write VISITORS simulated visitors of the demo shop for SITE; return what was written.

    With EVENTS instead, visitors are added until about that many events are written (the
    benchmarks size data by events); with neither, 100,000 events. Page URLs are on SITE's first
    allowed origin (the demo's shop address when SITE is just an id). Also loads the demo
    journeys (unless the site has journeys) and, when SURVEYS, the demo pulse and
    ``cart-abandon`` surveys with their responses. FRUSTRATION plants the rage clicks, dead
    clicks and abandoned fields of the module docstring, SPEED its page speed, SHALLOW its
    shallow scroll on the payment page. PROGRESS, if
    given, is told after each visitor how many visitors (or, sized by EVENTS, events) are done.
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
            frustration=random.Random(f"frustration {seed}") if frustration else None,
            speed=random.Random(f"speed {seed}") if speed else None,
            progress=progress,
            shallow=shallow,
        )
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


def _fold(session: dict, rows: list[tuple]) -> None:
    """Fold event rows (tuples in EVENT_COLUMNS order) into their session, as ingestion does."""
    for r in rows:
        data = json.loads(r[12]) if r[4] in ("click", "dwell") else {}
        sessionise.apply_event(
            session,
            {
                "kind": r[4],
                "ts": r[5],
                "path": r[8],
                "name": r[9],
                "action": r[10],
                "value": r[11],
                "scroll": data.get("scroll", 50),
                "click": data if r[4] == "click" else None,
                "vitals": data.get("vitals"),
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
