"""``POST /v1/identify`` and ``POST /v1/reset``: link this browser to a customer, or unlink it."""

from __future__ import annotations

from flask import Blueprint, jsonify

from collector.browser import allow_origin_of, browser_request, deployment
from collector.errors import error_response
from cxlisten import customers

bp = Blueprint("identify", __name__)


@bp.post("/v1/identify")
def identify():
    """Link the visitor to the customer if the signature verifies.
    ---
    post:
      summary: Link this browser's visitor to a customer the site's backend vouches for
      description: signature = hex HMAC-SHA256(site identity secret, customer). Linked only if it
        verifies; the reply's visitor token replaces the browser's (a fresh one when the browser
        was someone else's). See docs/customers.md.
      requestBody:
        required: true
        content:
          application/json:
            schema: IdentifyPayload
          text/plain:
            schema: IdentifyPayload
      responses:
        '200':
          description: Linked
          content:
            application/json:
              schema: IdentifyReply
        '400':
          description: Missing or malformed field (located)
        '403':
          description: Signature does not verify (nothing linked), or origin
        '404':
          description: Unknown site key
    """
    dep = deployment()
    result = customers.identify(dep.db, dep.settings, dep.tokens, browser_request())
    allow_origin_of(result.site)
    if result.refused:
        refused = result.refused
        return error_response(refused.status, refused.message, refused.fields, **result.reply)
    return jsonify(result.reply)


@bp.post("/v1/reset")
def reset():
    """Unlink the visitor and hand out a fresh one.
    ---
    post:
      summary: Unlink this browser from its customer (log-out); a fresh visitor token
      requestBody:
        required: true
        content:
          application/json:
            schema: ResetPayload
          text/plain:
            schema: ResetPayload
      responses:
        '200':
          description: 'Unlinked: {visitor: fresh token, unlinked: bool}'
        '400':
          description: Missing or malformed field (located)
        '403':
          description: Origin not allowed
        '404':
          description: Unknown site key
    """
    dep = deployment()
    result = customers.reset(dep.db, dep.settings, dep.tokens, browser_request())
    allow_origin_of(result.site)
    return jsonify(result.reply)
