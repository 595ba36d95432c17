"""What each phase of the method turns on for a journey, and drafting its deep-dive.

A journey moves track → deep-dive → activate (``journeys.set_phase``). What it turns on is what
the engine gates on the phase: surveys and interventions tied to the journey (``"journey"`` in
their definition) serve only while it is in their ``phase``; rules tied to it act only while it
is in ``activate``. ``phase_contents`` lists them per phase; ``draft_deepdive`` turns
``deepdive.plan`` into a saved draft of the micro-survey (for the builder) and a paused "Need
more help?" intervention, so nothing reaches a visitor before someone publishes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cxlisten import activate, deepdive, surveys
from cxlisten.errors import NotFound
from cxlisten.journeys import PHASES
from cxlisten.storage.db import Database
from cxlisten.surveys import drafts

__all__ = ["DeepdiveDraft", "PhaseItem", "draft_deepdive", "phase_contents"]


@dataclass(frozen=True)
class PhaseItem:
    kind: str  # "survey", "intervention" or "rule"
    name: str  # id of the survey or intervention, name of the rule
    title: str
    status: str  # active, paused (surveys), enabled/disabled (rules)


@dataclass(frozen=True)
class DeepdiveDraft:
    survey: str
    intervention: str
    intervention_created: bool


def phase_contents(db: Database, site, journey: str) -> dict[str, list[PhaseItem]]:
    """Return, per phase, the surveys, interventions and rules it turns on for JOURNEY."""
    out: dict[str, list[PhaseItem]] = {phase: [] for phase in PHASES}
    for s in surveys.list_surveys(db, site):
        d = s.definition
        if d.get("journey") == journey and d.get("phase") in out:
            out[d["phase"]].append(PhaseItem(s.kind, s.slug, s.name or s.slug, s.status))
    for rule in activate.list_rules(db, site):
        if rule.journey == journey:
            status = "enabled" if rule.enabled else "disabled"
            out["activate"].append(PhaseItem("rule", rule.name, rule.description or "", status))
    return out


def draft_deepdive(db: Database, site, journey: str) -> DeepdiveDraft:
    """Draft JOURNEY's deep-dive: its micro-survey as a builder draft, its intervention paused."""
    proposal = deepdive.plan(db, site, journey)
    survey = {**proposal["survey"], "status": "paused"}
    drafts.save_draft(db, site, json.dumps(survey, ensure_ascii=False, indent=2))
    intervention = {**proposal["intervention"], "status": "paused"}
    created = False
    try:
        surveys.get_survey(db, site, intervention["id"], kind="intervention")
    except NotFound:  # not drafted before
        surveys.create_survey(db, site, intervention, kind="intervention")
        created = True
    return DeepdiveDraft(survey["id"], intervention["id"], created)
