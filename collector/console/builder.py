"""The survey builder: a survey's JSON (the same file as in git), checked as it is typed by the
engine's own ``normalise``, saved as a draft, previewed, and published like the API publishes."""

from __future__ import annotations

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from cxlisten.errors import InvalidInput
from cxlisten.journeys import list_journeys
from cxlisten.surveys import drafts
from cxlisten.surveys.words import audience_words, repetition_words, trigger_words

MAX_UPLOAD = 200_000


def _words(checked: drafts.Checked) -> dict | None:
    d = checked.definition
    if d is None:
        return None
    return {
        "trigger": trigger_words(d["trigger"], g.locale),
        "audience": audience_words(d, g.locale),
        "repetition": repetition_words(d["repetition"], g.locale),
    }


def _page(checked: drafts.Checked, status: int = 200, **extra):
    db = deployment().db
    site = current_site()
    return render(
        "builder.html",
        status,
        checked=checked,
        words=_words(checked),
        new_version=drafts.new_version_if_published(db, checked),
        templates=drafts.FAILURE_KINDS,
        journeys=[j.name for j in list_journeys(db, site.id)],
        **extra,
    )


def _posted_text() -> str:
    upload = request.files.get("file")
    if upload and upload.filename:
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise InvalidInput("file too large", {"file": [f"at most {MAX_UPLOAD} bytes"]})
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("not a UTF-8 file", {"file": ["a JSON file in UTF-8"]}) from None
    return request.form.get("text", "")


@bp.get("/builder")
def builder_new():
    """Start from a blank survey, a deep-dive template or `deepdive plan` for a journey."""
    start = request.args.get("start", "blank")
    db, site = deployment().db, current_site()
    if start.startswith("template:"):
        text = drafts.from_template(start.removeprefix("template:"))
    elif start.startswith("plan:"):
        text = drafts.from_plan(db, site, start.removeprefix("plan:"))
    else:
        text = drafts.blank()
    return _page(drafts.Checked(text, *drafts.check(text)), fresh=True)


@bp.get("/surveys/<slug>/edit")
def builder_edit(slug: str):
    return _page(drafts.open_draft(deployment().db, current_site(), slug))


@bp.post("/builder/check")
def builder_check():
    """The checks and words for the posted text, as a fragment (htmx swaps it in as one types)."""
    db, site = deployment().db, current_site()
    text = _posted_text()
    raw, definition, errors = drafts.check(text)
    checked = drafts.Checked(text, raw, definition, errors)
    slug = checked.slug
    if slug:
        from cxlisten.storage import surveys as survey_store

        live = survey_store.get_survey(db, site.id, slug)
        checked = drafts.Checked(text, raw, definition, errors, live)
    return render(
        "_checks.html",
        checked=checked,
        words=_words(checked),
        new_version=drafts.new_version_if_published(db, checked),
    )


@bp.post("/builder")
def builder_save():
    """Save the draft, or publish it (``action=publish``); either way every error is listed."""
    db, site = deployment().db, current_site()
    text = _posted_text()
    if request.form.get("action") == "publish":
        raw, definition, errors = drafts.check(text)
        if errors:
            return _page(drafts.Checked(text, raw, definition, errors), 400)
        survey, what = drafts.publish(db, site, text)
        notice = t(f"builder.published.{what}", id=survey.slug, version=survey.version)
        return redirect(url_for("console.builder_edit", slug=survey.slug, done=notice))
    try:
        checked = drafts.save_draft(db, site, text, of=request.form.get("draft_of") or None)
    except InvalidInput as exc:
        raw, definition, errors = drafts.check(text)
        return _page(drafts.Checked(text, raw, definition, exc.fields), 400)
    return _page(checked, saved=True)
