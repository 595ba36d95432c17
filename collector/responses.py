"""``POST /v1/responses``: a survey response, cumulative, upserted by its client id."""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.browser import allow_origin_of, browser_request, deployment
from collector.errors import error_body
from cxlisten.surveys.responses import record_response

bp = Blueprint("responses", __name__)


@bp.post("/v1/responses")
def responses():
    """Store the answers and answer with the response's status.
    ---
    post:
      summary: Store a survey response (all answers so far)
      description: >-
        Sent after each answered question and once more with complete: true. Answers are checked
        against the survey version; valid ones are kept even when others in the same post are
        invalid (400, located as answers[i].value).
      requestBody:
        required: true
        content:
          application/json: {schema: ResponsePayload}
          text/plain: {schema: ResponsePayload}
      responses:
        200: {description: Stored, content: {application/json: {schema: ResponseReply}}}
        400: {description: Invalid answers (valid ones stored) or payload}
        403: Forbidden
        404: {description: Unknown site key or survey}
        413: TooLarge
    """
    dep = deployment()
    result = record_response(dep.db, dep.settings, dep.tokens, browser_request())
    allow_origin_of(result.site)
    if result.errors:
        body = {**result.reply, **error_body(400, "some answers were invalid", result.errors)}
        return jsonify(body), 400
    return jsonify(result.reply)
