"""Create, change and read a site's surveys and interventions.

Editing a definition that has responses makes a new version; every response keeps the version it
answered. Without responses yet, the current version is changed in place.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from cxlisten.errors import InvalidInput, NotFound
from cxlisten.files import read_json_file
from cxlisten.schemas.surveys import STATUSES
from cxlisten.settings import load_settings
from cxlisten.storage import responses as response_store
from cxlisten.storage import surveys as store
from cxlisten.storage import transaction
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.storage.surveys import Survey
from cxlisten.surveys.definitions import normalise

__all__ = [
    "Survey",
    "archive",
    "create_survey",
    "get_survey",
    "list_surveys",
    "load_directory",
    "load_survey_file",
    "pause",
    "read_definition_file",
    "response_counts",
    "response_counts_of",
    "resume",
    "save_survey",
    "set_status",
    "update_survey",
]


def _now() -> int:
    return int(time.time() * 1000)


def link_origins(site: Site) -> list[str]:
    """Return where the site's links may point: its own origins and the ``link_origins`` setting."""
    return [*site.origins, *load_settings().link_origins]


def create_survey(db: Database, site: Site, raw: dict, *, kind: str | None = None) -> Survey:
    """Validate RAW and store it as a new survey or intervention at version 1."""
    definition = normalise(raw, kind, link_origins=link_origins(site))
    status = raw.get("status", "active") if isinstance(raw, dict) else "active"
    with transaction(db):
        if store.get_survey(db, site.id, definition["id"]) is not None:
            raise InvalidInput(
                f"{definition['id']!r} exists already",
                {"id": ["a survey or intervention with this id exists: update it instead"]},
            )
        store.insert_survey(db, site.id, definition, status, _now())
    return store.get_survey(db, site.id, definition["id"])


def update_survey(
    db: Database, site: Site, slug: str, raw: dict, *, kind: str | None = None
) -> Survey:
    """Replace the definition of SLUG; a new version if the current one has responses."""
    survey = get_survey(db, site, slug)
    definition = normalise(raw, kind or survey.kind, link_origins=link_origins(site))
    if definition["id"] != slug:
        raise InvalidInput("the id cannot change", {"id": [f"must stay {slug!r}"]})
    if definition["kind"] != survey.kind:
        raise InvalidInput("the kind cannot change", {"kind": [f"must stay {survey.kind!r}"]})
    with transaction(db):
        current = store.get_survey(db, site.id, slug)
        if current.definition != definition:
            new = response_store.has_responses(db, current.id, current.version)
            version = current.version + 1 if new else current.version
            store.save_version(db, current.id, version, definition, _now(), new=new)
        status = raw.get("status") if isinstance(raw, dict) else None
        if status and status != current.status:
            store.set_status(db, current.id, status, _now())
    return store.get_survey(db, site.id, slug)


def save_survey(db: Database, site: Site, raw: dict) -> tuple[Survey, str]:
    """Create RAW's survey or update it; return it and "created", "updated" or "unchanged"."""
    slug = raw.get("id") if isinstance(raw, dict) else None
    existing = store.get_survey(db, site.id, slug) if isinstance(slug, str) else None
    if existing is None:
        return create_survey(db, site, raw), "created"
    survey = update_survey(db, site, slug, raw)
    changed = (survey.version, survey.definition, survey.status) != (
        existing.version,
        existing.definition,
        existing.status,
    )
    return survey, "updated" if changed else "unchanged"


def get_survey(db: Database, site: Site, slug: str, *, kind: str | None = None) -> Survey:
    """Return survey SLUG of SITE, or raise NotFound."""
    survey = store.get_survey(db, site.id, slug)
    if survey is None or (kind and survey.kind != kind):
        what = kind or "survey or intervention"
        raise NotFound(f"no {what} {slug!r} on this site")
    return survey


def list_surveys(
    db: Database, site: Site, *, kind: str | None = None, include_archived: bool = False
) -> list[Survey]:
    """Return the site's surveys (and interventions), highest priority first."""
    statuses = None if include_archived else ("active", "paused")
    return store.list_surveys(db, site.id, kind=kind, statuses=statuses)


def set_status(
    db: Database, site: Site, slug: str, status: str, *, kind: str | None = None
) -> Survey:
    """Make SLUG active, paused or archived."""
    if status not in STATUSES:
        raise InvalidInput("invalid status", {"status": [f"one of {', '.join(STATUSES)}"]})
    survey = get_survey(db, site, slug, kind=kind)
    with transaction(db):
        store.set_status(db, survey.id, status, _now())
    return get_survey(db, site, slug)


def pause(db: Database, site: Site, slug: str, **kw) -> Survey:
    return set_status(db, site, slug, "paused", **kw)


def resume(db: Database, site: Site, slug: str, **kw) -> Survey:
    return set_status(db, site, slug, "active", **kw)


def archive(db: Database, site: Site, slug: str, **kw) -> Survey:
    return set_status(db, site, slug, "archived", **kw)


def definition_of(db: Database, survey: Survey, version: int | None = None) -> dict:
    """Return the definition of VERSION (default: current), or raise NotFound."""
    if version is None or version == survey.version:
        return survey.definition
    definition = store.get_version(db, survey.id, version)
    if definition is None:
        raise NotFound(f"{survey.slug!r} has no version {version}")
    return definition


def versions(db: Database, survey: Survey) -> list[dict]:
    return store.list_versions(db, survey.id)


def response_counts(db: Database, survey: Survey) -> dict:
    """Return {"partial", "complete", "versions": [{"version", "partial", "complete"}]}."""
    return response_counts_of(db, [survey])[survey.id]


def response_counts_of(db: Database, surveys: list[Survey]) -> dict[int, dict]:
    """Return {survey id: its ``response_counts``} for SURVEYS, counted in one query."""
    by_survey = response_store.count_by_version_of(db, [s.id for s in surveys])
    return {
        survey_id: {
            "partial": sum(v["partial"] for v in by_version),
            "complete": sum(v["complete"] for v in by_version),
            "versions": by_version,
        }
        for survey_id, by_version in by_survey.items()
    }


def read_definition_file(path: str | os.PathLike) -> dict:
    """Read a JSON definition file, or raise InvalidInput saying where the JSON is broken."""
    return read_json_file(path)


def load_survey_file(db: Database, site: Site, path: str | os.PathLike) -> tuple[Survey, str]:
    """Create or update the survey in the JSON file at PATH; return it and what happened."""
    raw = read_definition_file(path)
    try:
        return save_survey(db, site, raw)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc.message}", exc.fields) from None


def load_directory(
    db: Database, site: Site, directory: str | os.PathLike
) -> list[tuple[Survey, str]]:
    """Load every ``*.json`` definition in DIRECTORY (sorted by name)."""
    return [load_survey_file(db, site, p) for p in sorted(Path(directory).glob("*.json"))]
