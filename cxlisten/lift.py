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

import hashlib
import json
from collections.abc import Iterable

from cxlisten import journeys as journey_lib
from cxlisten import stats
from cxlisten.errors import NotFound
from cxlisten.storage import outcomes as outcome_store
from cxlisten.storage import rules as store
from cxlisten.storage.db import Database, DatabaseError

__all__ = [
    "OUTCOME_DAYS",
    "compare",
    "goal_of",
    "lift",
    "more_visitors_needed",
    "outcomes",
    "refresh_outcomes",
]

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
    # Read, never written here: proactive rules learn from this while a visitor's batch is
    # being stored, and the rule's lift page is what stores outcomes.
    inputs, _, found = _refresh(db, site_id, rule, goal_spec, since, until, keep=False)
    reached = outcome_store.stored_outcomes(db, site_id, rule, inputs) | found
    return [(e, reached.get((e["visitor_id"], e["session_id"]), 0)) for e in exposures]


def refresh_outcomes(db, site_id, rule: dict) -> int | None:
    """Work out and store the outcomes of RULE's exposures not stored or changed since (what its
    lift page would store on its next visit); return how many were worked out (None: RULE has
    no goal to measure)."""
    goal = goal_of(db, site_id, rule)
    if not goal:
        return None
    return len(_refresh(db, site_id, rule["name"], goal, None, None)[2])


def _inputs(goal_spec: str, rules) -> str:
    """A digest of what an outcome depends on besides the sessions: the goal, the path rules."""
    text = json.dumps([goal_spec, OUTCOME_DAYS, rules.as_dict()], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _refresh(db, site_id, rule, goal_spec, since, until, counts: bool = False, keep: bool = True):
    """Work out (and with KEEP store) the outcomes of RULE's exposures not stored or changed.

    Returns the inputs' digest, (with COUNTS) the stored outcomes still right counted by
    (arm, action, reached), and {(visitor, session): reached} of those worked out now. The
    visitor index counts the deciding sessions without reading them, so a lift reads the
    sessions that changed since it was last asked, not every exposed visitor's.
    """
    rules = journey_lib.path_rules(db, site_id)
    inputs = _inputs(goal_spec, rules)
    horizon = OUTCOME_DAYS * 86_400_000
    args = (db, site_id, rule, inputs, horizon, since, until)
    grouped = outcome_store.outcome_counts(*args) if counts else []
    if counts and all(reached is not None for _, _, reached, _ in grouped):
        return inputs, grouped, {}
    stale = outcome_store.stale_exposures(*args)
    found: dict[tuple[str, str], int] = {}
    if stale:
        wanted = {(v, sid): step for v, sid, _, _, step, _, _ in stale}
        visitors = sorted({v for v, _ in wanted}) if len(stale) < 1000 else None
        sessions = outcome_store.exposure_sessions(db, site_id, rule, horizon, visitors)
        hits = _work_out(rules, goal_spec, wanted, sessions)
        found = {key: int(key in hits) for key in wanted}
        if keep:
            rows = [(v, sid, n, ev, found[v, sid]) for v, sid, _, _, _, n, ev in stale]
            try:
                outcome_store.save_outcomes(db, site_id, rule, inputs, rows)
            except DatabaseError:  # a busy or read-only database: the figures stand all the same
                pass
    if counts:
        arms = {(v, sid): (arm, action) for v, sid, arm, action, *_ in stale}
        grouped = [row for row in grouped if row[2] is not None]
        grouped += [(*arms[key], reached, 1) for key, reached in found.items()]
    return inputs, grouped, found


def _work_out(rules, goal_spec, wanted: dict, sessions) -> set[tuple[str, str]]:
    """Return which WANTED {(visitor, session): step index} exposures reached GOAL_SPEC.

    What a list of steps says about the goal is worked out once per distinct list: the last
    step matching it.
    """
    event = goal_spec[len("custom:") :] if goal_spec.startswith("custom:") else None
    goal = journey_lib.compile_pattern(goal_spec if event is None else "/")
    matches: dict[str, bool] = {}
    last_goal: dict[str, int] = {}

    def last_match(steps_json: str) -> int:
        found = last_goal.get(steps_json)
        if found is None:
            found = -1
            for i, path in enumerate(json.loads(steps_json)):
                hit = matches.get(path)
                if hit is None:
                    hit = matches[path] = bool(goal.match(rules.normalise(path)))
                if hit:
                    found = i
            last_goal[steps_json] = found
        return found

    out: set[tuple[str, str]] = set()
    for visitor, exposed_in, session, steps, custom in sessions:
        key = (visitor, exposed_in)
        if key in out or key not in wanted:
            continue
        if event is not None:
            hit = event in json.loads(custom)
        elif session == exposed_in:
            hit = last_match(steps) >= wanted[key]
        else:
            hit = last_match(steps) >= 0
        if hit:
            out.add(key)
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
        **compare(_counts(db, site_id, rule, goal, since, until)),
    }


def compare(counts: Iterable[tuple[str, str, int, int]]) -> dict:
    """Compare the arms of COUNTS, (arm, action, reached 0/1, exposures): what ``lift`` reports
    of a rule.

    One computation for every holdout (rules' and interventions', ``cxlisten.intervention_lift``).
    """
    arms = {"shown": [0, 0], "holdout": [0, 0]}
    by_action: dict[str, list[int]] = {}
    for arm_name, action, reached, n in counts:
        arm = arms.setdefault(arm_name, [0, 0])
        arm[0] += reached * n
        arm[1] += n
        if arm_name == "shown":
            a = by_action.setdefault(action, [0, 0])
            a[0] += reached * n
            a[1] += n
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


def _counts(db, site_id, rule, goal, since, until) -> list[tuple[str, str, int, int]]:
    """Return (arm, action, reached 0/1, exposures) of RULE's exposures in [SINCE, UNTIL)."""
    if goal:
        return _refresh(db, site_id, rule, goal, since, until, counts=True)[1]
    exposures = store.exposures(db, site_id, rule, since, until)
    return [(e["arm"], e["action"], 0, 1) for e in exposures]


def more_visitors_needed(verdict: str, diff: dict, n1: int, n0: int) -> int | None:
    """Return about how many more visitors per group a verdict still open needs, or None.

    "not enough data": until each group has 30. "no evidence": keeping the observed rates, the
    group size at which the 95% interval of the difference (its half-width shrinks as 1/√n)
    would exclude zero. None once the verdict is settled (helps, hurts) or the rates are equal.
    """
    if verdict == "not enough data":
        return max(0, 30 - min(n1, n0))
    if verdict != "no evidence" or not diff["value"]:
        return None
    half = (diff["high"] - diff["low"]) / 2
    factor = (half / abs(diff["value"])) ** 2
    return max(0, round(min(n1, n0) * factor) - min(n1, n0))


def _verdict(diff: dict) -> str:
    """``helps``/``hurts`` when the 95% interval of the difference excludes zero."""
    if diff["value"] is None:
        return "not enough data"
    if diff["low"] > 0:
        return "helps"
    if diff["high"] < 0:
        return "hurts"
    return "no evidence"
