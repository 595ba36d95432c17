"""Admin API for what the console does to a survey beyond editing it: duplicate, drafts (kept
apart from what visitors see, then published) and read-only share links of its results.

Each view calls the same cxlisten function as the console (``cxlisten.surveys.duplicate``,
``drafts``, ``shares``), so a rule exists once. Every view needs the admin key; ``?site=KEY``
picks the site (optional with one site). Operations are declared in the docstrings.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from collector.admin_input import json_body
from collector.admin_input import site as _site  # the site ?site= names
from collector.auth import require_admin
from collector.browser import deployment
from cxlisten.errors import NotFound
from cxlisten.surveys import admin, drafts, shares
from cxlisten.surveys.duplicate import duplicate_survey

bp = Blueprint("admin_survey_tools", __name__)


@bp.post("/api/surveys/<slug>/duplicate")
@require_admin
def duplicate(slug):
    """Copy a survey under a free id (``slug-copy``), version 1, paused.
    ---
    post:
      summary: Duplicate a survey (paused copy, version 1)
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {201: {description: The copy}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    return jsonify(admin.detail(db, duplicate_survey(db, _site(), slug))), 201


@bp.get("/api/surveys/<slug>/draft")
@require_admin
def show_draft(slug):
    """The saved draft: its text as saved, whether it is valid, every error located.
    ---
    get:
      summary: Show a survey's saved draft
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    return jsonify(drafts.draft_summary(drafts.get_draft(deployment().db, _site(), slug)))


@bp.put("/api/surveys/<slug>/draft")
@require_admin
def save_draft(slug):
    """Keep a definition as the draft; visitors see the published survey until it is published.
    ---
    put:
      summary: Save a draft of a survey (live or new) without publishing it
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      requestBody: {required: true, content: {application/json: {schema: SurveyDefinition}}}
      responses: {200: {description: Saved, valid or not}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    saved = drafts.save_definition_draft(db, _site(), slug, json_body())
    return jsonify(drafts.draft_summary(saved))


@bp.post("/api/surveys/<slug>/draft/publish")
@require_admin
def publish_draft(slug):
    """Publish the draft as PUT /api/surveys/<id> does: a new version over answers.
    ---
    post:
      summary: Publish a survey's draft (a new version when the live one has responses)
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: Published}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db = deployment().db
    survey, what = drafts.publish_draft(db, _site(), slug)
    return jsonify({"result": what, **admin.detail(db, survey)})


@bp.delete("/api/surveys/<slug>/draft")
@require_admin
def discard_draft(slug):
    """Drop the draft; the published survey is untouched.
    ---
    delete:
      summary: Discard a survey's draft
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: Discarded}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    drafts.discard_draft(deployment().db, _site(), slug)
    return jsonify({"id": slug, "draft": None})


@bp.get("/api/surveys/<slug>/shares")
@require_admin
def list_shares(slug):
    """The survey's results share links (never their tokens: only hashes are kept).
    ---
    get:
      summary: List the read-only share links of a survey's results
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      responses: {200: {description: OK}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    found = shares.shares_of_survey(deployment().db, _site(), slug)
    return jsonify({"id": slug, "shares": [shares.share_summary(s) for s in found]})


@bp.post("/api/surveys/<slug>/shares")
@require_admin
def create_share(slug):
    """Make a read-only link to the results, showing only the chosen questions; its URL once.
    ---
    post:
      summary: Make a read-only share link of a survey's results
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [questions]
              properties:
                questions: {type: array, items: {type: string}, description: Question ids shown}
                hours: {type: integer, minimum: 1, maximum: 2160, default: 24}
                filters: {type: object, description: "The results page's filters (device, ...)"}
      responses: {201: {description: The link, shown once}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    token, share = shares.share_from_request(deployment().db, _site(), slug, json_body())
    url = request.host_url.rstrip("/") + url_for("console.shared", token=token)
    return jsonify({"url": url, "token": token, **shares.share_summary(share)}), 201


@bp.post("/api/surveys/<slug>/shares/<int:share_id>/revoke")
@require_admin
def revoke_share(slug, share_id):
    """Revoke a share link: it answers 410 from now on.
    ---
    post:
      summary: Revoke a results share link
      security: [{adminKey: []}]
      parameters:
        - site
        - {in: path, name: slug, required: true, schema: {type: string}, description: The id}
        - {in: path, name: share_id, required: true, schema: {type: integer}}
      responses: {200: {description: Revoked}, 400: Invalid, 401: NoKey, 404: NotFound}
    """
    db, site = deployment().db, _site()
    if not any(s.id == share_id for s in shares.shares_of_survey(db, site, slug)):
        raise NotFound(f"no share link {share_id} of {slug!r}", {"share": ["no such link"]})
    shares.revoke_share(db, site, share_id)
    return jsonify({"id": slug, "share": share_id, "revoked": True})
