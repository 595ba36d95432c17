"""Experience scores by operational segment: NPS by order-value band, CSAT of customers with an
open ticket against those without, journeys' outcomes against revenue, and scores per channel.

Only answers of visitors linked to a customer (``cxlisten.customers``) join operational records;
the reports read grouped counts from SQL (the answers, the customers' totals), not raw events.
"""

from __future__ import annotations

import json

from cxlisten import journeys as journey_lib
from cxlisten.channels import CHANNELS
from cxlisten.operational import ORDER, TICKET
from cxlisten.stats import mean_ci, nps, wilson
from cxlisten.storage import operational as store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site

__all__ = [
    "DEFAULT_BANDS",
    "channels",
    "csat_by_open_ticket",
    "journey_revenue",
    "nps_by_order_value",
]

DEFAULT_BANDS = (50.0, 200.0, 1000.0)


def _expand(rows) -> list[float]:
    return [score for score, count in rows for _ in range(count)]


def _csat(scores: list[float]) -> dict:
    """CSAT: the share of 4s and 5s (of 1–5), with its interval, and the mean."""
    satisfied = sum(s >= 4 for s in scores)
    return {"satisfied": wilson(satisfied, len(scores)), "mean": mean_ci(scores)}


def _band_names(edges: list[float]) -> list[str]:
    names = ["no orders", f"under {edges[0]:g}"]
    names += [f"{lo:g}–{hi:g}" for lo, hi in zip(edges, edges[1:], strict=False)]
    return [*names, f"{edges[-1]:g} and over"]


def nps_by_order_value(
    db: Database, site: Site, bands: tuple[float, ...] = DEFAULT_BANDS, *, kind: str = ORDER
) -> list[dict]:
    """Return NPS per band of customers' total order value (bands: ascending upper edges)."""
    edges = sorted(bands)
    rows = store.scores_by_revenue_band(db, site.id, "nps", kind, edges)
    by_band: dict[int, list] = {}
    for band, score, count in rows:
        by_band.setdefault(band, []).append((score, count))
    return [
        {"band": name, "nps": nps(_expand(by_band.get(i, [])))}
        for i, name in enumerate(_band_names(edges))
    ]


def csat_by_open_ticket(db: Database, site: Site, *, kind: str = TICKET) -> list[dict]:
    """Return CSAT of customers with an open ticket and of those without."""
    rows = store.scores_by_open_records(db, site.id, "csat", kind)
    groups: dict[int, list] = {0: [], 1: []}
    for has_open, score, count in rows:
        groups[int(has_open)].append((score, count))
    return [
        {"segment": "open ticket", **_csat(_expand(groups[1]))},
        {"segment": "no open ticket", **_csat(_expand(groups[0]))},
    ]


def journey_revenue(db: Database, site: Site, *, kind: str = ORDER) -> list[dict]:
    """Return, per named journey and outcome (completed, abandoned), its customers and revenue.

    A customer completed a journey if any of their sessions on any device reached its goal.
    """
    journeys = journey_lib.list_journeys(db, site.id)
    rules = journey_lib.path_rules(db, site.id)
    outcome: dict[str, dict[str, bool]] = {j.name: {} for j in journeys}
    # Sessions repeat the same few step lists: follow each distinct one once.
    followed: dict[str, list[tuple[str, bool]]] = {}
    for customer, steps_json in store.customer_sessions(db, site.id):
        matches = followed.get(steps_json)
        if matches is None:
            steps = [rules.normalise(s) for s in json.loads(steps_json)]
            matches = followed[steps_json] = [
                (j.name, m.completed) for j in journeys if (m := j.follow(steps)) is not None
            ]
        for name, completed in matches:
            seen = outcome[name]
            seen[customer] = seen.get(customer, False) or completed
    revenue = store.revenue_by_customer(db, site.id, kind)
    out = []
    for journey in journeys:
        for label, done in (("completed", True), ("abandoned", False)):
            who = [c for c, completed in outcome[journey.name].items() if completed is done]
            total = sum(revenue.get(c, (0, 0.0))[1] for c in who)
            orders = sum(revenue.get(c, (0, 0.0))[0] for c in who)
            out.append(
                {
                    "journey": journey.name,
                    "outcome": label,
                    "customers": len(who),
                    "orders": orders,
                    "revenue": round(total, 2),
                    "revenue_per_customer": round(total / len(who), 2) if who else None,
                }
            )
    return out


def channels(db: Database, site: Site, survey: str | None = None) -> list[dict]:
    """Return responses, completes and scores per channel (web intercept, hosted link, QR...)."""
    counts, scores = store.scores_by_channel(db, site.id, survey)
    by: dict[tuple[str, str], list] = {}
    for channel, qtype, score, count in scores:
        by.setdefault((channel, qtype), []).append((score, count))
    out = []
    for channel, responses, complete in counts:
        row = {
            "channel": channel,
            "label": CHANNELS.get(channel, channel),
            "responses": responses,
            "complete": complete or 0,
        }
        if (channel, "nps") in by:
            row["nps"] = nps(_expand(by[(channel, "nps")]))
        if (channel, "csat") in by:
            row["csat"] = _csat(_expand(by[(channel, "csat")]))
        if (channel, "ces") in by:
            row["ces"] = mean_ci(_expand(by[(channel, "ces")]))
        out.append(row)
    return out
