"""The survey builder: a form with a field per part of the survey (``builder_form``), or, as
the advanced view, its JSON (the same file as in git). Either is checked by the engine's own
``normalise``, saved as a draft, previewed, and published as the API publishes."""

from __future__ import annotations

import json

from flask import g, redirect, request, url_for

from collector.browser import deployment
from collector.console import bp, current_site, render, t
from collector.console.builder_form import FieldErrors, definition_of, field_id, fields_of
from collector.console.builder_ops import apply
from cxlisten.errors import InvalidInput
from cxlisten.journeys import list_journeys
from cxlisten.schemas.surveys import FRUSTRATION_SIGNALS, TRIGGER_TYPES
from cxlisten.surveys import drafts
from cxlisten.surveys.words import audience_words, repetition_words, trigger_words
from cxlisten.vitals import METRICS

MAX_UPLOAD = 200_000


def _words(checked: drafts.Checked) -> dict | None:
    """The trigger, audience and repetition in words: of the survey if it is valid, else of
    each part that is (so they follow the edit while another part still has an error)."""
    d = checked.definition
    if d is not None:
        return {
            "trigger": trigger_words(d["trigger"], g.locale),
            "audience": audience_words(d, g.locale),
            "repetition": repetition_words(d["repetition"], g.locale),
        }
    if not isinstance(checked.raw, dict):
        return None
    out: dict[str, str | None] = {}
    for part, words in (
        ("trigger", lambda x: trigger_words(x["trigger"], g.locale)),
        ("audience", lambda x: audience_words(x, g.locale)),
        ("repetition", lambda x: repetition_words(x["repetition"], g.locale)),
    ):
        skeleton = json.loads(drafts.blank())  # valid everywhere but in the part tried
        if part in checked.raw:
            skeleton[part] = checked.raw[part]
        _, alone, errors = drafts.check(json.dumps(skeleton))
        out[part] = words(alone) if alone is not None and not errors else None
    return out if any(out.values()) else None


QUESTION_TYPES = ("nps", "csat", "ces", "rating", "single", "multi", "text")


def _json_view() -> bool:
    return request.args.get("view") == "json"


def _page(checked: drafts.Checked, status: int = 200, **extra):
    db = deployment().db
    site = current_site()
    # Text that is not a JSON object yet (a half-typed draft) has no fields: it stays as text.
    if not _json_view() and checked.raw is not None:
        return _form_page(checked, status, **extra)
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


def _form_page(
    checked: drafts.Checked,
    status: int = 200,
    *,
    raw: dict | None = None,
    errors: dict | None = None,
    focus: str | None = None,
    show_errors: bool = False,
    **extra,
):
    """The builder as a form; RAW (default: the checked text's object) fills its fields and
    ERRORS (default: the engine's) are shown next to them."""
    db, site = deployment().db, current_site()
    slug = checked.slug or (checked.published.slug if checked.published else None)
    args = {"view": "json"}
    if extra.get("fresh"):
        target = url_for("console.builder_new", **args, start=request.args.get("start", "blank"))
    elif slug:
        target = url_for("console.builder_edit", slug=slug, **args)
    else:
        target = url_for("console.builder_new", **args)
    return render(
        "builder_form.html",
        status,
        checked=checked,
        form=fields_of(raw if raw is not None else checked.raw),
        errs=FieldErrors(checked.errors if errors is None else errors),
        fid=field_id,
        focus=focus,
        show_errors=show_errors,
        slug=slug,
        json_url=target,
        types=[(q, t(f"builder.form.qtype.{q}")) for q in QUESTION_TYPES],
        triggers=[(k, t(f"builder.form.on.{k}")) for k in TRIGGER_TYPES],
        signals=[(k, t(f"builder.form.signal.{k}")) for k in FRUSTRATION_SIGNALS],
        metrics=[(k, k.upper()) for k in METRICS],
        words=_words(checked),
        new_version=drafts.new_version_if_published(db, checked),
        templates=drafts.FAILURE_KINDS,
        journeys=[j.name for j in list_journeys(db, site.id)],
        **extra,
    )


def _form_checked(text: str) -> drafts.Checked:
    from cxlisten.storage import surveys as survey_store

    raw, definition, errors = drafts.check(text)
    slug = (raw or {}).get("id")
    live = None
    if isinstance(slug, str):
        live = survey_store.get_survey(deployment().db, current_site().id, slug)
    return drafts.Checked(text, raw, definition, errors, live)


def _form_text(raw: dict) -> str:
    return json.dumps(raw, ensure_ascii=False, indent=2) + "\n"


@bp.post("/builder/form")
def builder_form_post():
    """The form posted: add, remove or move a part (``op``), check, save a draft or publish."""
    db, site = deployment().db, current_site()
    raw, form_errors = definition_of(request.form)
    op = request.form.get("op")
    if op:
        applied = apply(raw, op)
        checked = _form_checked(_form_text(applied.raw))
        if applied.errors:  # a part that is not there, or an action the form has no button for
            errors = {**applied.errors, **checked.errors}
            return _form_page(checked, 400, raw=applied.raw, errors=errors, show_errors=True)
        return _form_page(checked, raw=applied.raw, focus=applied.focus)
    text = _form_text(raw)
    action = request.form.get("action", "check")
    checked = _form_checked(text)
    if form_errors:
        errors = {**form_errors, **checked.errors}
        return _form_page(checked, 400, raw=raw, errors=errors, show_errors=True)
    if action == "publish":
        if checked.errors:
            return _form_page(checked, 400, raw=raw, show_errors=True)
        survey, what = drafts.publish(db, site, text)
        notice = t(f"builder.published.{what}", id=survey.slug, version=survey.version)
        return redirect(url_for("console.builder_edit", slug=survey.slug, done=notice))
    if action == "save":
        try:
            saved = drafts.save_draft(db, site, text, of=request.form.get("draft_of") or None)
        except InvalidInput as exc:
            return _form_page(checked, 400, raw=raw, errors=exc.fields, show_errors=True)
        return _form_page(saved, raw=raw, saved=True, show_errors=True)
    return _form_page(checked, 400 if checked.errors else 200, raw=raw, show_errors=True)


@bp.post("/builder/form/check")
def builder_check_form():
    """The checks and words for the posted form, as a fragment (htmx swaps it in on change)."""
    raw, form_errors = definition_of(request.form)
    checked = _form_checked(_form_text(raw))
    if form_errors:
        checked = drafts.Checked(checked.text, raw, None, {**form_errors, **checked.errors})
    return render(
        "_checks.html",
        checked=checked,
        words=_words(checked),
        new_version=drafts.new_version_if_published(deployment().db, checked),
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
        view = {"view": "json"} if _json_view() else {}
        return redirect(url_for("console.builder_edit", slug=survey.slug, done=notice, **view))
    try:
        checked = drafts.save_draft(db, site, text, of=request.form.get("draft_of") or None)
    except InvalidInput as exc:
        raw, definition, errors = drafts.check(text)
        return _page(drafts.Checked(text, raw, definition, exc.fields), 400)
    return _page(checked, saved=True)
