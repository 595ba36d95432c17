"""``/openapi.json``, generated from cxlisten's marshmallow schemas and each blueprint's OPENAPI."""

from __future__ import annotations

import importlib

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

import cxlisten


def build_spec(blueprints: tuple[str, ...]) -> dict:
    """Collect every blueprint's OPENAPI paths; schema names resolve through cxlisten.schemas."""
    spec = APISpec(
        title="cxlisten collector",
        version=cxlisten.__version__,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Events, surveys, responses and exports. See docs/api.md."},
    )
    spec.components.security_scheme(
        "adminKey", {"type": "http", "scheme": "bearer", "description": "cxlisten admin key"}
    )
    registered: set[str] = set()
    for name in blueprints:
        module = importlib.import_module(name)
        for schema_name, schema in getattr(module, "SCHEMAS", {}).items():
            if schema_name not in registered:
                spec.components.schema(schema_name, schema=schema)
                registered.add(schema_name)
        for path, operations in getattr(module, "OPENAPI", {}).items():
            spec.path(path=path, operations=operations)
    return spec.to_dict()
