"""A traffic generator for a demo shop, with known, planted problems.

``simulate(db, site, events=100_000)`` writes visitors, sessions (the same summary rows ingestion
keeps), raw events, pulse and deep-dive survey responses and action exposures, as if the shop had
run for ``days`` days. What is planted, so reports can be checked against it:

* **checkout**: of the sessions that reach ``/checkout/payment``, about 60% leave before
  ``/checkout/done`` (every other step loses 10–15%).
* **support**: ``/help/article/:slug`` pages hold visitors about 7× the site's typical dwell, and
  most of them never reach ``/help/contact``.
* **signup** and **search** are healthy; bot sessions hammer ``/signup`` (they must not count).
* Pulse (CSAT 1–5, ``pulse``) answers are low after a failed payment or a long help visit.
* The ``cart-abandon`` deep-dive is answered with planted reasons, in English and Chinese:
  shipping cost (≈45%), payment failure (≈30%), having to create an account (≈15%), just
  looking (≈10%).
* Two activation rules run at ``/checkout/payment`` with a 30% holdout: ``checkout-chat`` raises
  the chance to finish the order from 35% to 55%; ``shipping-banner`` changes nothing.

The run is deterministic for a given seed. Rows go in through the storage functions in bulk,
in a few large transactions, so a million events load in seconds.
"""

from __future__ import annotations

import json
import math
import random
import time
import uuid
from dataclasses import dataclass

from cxlisten import journeys as journey_lib
from cxlisten import sessions as sessionise
from cxlisten.simulate_shop import (
    ARTICLES,
    CATEGORIES,
    DEMO_SURVEYS,
    DEVICES,
    ORIGIN,
    PLANTED_REASONS,
    PRODUCTS,
    SHOP_JOURNEYS,
)
from cxlisten.storage import bulk, transaction
from cxlisten.storage import events as event_store
from cxlisten.storage import rules as rule_store
from cxlisten.storage.db import Database

__all__ = ["simulate", "SHOP_JOURNEYS", "DEMO_SURVEYS", "PLANTED_REASONS"]

DAY = 86_400_000


@dataclass
class _Device:
    kind: str
    browser: str
    os: str
    is_bot: bool = False


_BOT = _Device("bot", "HeadlessChrome", "Linux", True)


def _dwell(rng: random.Random, median_s: float, sigma: float = 0.6) -> int:
    return int(rng.lognormvariate(math.log(median_s * 1000), sigma))


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


class _Shop:
    def __init__(self, db: Database, site_id: int, rng: random.Random, now: int, days: int):
        self.db, self.site_id, self.rng, self.now, self.days = db, site_id, rng, now, days
        self.responses: list[tuple[dict, list[dict]]] = []

        # Event ids: a random prefix per run, then a counter (like UUIDv7, ordered), so they
        # append to the id index instead of landing at random pages of it.
        self._prefix = self.rng.getrandbits(64) << 64
        self._counter = 0

    def uuid(self) -> str:
        self._counter += 1
        h = "%032x" % (self._prefix | self._counter)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # -- what a session does -------------------------------------------------------------

    def plan(self, bot: bool) -> tuple[list[tuple[str, int]], dict]:
        """Return [(path, visible dwell ms)] of one session and facts about it."""
        rng = self.rng
        facts: dict = {"kind": None}
        if bot:
            return [("/signup", 200)] * rng.randint(1, 3), {"kind": "bot"}
        pages: list[tuple[str, int]] = []

        def view(path: str, median: float = 12, sigma: float = 0.6) -> None:
            pages.append((path, _dwell(rng, median, sigma)))

        kind = rng.choices(
            ["browse", "search", "checkout", "signup", "support"], [0.30, 0.15, 0.30, 0.12, 0.13]
        )[0]
        facts["kind"] = kind
        if kind != "signup" or rng.random() < 0.5:
            view("/")
        if kind == "browse":
            view(f"/category/{rng.choice(CATEGORIES)}")
            for _ in range(rng.randint(1, 3)):
                view(f"/product/{rng.choice(PRODUCTS)}", 20)
        elif kind == "search":
            view("/search", 8)
            if rng.random() < 0.08:
                view("/search", 8)
            if rng.random() < 0.85:
                view(f"/product/{rng.choice(PRODUCTS)}", 20)
                if rng.random() < 0.8:
                    view("/cart", 10)
        elif kind == "checkout":
            view(f"/product/{rng.choice(PRODUCTS)}", 20)
            view("/cart", 10)
            if rng.random() < 0.05:
                view(f"/product/{rng.choice(PRODUCTS)}", 15)
                view("/cart", 8)
            if rng.random() < 0.88:
                view("/checkout", 15)
                if rng.random() < 0.06:  # back to the cart to change something, and on again
                    view("/cart", 8)
                    view("/checkout", 10)
                if rng.random() < 0.88:
                    view("/checkout/payment", 20)
                    facts["payment_at"] = len(pages) - 1
        elif kind == "signup":
            view("/signup", 20)
            if rng.random() < 0.9:
                view("/signup/verify", 15)
                if rng.random() < 0.92:
                    view("/welcome", 10)
        else:
            view("/help", 10)
            if rng.random() < 0.9:
                view(f"/help/article/{rng.choice(ARTICLES)}", 85, 0.5)
                facts["long_help"] = True
                if rng.random() < 0.35:
                    view("/help/contact", 20)
        return pages, facts

    def finish_checkout(self, pages, facts, visitor_id: str, session_id: str, ts: int) -> None:
        """Decide whether a session at /checkout/payment finishes, given any action it saw."""
        rng = self.rng
        chance = 0.35
        rule = "checkout-chat" if _hash01(visitor_id, "experiment") < 0.5 else "shipping-banner"
        arm = "holdout" if _hash01(visitor_id, rule) < 0.30 else "shown"
        facts["exposure"] = {
            "site_id": self.site_id,
            "rule": rule,
            "action": rule,
            "arm": arm,
            "visitor_id": visitor_id,
            "session_id": session_id,
            "journey": "checkout",
            "segment": "",
            "step_index": facts["payment_at"],
            "ts": ts,
        }
        if arm == "shown" and rule == "checkout-chat":
            chance = 0.55
        if rng.random() < chance:
            pages.append(("/checkout/done", _dwell(rng, 8)))
            facts["done"] = True
        elif rng.random() < 0.2:  # looked for help, then gave up
            pages.append(("/faq", _dwell(rng, 25)))

    # -- surveys ---------------------------------------------------------------------------

    def pulse(self, facts, visitor_id, session, locale, device, path, ts) -> list[dict]:
        rng = self.rng
        failed = facts.get("payment_at") is not None and not facts.get("done")
        mean = 2.2 if failed else 2.6 if facts.get("long_help") else 4.2
        score = max(1, min(5, round(rng.gauss(mean, 0.8))))
        return [
            self.response(
                "pulse",
                visitor_id,
                session,
                locale,
                device,
                path,
                ts,
                [{"question": "found", "type": "csat", "number": score}],
            )
        ]

    def cart_abandon(self, visitor_id, session, locale, device, ts) -> list[dict]:
        rng = self.rng
        code, _, en, zh = rng.choices(PLANTED_REASONS, [r[1] for r in PLANTED_REASONS])[0]
        answers = [{"question": "reason", "type": "single", "value": code}]
        complete = code == "just-looking" or rng.random() < 0.8  # just-looking ends it
        if complete and code != "just-looking":
            answers.append(
                {
                    "question": "ease",
                    "type": "ces",
                    "number": rng.randint(1, 3) if code == "payment" else rng.randint(3, 7),
                }
            )
            if rng.random() < 0.7:
                text = rng.choice(zh if locale == "zh-CN" else en)
                answers.append({"question": "more", "type": "text", "value": text})
        return [
            self.response(
                "cart-abandon",
                visitor_id,
                session,
                locale,
                device,
                "/checkout/payment",
                ts,
                answers,
                complete=complete,
            )
        ]

    def response(
        self, survey, visitor_id, session, locale, device, path, ts, answers, complete=True
    ) -> dict:
        row = {
            "site_id": self.site_id,
            "survey": survey,
            "version": 1,
            "client_id": self.uuid(),
            "visitor_id": visitor_id,
            "session_id": session["id"],
            "status": "complete" if complete else "partial",
            "answered": len(answers),
            "locale": locale,
            "url": ORIGIN + path,
            "path": path,
            "device": device.kind,
            "browser": device.browser,
            "os": device.os,
            "is_bot": 0,
            "journey": list(session["steps"]),
            "started_at": ts,
            "updated_at": ts + 5000,
            "completed_at": ts + 5000 if complete else None,
        }
        self.responses.append((row, answers))
        return row


def _hash01(visitor_id: str, salt: str) -> float:
    """Return a stable number in [0, 1) for a visitor and a salt (same as activate's arms)."""
    import hashlib

    digest = hashlib.blake2b(f"{salt}:{visitor_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _generate(
    db: Database,
    site_id: int,
    shop: _Shop,
    rng: random.Random,
    *,
    events: int,
    now: int,
    days: int,
    surveys: bool,
    bots: float,
) -> dict:
    """Generate visitors until EVENTS events are written; return the counts."""
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
    while counts["events"] < events:
        visitor_id = shop.uuid().replace("-", "")
        bot = rng.random() < bots
        device = (
            _BOT
            if bot
            else _Device(*rng.choices([d[:3] for d in DEVICES], [d[3] for d in DEVICES])[0])
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
            session = sessionise.new_session(site_id, visitor_id, ts, device, index > 0)
            session["id"] = session_id
            if facts.get("payment_at") is not None:
                payment_ts = ts + sum(d for _, d in pages[:-1]) + 2000 * len(pages)
                shop.finish_checkout(pages, facts, visitor_id, session_id, payment_ts)
            rows = []
            t = ts
            for position, (path, dwell) in enumerate(pages):
                url = ORIGIN + path
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
                            ORIGIN + last_path,
                            last_path,
                            "cart-abandon",
                            "shown",
                            None,
                            '{"version":1}',
                        )
                    )
                    if rng.random() < 0.55:
                        rows.append(
                            _event(
                                site_id,
                                shop.uuid(),
                                visitor_id,
                                session_id,
                                "survey",
                                survey_ts + 4000,
                                ORIGIN + last_path,
                                last_path,
                                "cart-abandon",
                                "answered",
                                None,
                                '{"version":1,"question":"reason"}',
                            )
                        )
                        session["_survey"] = ("cart-abandon", survey_ts)
                    else:
                        rows.append(
                            _event(
                                site_id,
                                shop.uuid(),
                                visitor_id,
                                session_id,
                                "survey",
                                survey_ts + 4000,
                                ORIGIN + last_path,
                                last_path,
                                "cart-abandon",
                                "dismissed",
                                None,
                                '{"version":1}',
                            )
                        )
                elif rng.random() < 0.10:
                    rows.append(
                        _event(
                            site_id,
                            shop.uuid(),
                            visitor_id,
                            session_id,
                            "survey",
                            survey_ts,
                            ORIGIN + last_path,
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
                            ORIGIN + last_path,
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
    writer.flush()
    if surveys:
        counts["responses"] = _write_responses(db, site_id, shop.responses)
    return counts


def simulate(
    db: Database,
    site,
    *,
    events: int = 100_000,
    seed: int = 1,
    days: int = 14,
    now: int | None = None,
    surveys: bool = True,
    bots: float = 0.04,
) -> dict:
    """Write about EVENTS events of simulated shop traffic for SITE; return what was written.

    Also loads the demo journeys (unless the site has journeys) and, when SURVEYS, the demo
    pulse and ``cart-abandon`` surveys with their responses.
    """
    site_id = getattr(site, "id", site)
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or int(time.time() * 1000)
    if not journey_lib.list_journeys(db, site_id):
        journey_lib.load_journeys(db, site_id, SHOP_JOURNEYS)
    shop = _Shop(db, site_id, rng, now, days)
    with bulk.large_cache(db):  # the indexes of a million rows stay in memory
        counts = _generate(
            db, site_id, shop, rng, events=events, now=now, days=days, surveys=surveys, bots=bots
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


_COUNTERS = {
    ("survey", "shown"): "surveys_shown",
    ("survey", "answered"): "surveys_answered",
    ("survey", "dismissed"): "surveys_dismissed",
    ("intervention", "shown"): "interventions_shown",
    ("intervention", "clicked"): "interventions_clicked",
}


def _fold(session: dict, rows: list[tuple]) -> None:
    """Fold event rows into their session summary exactly as ``sessions.apply_event`` does."""
    steps, dwell = session["steps"], session["dwell"]
    for r in rows:
        kind, ts, path = r[4], r[5], r[8]
        session["events"] += 1
        if ts < session["started"]:
            session["started"] = ts
        if ts > session["last_ts"]:
            session["last_ts"] = ts
        if kind == "pageview":
            session["pageviews"] += 1
            if len(steps) < sessionise.MAX_STEPS:
                steps.append(path)
                dwell.append(0)
            session["entry"] = session["entry"] or path
            session["exit"] = path
        elif kind == "dwell":
            session["max_scroll"] = max(session["max_scroll"], 50)
            for i in range(len(steps) - 1, -1, -1):
                if steps[i] == path:
                    dwell[i] += r[11]
                    break
        counter = _COUNTERS.get((kind, r[10]))
        if counter:
            session[counter] += 1


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
