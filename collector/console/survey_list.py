"""The surveys list, its actions (pause, resume, archive, duplicate) and JSON download."""

from __future__ import annotations

from flask import Response, g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from cxlisten import surveys as survey_lib
from cxlisten.errors import NotFound
from cxlisten.surveys.drafts import file_text
from cxlisten.surveys.duplicate import duplicate_survey
from cxlisten.surveys.overview import survey_lines
from cxlisten.surveys.words import audience_words, repetition_words, trigger_words

ACTIONS = {"pause": "paused", "resume": "active", "archive": "archived"}


@bp.get("/surveys")
def surveys():
    """Every survey of the site with status, when and to whom in words, counts and a chart."""
    archived = request.args.get("archived") == "1"
    lines = survey_lines(deployment().db, current_site(), include_archived=archived)
    words = {
        line.survey.slug: {
            "trigger": trigger_words(line.survey.definition["trigger"], g.locale),
            "audience": audience_words(line.survey.definition, g.locale),
            "repetition": repetition_words(line.survey.definition["repetition"], g.locale),
        }
        for line in lines
    }
    return render(
        "surveys.html",
        lines=lines,
        words=words,
        archived=archived,
        done=request.args.get("done"),
    )


@bp.post("/surveys/<slug>/<action>")
def survey_action(slug: str, action: str):
    db, site = deployment().db, current_site()
    if action == "duplicate":
        copy = duplicate_survey(db, site, slug)
        done = t("action.done.duplicate", name=copy.slug)
    elif action in ACTIONS:
        changed = survey_lib.set_status(db, site, slug, ACTIONS[action], kind="survey")
        done = t(f"action.done.{changed.status}", name=changed.name or changed.slug)
    else:
        raise NotFound(f"no action {action!r}")
    return redirect(url_for("console.surveys", done=done))


@bp.get("/surveys/<slug>.json")
def download(slug: str):
    """The survey's current definition as its JSON file (surveys as code)."""
    survey = survey_lib.get_survey(deployment().db, current_site(), slug, kind="survey")
    response = Response(
        file_text(survey.definition), content_type="application/json; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{survey.slug}.json"'
    return response
