"""Surveys edited in the console: drafts kept apart from what visitors see, checked by the same
``normalise`` as the admin API and survey files, and published through ``save_survey``.

A draft is the survey's JSON text as typed (so half-finished work survives a reload); publishing
it is exactly what ``PUT /api/surveys/<id>`` and ``cxlisten surveys load`` do: a new version when
the current one has responses, the same version otherwise.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass

from cxlisten.deepdive_templates import FAILURE_KINDS, TEMPLATES, en_zh
from cxlisten.errors import InvalidInput, NotFound
from cxlisten.schemas import safejson
from cxlisten.storage import drafts as store
from cxlisten.storage import responses as response_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.storage.surveys import Survey
from cxlisten.surveys import catalogue
from cxlisten.surveys.definitions import normalise

__all__ = [
    "FAILURE_KINDS",
    "Checked",
    "as_file",
    "file_text",
    "blank",
    "check",
    "discard_draft",
    "draft_summary",
    "get_draft",
    "publish_draft",
    "save_definition_draft",
    "from_plan",
    "from_template",
    "new_version_if_published",
    "open_draft",
    "publish",
    "save_draft",
]

MAX_TEXT = 200_000


@dataclass(frozen=True)
class Checked:
    """A survey's JSON text and what the engine makes of it."""

    text: str
    raw: dict | None  # the parsed object, if the text is a JSON object
    definition: dict | None  # normalised, if valid
    errors: dict[str, list[str]]
    published: Survey | None = None  # the live survey with this id, if any
    saved_at: int | None = None  # when the draft was saved, if there is one

    @property
    def slug(self) -> str | None:
        value = (self.raw or {}).get("id")
        return value if isinstance(value, str) else None


def as_file(definition: dict) -> dict:
    """Return a stored (normalised) definition as a survey file that loads back to the same.

    The engine fills ``repetition.times`` for every mode; as input it is only for ``times``.
    """
    out = copy.deepcopy(definition)
    repetition = out.get("repetition") or {}
    if repetition.get("mode") != "times":
        repetition.pop("times", None)
    return out


def file_text(definition: dict) -> str:
    """Return DEFINITION as the text of its JSON file (UTF-8, Chinese as written)."""
    return json.dumps(as_file(definition), ensure_ascii=False, indent=2) + "\n"


_dumps = file_text


def check(text: str) -> tuple[dict | None, dict | None, dict[str, list[str]]]:
    """Return (parsed object, normalised definition, errors by field path) for TEXT."""
    if len(text) > MAX_TEXT:
        return None, None, {"_json": [f"longer than {MAX_TEXT} characters"]}
    try:
        raw = safejson.loads(text)  # as over HTTP: no NaN, bounded depth, no lone surrogate
    except ValueError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: " if hasattr(exc, "lineno") else ""
        return None, None, {"_json": [f"{where}{getattr(exc, 'msg', exc)}"]}
    if not isinstance(raw, dict):
        return None, None, {"_json": ["must be a JSON object: { ... }"]}
    try:
        return raw, normalise(raw, "survey"), {}
    except InvalidInput as exc:
        return raw, None, exc.fields


def _checked(db: Database, site: Site, text: str, saved_at: int | None = None) -> Checked:
    raw, definition, errors = check(text)
    slug = (raw or {}).get("id")
    live = survey_store.get_survey(db, site.id, slug) if isinstance(slug, str) else None
    return Checked(text, raw, definition, errors, live, saved_at)


def new_version_if_published(db: Database, checked: Checked) -> bool:
    """Whether publishing a change to CHECKED makes a new version: its live version has
    responses (``update_survey`` then keeps that version as it was answered)."""
    live = checked.published
    return live is not None and response_store.has_responses(db, live.id, live.version)


def open_draft(db: Database, site: Site, slug: str) -> Checked:
    """Return the draft of SLUG if one is saved, else its live definition."""
    found = store.get_draft(db, site.id, slug)
    if found:
        return _checked(db, site, found[0], found[1])
    live = catalogue.get_survey(db, site, slug, kind="survey")
    return _checked(db, site, _dumps(live.definition))


def save_draft(
    db: Database, site: Site, text: str, *, of: str | None = None, now: int | None = None
) -> Checked:
    """Keep TEXT as the draft of the survey it names (checked, but kept even if invalid); text
    that does not parse yet is kept as the draft of OF, the survey being edited."""
    checked = _checked(db, site, text)
    slug = checked.slug or of
    if slug is None or not 1 <= len(slug) <= 64:
        errors = {"id": ["a draft needs an id (lower-case letters, digits, - and _)"]}
        raise InvalidInput("a draft needs an id", {**errors, **checked.errors})
    at = now if now is not None else int(time.time() * 1000)
    store.save_draft(db, site.id, slug, text, at)
    saved = _checked(db, site, text, at)
    if saved.published is None and checked.slug is None:
        live = survey_store.get_survey(db, site.id, slug)
        saved = Checked(text, saved.raw, saved.definition, saved.errors, live, at)
    return saved


def publish(db: Database, site: Site, text: str) -> tuple[Survey, str]:
    """Publish TEXT as ``save_survey`` does and drop its draft; return the survey and what
    happened ("created", "updated" or "unchanged")."""
    raw, definition, errors = check(text)
    if errors:
        raise InvalidInput("invalid survey definition", errors)
    survey, what = catalogue.save_survey(db, site, raw)
    store.delete_draft(db, site.id, survey.slug)
    return survey, what


def blank() -> str:
    """A new one-question survey to start from."""
    return _dumps(
        {
            "id": "new-survey",
            "name": "New survey",
            "phase": "track",
            "trigger": {"type": "pageview", "urls": ["/*"]},
            "audience": {"sample": 100},
            "repetition": {"mode": "once"},
            "default_locale": "en",
            "locales": ["en", "zh-CN"],
            "status": "paused",
            "questions": [
                {
                    "id": "score",
                    "type": "nps",
                    "text": en_zh(
                        "How likely are you to recommend us to a friend?",
                        "您向朋友推荐我们的可能性有多大？",
                    ),
                }
            ],
        }
    )


def from_template(kind: str) -> str:
    """A deep-dive micro-survey from the template for failure KIND (as ``deepdive plan`` uses)."""
    if kind not in TEMPLATES:
        raise InvalidInput("invalid template", {"template": [f"one of {', '.join(FAILURE_KINDS)}"]})
    template = TEMPLATES[kind]
    trigger: dict = {"type": template["trigger"], "urls": ["/*"]}
    if template["trigger"] == "dwell":
        trigger["seconds"] = 45
    questions = json.loads(json.dumps(template["questions"]).replace("{title}", "this step"))
    return _dumps(
        {
            "id": kind.replace("_", "-"),
            "name": kind.replace("_", " ").capitalize(),
            "phase": "deepdive",
            "trigger": trigger,
            "default_locale": "en",
            "locales": ["en", "zh-CN"],
            "status": "paused",
            "texts": {"title": copy.deepcopy(template["title"])},
            "questions": questions,
        }
    )


def from_plan(db: Database, site: Site, journey: str) -> str:
    """The micro-survey ``cxlisten deepdive plan JOURNEY`` proposes, paused until published."""
    from cxlisten import deepdive  # diagnosis is heavy: imported when a plan is asked for

    survey = deepdive.plan(db, site, journey)["survey"]
    return _dumps({**survey, "status": "paused"})


# --- the same drafts for the admin API and the CLI ------------------------------------------


def get_draft(db: Database, site: Site, slug: str) -> Checked:
    """Return the saved draft of SLUG, checked; NotFound if none is saved."""
    found = store.get_draft(db, site.id, slug)
    if not found:
        raise NotFound(f"no draft of {slug!r} on this site", {"survey": ["no saved draft"]})
    return _checked(db, site, found[0], found[1])


def save_definition_draft(
    db: Database, site: Site, slug: str, definition: dict, *, now: int | None = None
) -> Checked:
    """Keep DEFINITION (a survey file's object) as the draft of SLUG: what visitors see stays
    as published until the draft is published. Its ``id``, if given, must be SLUG."""
    given = definition.get("id", slug)
    if given != slug:
        raise InvalidInput("the draft names another survey", {"id": [f"must be {slug!r}"]})
    return save_draft(db, site, file_text({**definition, "id": slug}), of=slug, now=now)


def publish_draft(db: Database, site: Site, slug: str) -> tuple[Survey, str]:
    """Publish the saved draft of SLUG as ``publish`` does (every error listed if invalid)."""
    return publish(db, site, get_draft(db, site, slug).text)


def discard_draft(db: Database, site: Site, slug: str) -> None:
    """Drop the saved draft of SLUG (NotFound if none); the published survey is untouched."""
    get_draft(db, site, slug)
    store.delete_draft(db, site.id, slug)


def draft_summary(checked: Checked) -> dict:
    """A draft as the admin API and ``cxlisten surveys draft show --json`` give it."""
    return {
        "id": checked.slug,
        "saved_at": checked.saved_at,
        "valid": not checked.errors,
        "errors": checked.errors,
        "published_version": checked.published.version if checked.published else None,
        "text": checked.text,
    }
