"""``GET /v1/config``: the surveys, interventions and next best action for this visitor and page."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from collector.browser import allow_origin_of, browser_request, deployment
from cxlisten.surveys.config import visitor_config

bp = Blueprint("visitor_config", __name__)


@bp.get("/v1/config")
def config():
    """Answer with the visitor token and what may be shown on this page.
    ---
    get:
      summary: What this visitor may see on this page
      description: >-
        Surveys and interventions whose audience, repetition and contact budget let this visitor
        see them on URL, each with its client-side trigger; highest priority first. See
        docs/surveys.md.
      parameters:
        - {in: query, name: site, required: true, schema: {type: string}}
        - {in: query, name: visitor, schema: {type: string}}
        - {in: query, name: url, required: true, schema: {type: string}}
        - in: query
          name: survey
          description: >-
            Preview (cxlisten.show): include this active or paused survey whatever its targeting
          schema: {type: string}
      responses:
        200: {description: The config, content: {application/json: {schema: ConfigReply}}}
        400: {description: Missing or invalid parameter}
        403: Forbidden
        404: {description: Unknown site key}
    """
    dep = deployment()
    reply, site = visitor_config(
        dep.db, dep.settings, dep.tokens, request.args.to_dict(), browser_request()
    )
    allow_origin_of(site)
    response = jsonify(reply)
    response.headers["Cache-Control"] = "no-store"
    return response
