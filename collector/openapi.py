"""``/openapi.json``: built from the views' own declarations and cxlisten's marshmallow schemas.

Every view's docstring ends, after ``---``, with its OpenAPI operations in YAML; apispec's Flask
plugin reads them from the registered routes and its marshmallow plugin turns the schemas they
name (``schema: Envelope``, ``{in: query, schema: WindowQuery}``) into components and parameters.
What many views share is declared once here: the components' names, the admin key, the ``site``
parameter and the error responses (``400: Invalid``). A route without a declaration is left out,
and ``tests/test_openapi.py`` fails.
"""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.yaml_utils import load_operations_from_docstring
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask

import cxlisten
from cxlisten.export import EXPORTS
from cxlisten.export.filters import DownloadQuery, ExportFilters, LinkRequest, ShareLinkReply
from cxlisten.schemas.admin import RejectedQuery, WhyNotQuery, WindowQuery
from cxlisten.schemas.collect import CollectReply, Envelope
from cxlisten.schemas.customers import IdentifyPayload, IdentifyReply, ResetPayload
from cxlisten.schemas.operational import OperationalImport
from cxlisten.schemas.surveys import (
    ConfigQuery,
    ConfigReply,
    InterventionDefinition,
    MeQuery,
    ResponsePayload,
    ResponseReply,
    SurveyDefinition,
)

# Component name of each schema the views name (nested schemas are named after their class).
COMPONENTS = {
    "Envelope": Envelope,
    "CollectReply": CollectReply,
    "ConfigQuery": ConfigQuery,
    "ConfigReply": ConfigReply,
    "ResponsePayload": ResponsePayload,
    "ResponseReply": ResponseReply,
    "MeQuery": MeQuery,
    "SurveyDefinition": SurveyDefinition,
    "InterventionDefinition": InterventionDefinition,
    "RejectedQuery": RejectedQuery,
    "WindowQuery": WindowQuery,
    "WhyNotQuery": WhyNotQuery,
    "ExportFilters": ExportFilters,
    "DownloadQuery": DownloadQuery,
    "LinkRequest": LinkRequest,
    "ShareLink": ShareLinkReply,
    "IdentifyPayload": IdentifyPayload,
    "IdentifyReply": IdentifyReply,
    "ResetPayload": ResetPayload,
    "OperationalImport": OperationalImport,
}

PARAMETERS = {
    "name": {
        "in": "path",
        "name": "name",
        "required": True,
        "schema": {"type": "string"},
        "description": "Export name: " + ", ".join(EXPORTS),
    },
    "site": {
        "in": "query",
        "name": "site",
        "schema": {"type": "string"},
        "description": "Site key; optional when the database has one site",
    },
}

RESPONSES = {
    "Invalid": {"description": "Invalid input, every error located"},
    "NoKey": {"description": "Admin key missing or wrong"},
    "NotFound": {"description": "No such site or object"},
    "Forbidden": {"description": "Origin not allowed for this site"},
    "TooLarge": {"description": "Body or batch too large"},
}


def build_spec(app: Flask) -> dict:
    """Return the OpenAPI description of every route of APP that declares its operations."""
    spec = APISpec(
        title="cxlisten collector",
        version=cxlisten.__version__,
        openapi_version="3.0.3",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": "Events, surveys, responses and exports. See docs/api.md."},
    )
    spec.components.security_scheme(
        "adminKey", {"type": "http", "scheme": "bearer", "description": "cxlisten admin key"}
    )
    for name, schema in COMPONENTS.items():
        spec.components.schema(name, schema=schema)
    for name, parameter in PARAMETERS.items():
        spec.components.parameter(name, parameter["in"], parameter)
    for name, response in RESPONSES.items():
        spec.components.response(name, response)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        if rule.endpoint != "static" and load_operations_from_docstring(view.__doc__ or ""):
            spec.path(view=view, app=app)
    return spec.to_dict()
