"""``GET /s/<survey-id>``: a survey on a page of its own, for channels with no site to embed in
(a QR code on a receipt, a link in an e-mail, a tablet at a counter).

The page loads the real snippet and widget from this collector and opens the survey with
``cxlisten.show``: the same questions, locales, branching and keyboard use as the intercept.
``?src=NAME`` tags every answer with its channel; ``?t=`` is a personal link's signed token.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from collector.browser import client, deployment
from cxlisten import hosted
from cxlisten.errors import RetryLater
from cxlisten.ratelimit import Limits
from cxlisten.storage.db import unavailable_reason

bp = Blueprint("hosted", __name__, template_folder="templates")


@bp.get("/s/<survey>")
def page(survey: str):
    """Render SURVEY's hosted page, or a readable page saying why not.
    ---
    get:
      summary: The survey on a page of its own (HTML), for links and QR codes
      description: 'See docs/customers.md. Refusals are readable pages: unknown or inactive survey
        404, bad src 400, tampered personal link 403, expired one 410.'
      parameters:
      - in: path
        name: survey
        required: true
        schema:
          type: string
      - in: query
        name: site
        schema:
          type: string
      - in: query
        name: src
        schema:
          type: string
      - in: query
        name: t
        schema:
          type: string
      - in: query
        name: lang
        schema:
          type: string
      responses:
        '200':
          description: The page (text/html)
        '400':
          description: Invalid src or lang (a readable page)
        '403':
          description: Personal link not valid (a readable page)
        '404':
          description: No such active survey (a readable page)
        '410':
          description: Personal link expired (a readable page)
        '429':
          description: A personal link reloaded past the client's limits (a readable page,
            Retry-After)
        '503':
          description: Writes paused (disk reserve, a held lock) for a personal link (a
            readable page, Retry-After)
    """
    dep = deployment()
    headers = {}
    try:
        if request.args.get("t"):
            _admit_personal_link()
        result = hosted.hosted_page(dep.db, dep.secret, dep.tokens, survey, request.args.to_dict())
    except Exception as exc:  # a limit, a full disk, a lock held elsewhere: a readable page
        busy = exc if isinstance(exc, RetryLater) else unavailable_reason(exc)
        if busy is None:
            raise
        result = hosted.busy_page(request.args.get("lang"), busy.status)
        headers["Retry-After"] = str(busy.retry_after)
    template = "hosted/survey.html" if result.ok else "hosted/refused.html"
    response = render_template(template, page=result)
    headers |= {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",  # a personal link's token never leaks onward
        "X-Content-Type-Options": "nosniff",
        "Content-Type": "text/html; charset=utf-8",
    }
    return response, result.status, headers


def _admit_personal_link() -> None:
    """A personal link makes a visitor and links it to its customer: a write, with the limits
    of the browser's writes (disk reserve, the client's writes and new visitors)."""
    dep = deployment()
    dep.check_writable()
    Limits.check(dep.limits.client, client(), "writes from this client")
    Limits.check(dep.limits.new_visitors, client(), "new visitors from this client")
