"""Copy a survey under a new id: same definition, version 1, paused until someone resumes it."""

from __future__ import annotations

from cxlisten.storage import surveys as store
from cxlisten.storage.db import Database
from cxlisten.storage.sites import Site
from cxlisten.storage.surveys import Survey
from cxlisten.surveys import catalogue
from cxlisten.surveys.drafts import as_file

__all__ = ["duplicate_survey"]


def _free_id(db: Database, site: Site, slug: str) -> str:
    base = f"{slug[:56]}-copy"
    candidate, n = base, 2
    while store.get_survey(db, site.id, candidate) is not None:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def duplicate_survey(db: Database, site: Site, slug: str) -> Survey:
    """Create a paused copy of SLUG named "<name> (copy)" with a free id such as ``slug-copy``."""
    original = catalogue.get_survey(db, site, slug)
    definition = as_file(original.definition)
    definition["id"] = _free_id(db, site, slug)
    definition["name"] = f"{definition.get('name') or slug} (copy)"[:200]
    definition["status"] = "paused"
    return catalogue.create_survey(db, site, definition, kind=original.kind)
