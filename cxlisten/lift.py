"""Outcomes and lift of activation rules: did visitors shown an action reach the goal more often
than the holdout that saw nothing?

A visitor *reached the goal* if, after the exposure, that session (from the page where the action
was decided) or a session starting within ``OUTCOME_DAYS`` days viewed the goal of the rule's
journey — or, when the rule names its own ``goal``, viewed that page pattern or (``custom:NAME``)
tracked that custom event (in the exposure's session, anywhere in it: custom events are kept
without their position). A rule without a journey or a goal has nothing to be measured on.
``lift`` compares the two arms with 95% intervals (Wilson for each rate, Newcombe for
the difference).
"""

from __future__ import annotations

from cxlisten import journeys as journey_lib
from cxlisten import stats
from cxlisten.errors import NotFound
from cxlisten.storage import reports
from cxlisten.storage import rules as store
from cxlisten.storage.db import Database

__all__ = ["OUTCOME_DAYS", "compare", "goal_of", "lift", "outcomes"]

OUTCOME_DAYS = 7


def goal_of(db, site_id, rule: dict) -> str | None:
    """Return what RULE's lift is measured on: its own goal, else its journey's goal."""
    if rule.get("goal"):
        return rule["goal"]
    if rule.get("journey"):
        return journey_lib.get_journey(db, site_id, rule["journey"]).goal
    return None


def outcomes(db, site_id, rule: str, goal_spec: str | None, since=None, until=None):
    """Return [(exposure, reached GOAL_SPEC afterwards: 0 or 1)] for RULE's exposures."""
    exposures = store.exposures(db, site_id, rule, since, until)
    if not exposures or not goal_spec:
        return [(e, 0) for e in exposures]
    event = goal_spec[len("custom:") :] if goal_spec.startswith("custom:") else None
    rules = journey_lib.path_rules(db, site_id)
    goal = journey_lib.compile_pattern(goal_spec if event is None else "/")
    sessions = reports.sessions_of_visitors(db, sorted({e["visitor_id"] for e in exposures}))
    out = []
    horizon = OUTCOME_DAYS * 86_400_000
    for e in exposures:
        reached = 0
        for s in sessions.get(e["visitor_id"], []):
            if s["id"] == e["session_id"]:
                later = s["steps"][e["step_index"] :]
            elif e["ts"] < s["started"] <= e["ts"] + horizon:
                later = s["steps"]
            else:
                continue
            if event is not None:
                hit = event in s["custom"]
            else:
                hit = any(goal.match(rules.normalise(p)) for p in later)
            if hit:
                reached = 1
                break
        out.append((e, reached))
    return out


def lift(
    db: Database, site, rule: str, *, since: int | None = None, until: int | None = None
) -> dict:
    """Compare how often visitors shown RULE's action reached its journey's goal vs holdout.

    Returns each arm's rate with a 95% interval, the difference (lift, percentage points) with
    its 95% interval, and a verdict: ``helps`` or ``hurts`` when the interval excludes zero,
    ``no evidence`` otherwise. ``actions`` has one entry per action shown (a proactive rule's
    candidates): its goal rate, and its own lift and verdict against the rule's holdout.
    """
    site_id = getattr(site, "id", site)
    found = store.get_rule(db, site_id, rule)
    if found is None:
        raise NotFound(f"no rule named {rule!r}", {"rule": ["unknown rule"]})
    goal = goal_of(db, site_id, found)
    return {
        "rule": rule,
        "level": found["level"],
        "journey": found.get("journey"),
        "goal": goal,
        **compare(outcomes(db, site_id, rule, goal, since, until)),
    }


def compare(outcome: list[tuple[dict, int]]) -> dict:
    """Compare the arms of OUTCOME (``outcomes``' pairs): what ``lift`` reports of a rule.

    One computation for every holdout (rules' and interventions', ``cxlisten.intervention_lift``).
    """
    arms = {"shown": [0, 0], "holdout": [0, 0]}
    by_action: dict[str, list[int]] = {}
    for e, reached in outcome:
        arm = arms.setdefault(e["arm"], [0, 0])
        arm[0] += reached
        arm[1] += 1
        if e["arm"] == "shown":
            a = by_action.setdefault(e["action"], [0, 0])
            a[0] += reached
            a[1] += 1
    (s1, n1), (s0, n0) = arms["shown"], arms["holdout"]
    diff = stats.diff_of_proportions(s1, n1, s0, n0)
    base = s0 / n0 if n0 else None
    actions = []
    for action, (s, n) in sorted(by_action.items()):
        # The holdout saw nothing, whichever candidate it was drawn for, so every candidate is
        # measured against the whole holdout.
        action_diff = stats.diff_of_proportions(s, n, s0, n0)
        actions.append(
            {
                "action": action,
                **stats.wilson(s, n),
                "lift": action_diff,
                "verdict": _verdict(action_diff),
            }
        )
    return {
        "shown": stats.wilson(s1, n1),
        "holdout": stats.wilson(s0, n0),
        "lift": diff,
        "relative_lift": round(diff["value"] / base, 4)
        if base and diff["value"] is not None
        else None,
        "verdict": _verdict(diff),
        "actions": actions,
    }


def _verdict(diff: dict) -> str:
    """``helps``/``hurts`` when the 95% interval of the difference excludes zero."""
    if diff["value"] is None:
        return "not enough data"
    if diff["low"] > 0:
        return "helps"
    if diff["high"] < 0:
        return "hurts"
    return "no evidence"
