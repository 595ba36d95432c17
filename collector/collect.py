"""``POST /v1/collect``: event batches from the snippet."""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector import day_end
from collector.browser import allow_origin_of, browser_request, deployment
from collector.errors import error_body
from cxlisten import ingest

bp = Blueprint("collect", __name__)


@bp.post("/v1/collect")
def collect():
    """Store a batch of events and answer with the visitor token and counts.
    ---
    post:
      summary: Store a batch of browser events
      description: >-
        Body JSON, sent as text/plain or application/json. Valid events of a mixed batch are
        stored; invalid ones are reported per index (400).
      requestBody:
        required: true
        content: {application/json: {schema: Envelope}, text/plain: {schema: Envelope}}
      responses:
        200:
          description: Every event stored or a duplicate
          content: {application/json: {schema: CollectReply}}
        400: {description: "Invalid batch, or some invalid events (the rest stored)"}
        403: Forbidden
        404: {description: Unknown site key}
        413: TooLarge
        429: {description: "Rate limit of the client or site reached; see Retry-After"}
        503: {description: "Disk reserve reached or write lock busy; see Retry-After"}
    """
    dep = deployment()
    result = ingest.collect(
        dep.db, dep.settings, dep.tokens, browser_request(), dep.store, limits=dep.limits
    )
    allow_origin_of(result.site)
    day_end.after_batch(dep, result)
    reply = result.reply()
    if result.rejected:
        fields = {
            f"events.{r['index']}.{path}": msgs
            for r in result.rejected
            for path, msgs in r["errors"].items()
        }
        return jsonify({**reply, **error_body(400, "some events were invalid", fields)}), 400
    return jsonify(reply)
