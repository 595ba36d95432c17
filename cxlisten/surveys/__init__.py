"""Micro-surveys and interventions: definitions, targeting, responses, zero-party profiles.

    from cxlisten import surveys
    survey, what = surveys.load_survey_file(db, site, "examples/surveys/cart-abandon.json")
    surveys.load_directory(db, site, "examples/surveys")
    surveys.create_survey(db, site, {"id": "pulse", "phase": "track", ...})

See docs/surveys.md for the file format.
"""

from cxlisten.surveys.catalogue import (
    Survey,
    archive,
    create_survey,
    definition_of,
    get_survey,
    list_surveys,
    load_directory,
    load_survey_file,
    pause,
    read_definition_file,
    response_counts,
    resume,
    save_survey,
    set_status,
    update_survey,
    versions,
)
from cxlisten.surveys.definitions import normalise

__all__ = [
    "Survey",
    "archive",
    "create_survey",
    "definition_of",
    "get_survey",
    "list_surveys",
    "load_directory",
    "load_survey_file",
    "normalise",
    "pause",
    "read_definition_file",
    "response_counts",
    "resume",
    "save_survey",
    "set_status",
    "update_survey",
    "versions",
]
