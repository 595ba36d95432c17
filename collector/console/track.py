"""Track & diagnose: the common and problematic journeys, each named journey's funnel and phase,
and "Plan a deep-dive"; and the deep-dive page of a journey (its surveys' top reasons)."""

from __future__ import annotations

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from collector.console.home import chosen_window
from cxlisten import deepdive, journey_phases, journeys, site_overview, surveys
from cxlisten.console_cache import fresh
from cxlisten.journeys import PHASES
from cxlisten.results import Message

SIGNALS = ("drop", "dwell", "help", "loops", "pulse", "frustration", "slow", "shallow")


@bp.get("/track")
def track_page():
    """Common journeys, problematic ones with their score by signal, funnels and phases."""
    w, errors = chosen_window()
    db, site = deployment().db, current_site()
    cached = site_overview.diagnosis(db, site, w.since, w.until)
    found = cached.value
    return render(
        "track.html",
        400 if errors else 200,
        d=found,
        computed_at=cached.computed_at,
        phase_of={j.name: j.phase for j in journeys.list_journeys(db, site.id)},
        w=w,
        errors=errors,
        wanted=request.args,
        choices=site_overview.CHOICES,
        signals=SIGNALS,
        phases=PHASES,
        contents={j.name: journey_phases.phase_contents(db, site, j.name) for j in found.journeys},
        done=request.args.get("done"),
    )


@bp.post("/track/<name>/phase")
def set_phase(name: str):
    """Move a journey to another phase (what it turns on follows at once)."""
    phase = journeys.set_phase(deployment().db, current_site().id, name, request.form.get("phase"))
    done = t("track.phase.done", journey=name, phase=t(f"phase.{phase}"))
    return redirect(url_for("console.track_page", done=done, _anchor=f"journey-{name}"), 303)


@bp.post("/track/<name>/plan")
def plan_deepdive(name: str):
    """Draft the journey's micro-survey into the builder and its "Need more help?" (paused)."""
    drafted = journey_phases.draft_deepdive(deployment().db, current_site(), name)
    done = t("track.plan.done", survey=drafted.survey, intervention=drafted.intervention)
    return redirect(url_for("console.builder_edit", slug=drafted.survey, done=done), 303)


@bp.get("/deepdive/<name>")
def deepdive_page(name: str):
    """A journey's deep-dive: each of its surveys with the top reasons, ready for a ticket."""
    db, site = deployment().db, current_site()
    journey = journeys.get_journey(db, site.id, name)
    mine = [
        s
        for s in surveys.list_surveys(db, site, kind="survey", include_archived=True)
        if s.definition.get("journey") == name
    ]
    reports = [
        (
            s,
            fresh(
                db,
                ("deepdive", site.id, s.slug, s.version),
                lambda s=s: deepdive.report(db, site, s.slug),
            ).value,
        )
        for s in mine
    ]
    return render("deepdive.html", journey=journey, reports=reports)


@bp.app_template_filter("said")
def _said(text: str) -> str:
    """A sentence the library worded (a ``Message``) in the page's locale; other text as is."""
    return text.say(g.locale) if isinstance(text, Message) else text
