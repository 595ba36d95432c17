"""``GET /s/<survey-id>``: a survey on a page of its own, for channels with no site to embed in
(a QR code on a receipt, a link in an e-mail, a tablet at a counter).

The page loads the real snippet and widget from this collector and opens the survey with
``cxlisten.show``: the same questions, locales, branching and keyboard use as the intercept.
``?src=NAME`` tags every answer with its channel; ``?t=`` is a personal link's signed token.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from collector.browser import deployment
from cxlisten import hosted

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
    """
    dep = deployment()
    result = hosted.hosted_page(dep.db, dep.secret, dep.tokens, survey, request.args.to_dict())
    template = "hosted/survey.html" if result.ok else "hosted/refused.html"
    response = render_template(template, page=result)
    headers = {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",  # a personal link's token never leaks onward
        "X-Content-Type-Options": "nosniff",
        "Content-Type": "text/html; charset=utf-8",
    }
    return response, result.status, headers
