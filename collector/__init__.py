"""The collector: a thin HTTP layer over cxlisten.

    gunicorn "collector:create_app()"

Views parse, authenticate, validate with cxlisten's schemas, call cxlisten and shape the reply.
All domain logic and all SQL live in cxlisten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from cxlisten.deployment import Deployment
from cxlisten.schemas import safejson
from cxlisten.settings import load_settings

BLUEPRINTS = (
    "collector.collect",
    "collector.visitor_config",
    "collector.responses",
    "collector.me",
    "collector.admin",
    "collector.admin_phases",
    "collector.diagnostics",
    "collector.export",
    "collector.meta",
    "collector.sdk",
    "collector.home",
    "collector.console",
    "collector.identify",
    "collector.admin_customers",
    "collector.hosted",
    "collector.admin_survey_tools",
)


class _JSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading request bodies as cxlisten's browser endpoints do (safejson)."""

    def loads(self, s, **kwargs):
        return safejson.loads(s)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the collector app; CONFIG overrides settings (names as in docs/settings.md)."""
    import importlib

    app = Flask(__name__)
    app.json = _JSONProvider(app)
    settings = load_settings(config)
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
        CXLISTEN=settings,
    )
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["cxlisten"] = Deployment(settings)
    if settings.proxy_hops > 0:
        # The client address (for rate limits) comes from the trusted proxies' X-Forwarded-For.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops)

    from collector import browser, errors

    errors.register(app)
    browser.register(app)
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
    return app


__all__ = ["create_app"]
