"""Which rule would this visitor get on this page, and why: every rule with its verdict and each
of its conditions with whether it holds now. Nothing is recorded (``evaluate(record=False)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from cxlisten import activate
from cxlisten import journeys as journey_lib
from cxlisten.storage import events as event_store
from cxlisten.storage.db import Database

__all__ = ["Explanation", "RuleWhy", "explain"]


@dataclass(frozen=True)
class RuleWhy:
    name: str
    level: str
    priority: int
    # "shown", "holdout", "suppressed" (a higher one won the panel), "effects" (matched, with
    # nothing to show), "no_match", "phase" (its journey is not in activate), "disabled"
    verdict: str
    conditions: tuple[tuple[dict, bool], ...]


@dataclass(frozen=True)
class Explanation:
    visitor: str
    url: str
    action: dict | None
    rules: tuple[RuleWhy, ...]  # in the order they are tried


def explain(db: Database, site, visitor_id: str, url: str) -> Explanation:
    """Return the decision for VISITOR_ID on URL and every rule's part in it."""
    decision = activate.evaluate(db, site, visitor_id, url, record=False)
    session = event_store.latest_session(db, visitor_id)
    ctx = activate._Context(db, site.id, visitor_id, url, session)
    journeys = {j.name: j for j in journey_lib.list_journeys(db, site.id)}
    rules = sorted(
        activate.list_rules(db, site),
        key=lambda r: (-r.priority, activate.LEVELS.index(r.level), r.name),
    )
    out = []
    for rule in rules:
        conditions = tuple((c, activate._holds(c, ctx, journeys)) for c in rule.when)
        if not rule.enabled:
            verdict = "disabled"
        elif rule.journey and getattr(journeys.get(rule.journey), "phase", None) != "activate":
            verdict = "phase"
        elif rule.name not in decision["matched"]:
            verdict = "no_match"
        elif rule.name == decision["holdout"]:
            verdict = "holdout"
        elif decision["action"] and decision["action"]["rule"] == rule.name:
            verdict = "shown"
        elif rule.name in decision["suppressed"]:
            verdict = "suppressed"
        else:
            verdict = "effects"
        out.append(RuleWhy(rule.name, rule.level, rule.priority, verdict, conditions))
    return Explanation(visitor_id, url, decision["action"], tuple(out))
