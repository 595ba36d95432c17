"""Holdouts of interventions ("Need more help?", banners, chat offers) and their lift.

An intervention with ``"holdout": P`` keeps P percent of the visitors it would be shown to — the
eligible ones, whom every other targeting rule let through — from seeing it (a stable draw per
visitor, or per customer: ``cxlisten.surveys.targeting``). When ``GET /v1/config`` decides, both
groups are recorded, once per visitor and session, as exposures named ``intervention:ID``
(``record``): the shown group when the intervention is served, the holdout when it is held back.
As for rules, the shown group counts everyone it was served to, whether or not its trigger (a
dwell, an exit intent) then fired in the page, so that both groups are drawn alike.

``lift`` measures how often each group went on to reach the intervention's ``goal`` (a page
pattern or ``custom:EVENT``; default: the goal of its journey) with ``cxlisten.lift``: the same
outcomes, intervals and verdicts as a rule's lift. Each visitor counts once, from the first time
they were eligible (a held-back visitor stays eligible on later visits, where one shown it may
have had enough of it).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from cxlisten import journeys as journey_lib
from cxlisten.errors import NotFound
from cxlisten.lift import compare, outcomes
from cxlisten.storage import rules as exposure_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.surveys.targeting import Targeting

__all__ = ["PREFIX", "arms_of", "exposure_name", "goal_of", "lift", "record", "with_holdout"]

PREFIX = "intervention:"  # exposures of interventions share the rules' table under this prefix


def exposure_name(slug: str) -> str:
    """Return the name INTERVENTION's exposures are recorded under."""
    return PREFIX + slug


def arms_of(result: Targeting) -> list[tuple[object, str]]:
    """Return (intervention, arm) of each intervention this visitor is eligible for with a
    holdout: its last rule is the holdout draw and every rule before it let it through."""
    found = []
    for decision in result.decisions:
        rules = decision.rules
        if decision.survey.kind != "intervention" or not rules or rules[-1].rule != "holdout":
            continue
        if all(r.ok for r in rules[:-1]):
            found.append((decision.survey, "shown" if rules[-1].ok else "holdout"))
    return found


def record(db: Database, site_id: int, visitor_id: str, url: str, result: Targeting, now: int):
    """Record both groups of every intervention with a holdout this visitor is eligible for.

    Once per visitor, intervention and session; reads first, so a reload writes nothing.
    """
    arms = arms_of(result)
    if not arms or not visitor_id:
        return
    session = result.session or {}
    session_id = session.get("id") or "-"
    names = [exposure_name(s.slug) for s, _ in arms]
    done = exposure_store.recorded(db, site_id, visitor_id, session_id, names)
    steps = list(session.get("steps") or [])
    path = urlsplit(url).path or "/"
    step_index = len(steps) - 1 if steps and steps[-1] == path else len(steps)
    rows = [
        {
            "site_id": site_id,
            "rule": exposure_name(survey.slug),
            "action": survey.slug,
            "arm": arm,
            "visitor_id": visitor_id,
            "session_id": session_id,
            "journey": survey.definition.get("journey"),
            "segment": session.get("device") or "",
            "step_index": max(step_index, 0),
            "ts": now,
        }
        for survey, arm in arms
        if exposure_name(survey.slug) not in done
    ]
    if rows:
        exposure_store.record_exposures(db, rows)


def goal_of(db: Database, site_id: int, definition: dict) -> str | None:
    """Return what an intervention's lift is measured on: its goal, else its journey's goal."""
    if definition.get("goal"):
        return definition["goal"]
    if definition.get("journey"):
        try:
            return journey_lib.get_journey(db, site_id, definition["journey"]).goal
        except NotFound:
            return None
    return None


def lift(
    db: Database, site, intervention: str, *, since: int | None = None, until: int | None = None
) -> dict:
    """Compare how often visitors shown INTERVENTION reached its goal vs its holdout.

    The shape of ``cxlisten.lift.lift`` (each group's rate with its 95% interval, the difference
    with its interval, the verdict), with ``intervention``, ``holdout_percent`` and ``goal``.
    """
    site_id = getattr(site, "id", site)
    found = survey_store.get_survey(db, site_id, intervention)
    if found is None or found.kind != "intervention":
        raise NotFound(
            f"no intervention {intervention!r}", {"intervention": ["unknown intervention"]}
        )
    definition = found.definition
    goal = goal_of(db, site_id, definition)
    # Each visitor counts once, from the first time they were eligible: a held-back visitor stays
    # eligible on later visits (nothing was shown, so repetition never stops them) while one
    # shown it may not be, and later exposures would weigh the two groups differently.
    first: dict[str, tuple[dict, int]] = {}
    for exposure, reached in outcomes(db, site_id, exposure_name(found.slug), goal, since, until):
        first.setdefault(exposure["visitor_id"], (exposure, reached))
    measured = compare((e["arm"], e["action"], reached, 1) for e, reached in first.values())
    return {
        "intervention": found.slug,
        "rule": exposure_name(found.slug),
        "level": "intervention",
        "journey": definition.get("journey"),
        "holdout_percent": definition.get("holdout") or 0,
        "goal": goal,
        **measured,
    }


def with_holdout(db: Database, site) -> list[str]:
    """Return the ids of the site's interventions (not archived) that keep a holdout."""
    site_id = getattr(site, "id", site)
    return [
        s.slug
        for s in survey_store.list_surveys(db, site_id, statuses=("active", "paused"))
        if s.kind == "intervention" and (s.definition.get("holdout") or 0) > 0
    ]
